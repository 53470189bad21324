/**
 * Reading a file of another image (DataSource 'image', a remaster's input) by its extents: the
 * file positions mapped to image offsets, and its bytes in chunks for the boot code and the FAT
 * builder. The image is opened once by its reader; a read that ends early means it changed.
 */
import * as fs from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import type { ImageExtent, ImageFile } from './tree.js';

/** A run of `length` bytes of the file, at `at` from the start asked for and `pos` in the image. */
export interface ImageRun {
  at: number;
  pos: number;
  length: number;
}

/** The file's bytes [start, start + length) as runs in the image, in order. */
export function imageRuns(extents: readonly ImageExtent[], start: number, length: number): ImageRun[] {
  const runs: ImageRun[] = [];
  let base = 0;
  for (const e of extents) {
    if (runs.length > 0 || start < base + e.length) {
      const from = Math.max(start, base);
      const to = Math.min(start + length, base + e.length);
      if (to <= from) break;
      runs.push({ at: from - start, pos: e.offset + (from - base), length: to - from });
    }
    base += e.length;
  }
  return runs;
}

export function imageChanged(image: ImageFile, detail: string): IsoforgeError {
  return new IsoforgeError(`source image ${image.path}: changed during the build (${detail})`, {
    subject: image.path
  });
}

const CHUNK = 1 << 20;

/** The file's bytes in chunks (fresh buffers) of at most 1 MiB. */
export async function* imageChunks(
  image: ImageFile,
  extents: readonly ImageExtent[],
  size: number
): AsyncGenerator<Buffer> {
  for (let start = 0; start < size; start += CHUNK) {
    const want = Math.min(CHUNK, size - start);
    const buf = Buffer.allocUnsafe(want);
    for (const r of imageRuns(extents, start, want)) {
      for (let got = 0; got < r.length;) {
        const n = await new Promise<number>((resolve, reject) =>
          fs.read(image.fd, buf, r.at + got, r.length - got, r.pos + got, (e, k) =>
            e ? reject(fsError(e, image.path, 'cannot read')) : resolve(k)
          )
        );
        if (n === 0) throw imageChanged(image, `it ended at byte ${r.pos + got}`);
        got += n;
      }
    }
    yield buf;
  }
}

/** The first `length` bytes of the file (a boot image, a FAT boot sector). */
export async function readImageData(
  image: ImageFile,
  extents: readonly ImageExtent[],
  length: number
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of imageChunks(image, extents, length)) parts.push(c);
  return Buffer.concat(parts, length);
}
