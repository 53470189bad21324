/**
 * A remaster's tree source: the source image opened once (read only) and read back, its tree as
 * scan nodes (source-image.ts) minus `--remove`'s paths, with the overlay folder's scan laid over
 * it; its files are read from the image at their extents while the new image is written, and a
 * change of the image meanwhile fails the build before the output is renamed into place.
 */
import { fstatSync, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { BuildConfig } from '../config.js';
import { IsoforgeError, cliFlag, fsError, optionError } from '../errors.js';
import { checkPaths, type TreeSource } from '../image/build.js';
import { LABEL_OPTIONS, checkLabel, type VolumeLabels } from '../image/labels.js';
import { ID_LENGTH } from '../image/voldesc.js';
import { shown } from '../text.js';
import { checkTarget, type Target } from '../image/targets.js';
import { overlayTree, removePath } from '../image/overlay.js';
import { scanTree, type ScanResult } from '../image/scan.js';
import type { ImageFile } from '../image/tree.js';
import type { Logger } from '../log.js';
import { imagePathFromUser, type Platform } from '../platform.js';
import { readImage, releaseTrees, type IsoImage } from './image.js';
import { bootSummary, replayBoot } from './replay-boot.js';
import { ImageNodes } from './source-image.js';

export interface Remaster extends TreeSource {
  /** the source image's structures; its trees are emptied once `scan` has made the build's tree */
  readonly img: IsoImage;
  close(): Promise<void>;
}

/** Refuse an output that is the source image itself (the same file, by any name or link). */
async function checkNotInput(input: Stats, inputPath: string, outputs: readonly string[]): Promise<void> {
  for (const out of outputs) {
    let st: Stats;
    try {
      st = await fs.stat(out);
    } catch {
      continue; // missing: a new file
    }
    if (st.dev === input.dev && st.ino === input.ino)
      throw new IsoforgeError(
        `output ${out}: is the source image ${inputPath}; write the remaster elsewhere`,
        {
          subject: out
        }
      );
  }
}

/** The image path `--remove` names: image paths are often written from the root (`/boot/x`). */
function removedPath(p: string): string {
  return imagePathFromUser(p.replace(/^\/+/, ''), 'remove');
}

/**
 * Open `config.sourceImage` and make the remaster's tree source. `outputs`: every path the build
 * writes (none may be the source image). The caller closes it.
 */
export async function openRemaster(
  config: BuildConfig,
  outputs: readonly string[],
  log: Logger
): Promise<Remaster> {
  const inPath = config.sourceImage!;
  // the image's files become the build's nodes as the reader walks its tree
  let nodes: ImageNodes | undefined;
  // with Rock Ridge, the image's Joliet tree is not read: the output's Joliet names are made anew
  const img = await readImage(
    inPath,
    src => (nodes = new ImageNodes({ path: inPath, fd: src.fd!, size: src.size })),
    { joliet: 'unused' }
  );
  try {
    const fd = img.source.fd!;
    const opened = fstatSync(fd);
    await checkNotInput(opened, inPath, outputs);
    // the old boot catalog is regenerated (at its path, when the boot is replayed)
    const skip = new Set(img.boot ? [img.boot.catalogLba] : []);
    const removals = (config.remove ?? []).map(removedPath);
    for (const n of img.notes) log.debug(`source image ${inPath}: ${n}`);
    return {
      img,
      scan: async ({ epoch, platform }) => {
        const base = nodes!.tree(img, epoch, skip);
        // the build's nodes are made: the reader's (its folders) need not be held while it writes
        releaseTrees(img);
        for (const p of removals) removePath(base.root, p, 'remove', `the source image ${inPath}`);
        if (config.source) await overlay(base, config.source, { epoch, log, platform }, inPath);
        return base;
      },
      unchanged: async () => {
        let now: Stats;
        try {
          now = fstatSync(fd);
        } catch (e) {
          throw fsError(e, inPath, 'source image');
        }
        if (now.size !== opened.size || now.mtimeMs !== opened.mtimeMs)
          throw new IsoforgeError(
            `source image ${inPath}: changed during the build (${opened.size} bytes, now ${now.size}, modified since); the output is not written`,
            { subject: inPath }
          );
      },
      close: () => img.source.close()
    };
  } catch (e) {
    await img.source.close();
    throw e;
  }
}

/** Lay the overlay folder's scan over the image's tree (overlay.ts says what meets what). */
async function overlay(
  base: ScanResult,
  folder: string,
  o: { epoch?: number; log: Logger; platform: Platform },
  inPath: string
): Promise<void> {
  const top = await scanTree({ source: folder, epoch: o.epoch, log: o.log, platform: o.platform });
  overlayTree(base.root, top.root, `the overlay ${folder}`, `the source image ${inPath}`);
  base.files += top.files;
  base.dirs += top.dirs - 1;
  base.symlinks += top.symlinks;
  base.bytes += top.bytes;
}

/**
 * The PVD ids a remaster keeps from its source image unless given: the volume id and the five
 * others (system, volume set, publisher, preparer, application), each checked as if given.
 */
const fits = (key: keyof VolumeLabels, text: string) => {
  try {
    checkLabel(LABEL_OPTIONS[key], text, ID_LENGTH[key]);
    return true;
  } catch {
    return false;
  }
};

export function keptIds(config: BuildConfig, img: IsoImage): Pick<BuildConfig, 'volumeId' | 'ids'> {
  const given = new Set(config.labelsGiven ?? []);
  const labels: VolumeLabels = { volumeId: config.volumeId, ...config.ids };
  for (const key of Object.keys(LABEL_OPTIONS) as (keyof VolumeLabels)[]) {
    if (given.has(key)) continue;
    const kept = img.pvd[key].replace(/ +$/, '');
    if (!fits(key, kept))
      throw optionError(
        LABEL_OPTIONS[key],
        `${shown(kept)} of the source image ${img.path} cannot be kept (not printable ASCII of at most ${ID_LENGTH[key]} bytes without a trailing space); give one`
      );
    if (key === 'volumeId' && kept === '') continue;
    labels[key] = kept;
  }
  const { volumeId, ...ids } = labels;
  return { volumeId, ids };
}

/** The boot options given (any of them replaces the replay), by their schema names. */
function bootOptionsGiven(config: BuildConfig): string[] {
  const given: [string, boolean][] = [
    ['bios-boot', config.biosBoot.length > 0],
    ['uefi-boot', config.uefiBoot.length > 0],
    ['boot', config.boot.length > 0],
    ['append-partition', config.appendPartition.length > 0],
    ['mbr-template', config.mbrTemplate !== undefined]
  ];
  return given.filter(([, on]) => on).map(([name]) => name);
}

/**
 * The build's options for a remaster: the ids kept from the source image, and its boot setup
 * replayed unless boot options are given or `replay-boot` is false (the log says what is dropped);
 * `without-apm` drops an Apple partition map and its HFS+ (a warning names them) instead of failing.
 * A given --mbr-kind or --boot-catalog wins over the replayed one.
 */
export async function remasterConfig(config: BuildConfig, img: IsoImage, log: Logger): Promise<BuildConfig> {
  const given = bootOptionsGiven(config);
  const ids = keptIds(config, img);
  if (config.replayBoot === 'false' || given.length > 0) {
    if (img.boot || img.partitions.length > 0)
      log.info(
        `${img.path}: its boot setup is not replayed (${given.length > 0 ? `${given.map(cliFlag).join(', ')} given` : '--replay-boot false'}); dropped: ${bootSummary(img)}`
      );
    return { ...config, ...ids };
  }
  const image: ImageFile = { path: img.path, fd: img.source.fd!, size: img.size };
  const dropApm = (apple: string) =>
    log.warn(
      `--replay-boot without-apm: dropped ${apple} of ${img.path}; the rest of its boot setup is replayed`,
      img.path
    );
  const boot = await replayBoot(img, image, config.replayBoot === 'without-apm' ? dropApm : undefined);
  if (!boot) return { ...config, ...ids };
  return {
    ...config,
    ...ids,
    ...boot,
    mbrKind: config.mbrKind !== 'auto' ? config.mbrKind : boot.mbrKind,
    ...(config.bootCatalogGiven
      ? { bootCatalog: config.bootCatalog, bootCatalogHide: config.bootCatalogHide }
      : {})
  };
}

/**
 * The paths a remaster writes, checked as a build's are (outside the overlay folder, when there is
 * one; no device, FIFO or folder replaced). `source` in the result names the source image.
 */
export async function checkRemasterPaths(
  config: BuildConfig,
  sidecars: readonly Target[],
  platform: Platform
): Promise<{ source: string; output: string }> {
  if (config.source) await checkPaths(config.source, config.output, platform, sidecars);
  else for (const t of [{ path: config.output, what: 'output' }, ...sidecars]) await checkTarget(t, platform);
  return { source: config.sourceImage!, output: path.resolve(config.output) };
}
