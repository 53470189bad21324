/**
 * Typed configuration of `build`, made from the resolved option values of src/options.ts.
 * The CLI and the action both come through here, so they mean the same thing by every name.
 */
import type { AppendedRange } from './boot/appended.js';
import { optionError } from './errors.js';
import { DEFAULT_IDS, LABEL_OPTIONS, type VolumeIds, type VolumeLabels } from './image/labels.js';
import { optionReader } from './option-values.js';
import { defaultValue, type OptionValues } from './options.js';

export interface BuildConfig {
  /** the folder, or (with sourceImage) the overlay laid over the image's tree ('': none) */
  source: string;
  // Remaster (src/read/remaster.ts):
  sourceImage?: string;
  remove?: string[];
  /** true, false or without-apm (drop an Apple partition map and HFS+, replay the rest) */
  replayBoot?: 'true' | 'false' | 'without-apm';
  /** the ids given as options (a remaster keeps the source image's others) */
  labelsGiven?: (keyof VolumeLabels)[];
  output: string;
  volumeId: string;
  /** system-id, volume-set-id, publisher, preparer, application-id */
  ids: VolumeIds;
  joliet: boolean;
  rockRidge: boolean;
  epoch: number | undefined;
  // Boot:
  biosBoot: string[];
  biosBootLoadSize: number;
  bootInfoTable: boolean;
  grub2BootInfo: boolean;
  uefiBoot: string[];
  uefiBootSize: number | undefined;
  /** --boot entries as written (parsed in src/boot/entries.ts) */
  boot: string[];
  /** --append-partition entries as written, `N TYPE FILE` (parsed in src/boot/appended.ts) */
  appendPartition: string[];
  /** appended partitions whose bytes are a range of the source image (a remaster's replay) */
  appendedRanges?: AppendedRange[];
  bootCatalog: string;
  bootCatalogHide: boolean;
  /** --boot-catalog names another path than the default (a remaster's replay keeps its source's otherwise) */
  bootCatalogGiven?: boolean;
  /** undefined: true when there is a boot entry */
  hybrid: boolean | undefined;
  mbrTemplate: string | undefined;
  mbrKind: 'auto' | 'isohybrid' | 'grub2';
  /** MBR boot code bytes given in memory (a remaster's replay of its source image's) */
  mbrCode?: Buffer;
  // Integrity:
  checksums: ('sha256' | 'sha512')[];
  checksumFormat: 'gnu' | 'bsd';
  manifest: boolean;
  implantMd5: boolean;
  directIo: boolean;
  gpgPrivateKey: string | undefined;
  gpgPassphrase: string | undefined;
  minisignPrivateKey: string | undefined;
  minisignPassword: string | undefined;
  attest: boolean;
  maxSize: number | undefined;
}

/** The volume id of a build that gives none (a remaster keeps its source image's). */
export const DEFAULT_VOLUME_ID = 'ISOFORGE';

/** `v`: resolved values (src/options.ts); one not given is the schema's default. */
export function toBuildConfig(v: OptionValues): BuildConfig {
  const o = optionReader('build', v);
  const source = o.text('source');
  const sourceImage = o.text('source-image');
  if (!source && !sourceImage)
    throw optionError(
      'source',
      'required (the directory to make an image of), unless --source-image is given'
    );
  const remove = o.items('remove');
  if (remove.length > 0 && !sourceImage)
    throw optionError('remove', 'needs --source-image (the tree it removes from)');
  const output = o.text('output');
  if (!output) throw optionError('output', 'required (the ISO file to write)');
  const epoch = o.count('source-date-epoch');
  if (epoch !== undefined && epoch > 253402300799) {
    throw optionError('source-date-epoch', `${epoch} is after the year 9999`);
  }
  const loadSize = o.count('bios-boot-load-size') ?? 0;
  if (loadSize < 1 || loadSize > 65535) {
    throw optionError('bios-boot-load-size', `${loadSize} is not between 1 and 65535`);
  }
  const hybrid = v['hybrid'];
  return {
    source: source ?? '',
    sourceImage,
    remove,
    replayBoot: o.text('replay-boot') as BuildConfig['replayBoot'],
    output,
    volumeId: o.text('volume-id') ?? DEFAULT_VOLUME_ID,
    ids: {
      systemId: o.text('system-id') ?? DEFAULT_IDS.systemId,
      volumeSetId: o.text('volume-set-id') ?? DEFAULT_IDS.volumeSetId,
      publisherId: o.text('publisher') ?? DEFAULT_IDS.publisherId,
      preparerId: o.text('preparer') ?? DEFAULT_IDS.preparerId,
      applicationId: o.text('application-id') ?? DEFAULT_IDS.applicationId
    },
    labelsGiven: (Object.keys(LABEL_OPTIONS) as (keyof VolumeLabels)[]).filter(
      k => o.text(LABEL_OPTIONS[k]) !== undefined
    ),
    joliet: o.flag('joliet'),
    rockRidge: o.flag('rock-ridge'),
    epoch,
    biosBoot: o.items('bios-boot'),
    biosBootLoadSize: loadSize,
    bootInfoTable: o.flag('boot-info-table'),
    grub2BootInfo: o.flag('grub2-boot-info'),
    uefiBoot: o.items('uefi-boot'),
    uefiBootSize: o.count('uefi-boot-size'),
    boot: o.items('boot'),
    appendPartition: o.items('append-partition'),
    bootCatalog: o.text('boot-catalog') ?? '',
    bootCatalogHide: o.flag('boot-catalog-hide'),
    // resolved values carry the defaults: a catalog path other than the default's was given
    bootCatalogGiven: o.text('boot-catalog') !== defaultValue('build', 'boot-catalog'),
    hybrid: typeof hybrid === 'boolean' ? hybrid : undefined,
    mbrTemplate: o.text('mbr-template'),
    mbrKind: o.text('mbr-kind') as BuildConfig['mbrKind'],
    checksums: o.items('checksums').filter(c => c !== 'none') as BuildConfig['checksums'],
    checksumFormat: o.text('checksum-format') as BuildConfig['checksumFormat'],
    manifest: o.flag('manifest'),
    implantMd5: o.flag('implant-md5'),
    directIo: o.flag('direct-io'),
    gpgPrivateKey: o.text('gpg-private-key'),
    gpgPassphrase: o.text('gpg-passphrase'),
    minisignPrivateKey: o.text('minisign-private-key'),
    minisignPassword: o.text('minisign-password'),
    attest: o.flag('attest'),
    maxSize: o.count('max-size')
  };
}
