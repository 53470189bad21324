/**
 * Typed configuration of `build`, made from the resolved option values of src/options.ts.
 * The CLI and the action both come through here, so they mean the same thing by every name.
 */
import { IsoforgeError } from './errors.js';
import type { OptionValue } from './options.js';

export interface BuildConfig {
  source: string;
  output: string;
  volumeId: string;
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
  bootCatalog: string;
  bootCatalogHide: boolean;
  /** undefined: true when there is a boot entry */
  hybrid: boolean | undefined;
  mbrTemplate: string | undefined;
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

const str = (v: OptionValue): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v: OptionValue, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
const num = (v: OptionValue): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: OptionValue): string[] => (Array.isArray(v) ? v : []);

export function toBuildConfig(v: Record<string, OptionValue>): BuildConfig {
  const source = str(v['source']);
  if (!source)
    throw new IsoforgeError('--source: required (the directory to make an image of)', {
      subject: '--source'
    });
  const output = str(v['output']);
  if (!output) throw new IsoforgeError('--output: required (the ISO file to write)', { subject: '--output' });
  const epoch = num(v['source-date-epoch']);
  if (epoch !== undefined && epoch > 253402300799) {
    throw new IsoforgeError(`--source-date-epoch: ${epoch} is after the year 9999`, {
      subject: '--source-date-epoch'
    });
  }
  const loadSize = num(v['bios-boot-load-size']) ?? 4;
  if (loadSize < 1 || loadSize > 65535) {
    throw new IsoforgeError(`--bios-boot-load-size: ${loadSize} is not between 1 and 65535`, {
      subject: '--bios-boot-load-size'
    });
  }
  return {
    source,
    output,
    volumeId: str(v['volume-id']) ?? 'ISOFORGE',
    joliet: bool(v['joliet'], true),
    rockRidge: bool(v['rock-ridge'], true),
    epoch,
    biosBoot: list(v['bios-boot']),
    biosBootLoadSize: loadSize,
    bootInfoTable: bool(v['boot-info-table'], true),
    grub2BootInfo: bool(v['grub2-boot-info'], false),
    uefiBoot: list(v['uefi-boot']),
    uefiBootSize: num(v['uefi-boot-size']),
    bootCatalog: str(v['boot-catalog']) ?? 'boot.catalog',
    bootCatalogHide: bool(v['boot-catalog-hide'], false),
    hybrid: typeof v['hybrid'] === 'boolean' ? v['hybrid'] : undefined,
    mbrTemplate: str(v['mbr-template']),
    checksums: list(v['checksums']).filter(c => c !== 'none') as BuildConfig['checksums'],
    checksumFormat: (str(v['checksum-format']) ?? 'gnu') as BuildConfig['checksumFormat'],
    manifest: bool(v['manifest'], true),
    implantMd5: bool(v['implant-md5'], false),
    directIo: bool(v['direct-io'], true),
    gpgPrivateKey: str(v['gpg-private-key']),
    gpgPassphrase: str(v['gpg-passphrase']),
    minisignPrivateKey: str(v['minisign-private-key']),
    minisignPassword: str(v['minisign-password']),
    attest: bool(v['attest'], false),
    maxSize: num(v['max-size'])
  };
}
