/**
 * `inspect IMAGE --as-options [--output DIR]`: the build flags that reproduce an image's layout over
 * its extracted tree (as `xorriso -report_el_torito as_mkisofs` does for xorriso). One code path
 * with the remaster: the flags are replayBoot's option values (read/replay-boot.ts) and the PVD's
 * ids. The parts that are bytes, not flags (the MBR boot code, the appended partitions), are named
 * as the byte ranges of IMAGE to cut out, or, given DIR, written there (mbr-code.bin,
 * partition-N.img) and named by their paths.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { rangeBytes } from '../boot/appended.js';
import { MBR_CODE_BYTES } from '../boot/mbr.js';
import { fsError } from '../errors.js';
import { imageChunks } from '../image/image-data.js';
import { LABEL_OPTIONS, type VolumeLabels } from '../image/labels.js';
import type { ImageFile } from '../image/tree.js';
import type { IsoImage } from './image.js';
import { replayBoot } from './replay-boot.js';

/** One flag and its value, as `build` takes them. */
export type Flag = readonly [string, string];

/** A value quoted for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The flags, one a line, each line but the last continued with a backslash. */
export const flagLines = (flags: readonly Flag[]): string =>
  flags.map(([f, v]) => `--${f} ${shellQuote(v)}`).join(' \\\n') + '\n';

/** Write bytes [offset, offset + length) of the image to `file`, streamed (1 MiB at a time). */
async function writeRange(image: ImageFile, r: { offset: number; length: number }, file: string) {
  const fh = await fs.open(file, 'wx').catch((e: unknown) => {
    throw fsError(e, file, 'cannot write');
  });
  try {
    for await (const c of imageChunks(image, [r], r.length)) await fh.write(c);
  } finally {
    await fh.close();
  }
}

/**
 * The image's ids, the tree's extensions and its boot setup as build flags. What no flag can say
 * of the boot setup (an Apple partition map and its HFS+: isoforge writes none) is left out and
 * passed to `leftOut`. An empty id is not printed: an empty value is no value (as an action's
 * unset input), so a build from the flags has the default there (application-id: ISOFORGE).
 */
export async function asOptions(
  img: IsoImage,
  dir: string | undefined,
  leftOut: (what: string) => void
): Promise<Flag[]> {
  const image: ImageFile = { path: img.path, fd: img.source.fd!, size: img.size };
  const flags: Flag[] = [];
  for (const key of Object.keys(LABEL_OPTIONS) as (keyof VolumeLabels)[]) {
    const text = img.pvd[key].replace(/ +$/, '');
    if (text !== '') flags.push([LABEL_OPTIONS[key], text]);
  }
  flags.push(['rock-ridge', String(img.primary.namespace === 'rockridge')]);
  flags.push(['joliet', String(img.joliet !== undefined)]);
  const boot = await replayBoot(img, image, leftOut);
  if (!boot) return flags;
  if (dir !== undefined) await fs.mkdir(dir, { recursive: true });
  const place = async (name: string, r: { offset: number; length: number }) => {
    if (dir === undefined) return rangeBytes({ ...r, image });
    const file = path.join(dir, name);
    await writeRange(image, r, file);
    return file;
  };
  flags.push(['boot-catalog', boot.bootCatalog]);
  if (boot.bootCatalogHide) flags.push(['boot-catalog-hide', 'true']);
  flags.push(['hybrid', String(boot.hybrid)]);
  for (const r of boot.appendedRanges ?? []) {
    const file = await place(`partition-${r.number}.img`, r);
    flags.push(['append-partition', `${r.number} ${r.type} ${file}`]);
  }
  for (const e of boot.boot) flags.push(['boot', e]);
  if (boot.mbrCode) {
    const code = { offset: 0, length: MBR_CODE_BYTES };
    flags.push(['mbr-template', await place('mbr-code.bin', code)]);
    flags.push(['mbr-kind', boot.mbrKind]);
  }
  return flags;
}
