/**
 * One read of the image for verify's checksums and manifest together: the image is read once, in
 * order, in windows; a worker computes the image's digests of each window (the checksum file's
 * lines) while this thread computes the SHA-256 of every file's extents that lie in it (the
 * manifest's). Before, each check read the whole image itself, on two threads at once.
 *
 * Only files whose extents lie inside the image in increasing, non-overlapping order are hashed in
 * the pass; any other (hostile, or an odd multi-extent file) is left to readManifest, which hashes
 * it on its own and reports what is wrong with it. If the files together hold more data than the
 * image could (overlapping extents, hostile), none is hashed here: readManifest refuses them.
 */
import { createHash, type Hash } from 'node:crypto';
import { SECTOR } from '../image/bytes.js';
import { HashWorker } from '../image/hasher.js';
import { WINDOW } from '../image/io-tuning.js';
import type { ChecksumAlgorithm } from './checks.js';
import { forEachNode, type IsoImage } from './image.js';
import type { ReadNode } from './tree.js';

/** A page of memory and of the page cache. */
const PAGE = 4096;
/** Windows in turn: one being read, one being hashed, one spare. */
const WINDOWS = 3;
/**
 * The windows start this far into the shared buffer. The kernel copies a read from the page cache
 * with `rep movsb`, which on this machine's AMD EPYC runs ~5x slower when the destination lies 1 to
 * 31 bytes past the source modulo 4 KiB (measured: a destination at the source's page offset, or
 * 32 bytes or more past it, is fast). A large SharedArrayBuffer starts 16 bytes past a page (glibc
 * puts its chunk header first), and the windows read whole pages of the image, so at offset 0 every
 * read was 16 bytes past: 0.46-0.75 s of CPU per GiB, against 0.10-0.15 s 2,048 bytes further on.
 */
export const WINDOW_PAGE_OFFSET = 2048;

export interface ImagePass {
  /** the image's digests (hex), by algorithm */
  digests: Partial<Record<ChecksumAlgorithm, string>>;
  /** SHA-256 (hex) of the files hashed in the pass, by extentKey */
  files: Map<string, string>;
}

/** A file's data as a key: files that share extents (hard links, deduplicated data) share it. */
export function extentKey(n: ReadNode): string {
  const x = n.extents;
  // most files have one extent: no array of texts to join
  return x.length === 1 ? `${x[0].lba}+${x[0].size}` : x.map(e => `${e.lba}+${e.size}`).join(',');
}

/**
 * The most file data the image's files may hold before they are judged overlapping (hostile):
 * distinct files never hold more than the image.
 */
export function fileDataLimit(img: IsoImage): number {
  return 2 * img.size + 64 * 1024 * 1024;
}

/** One extent of one file: bytes [start, end) of the image; `last` ends the file's digest. */
interface Piece {
  key: string;
  start: number;
  end: number;
  last: boolean;
}

/** Pieces sort as one number each, block × 2^21 + index: blocks are 32-bit fields (ECMA-119 9.1.3). */
const INDEX_BITS = 2 ** 21;

/** The pieces of the files the pass can hash, by start; empty files' digests are known at once. */
function filePieces(img: IsoImage, files: Map<string, string>): Piece[] {
  const pieces: Piece[] = [];
  const seen = new Set<string>();
  let total = 0;
  const empty = createHash('sha256').digest('hex');
  forEachNode(img.tree.root, n => {
    if (n.kind !== 'file') return;
    const key = extentKey(n);
    if (seen.has(key)) return;
    seen.add(key);
    total += n.size;
    let count = 0;
    let end = 0;
    for (const x of n.extents) {
      if (x.size === 0) continue;
      const start = x.lba * SECTOR;
      // in the image, in increasing order, not overlapping: else readManifest hashes it alone
      if (!img.source.inside(start, x.size) || start < end) return;
      end = start + x.size;
      count++;
    }
    if (count === 0) files.set(key, empty);
    let i = 0;
    for (const x of n.extents)
      if (x.size > 0)
        pieces.push({ key, start: x.lba * SECTOR, end: x.lba * SECTOR + x.size, last: ++i === count });
  });
  if (total > fileDataLimit(img)) return [];
  // a tree's walk is not the data's order: sort by block, a numeric sort of packed numbers (no
  // comparator called 300,000 times for 20,000 files); more pieces than the index holds cannot be
  // (the walk allows 500,000 records), but would sort by comparator
  if (pieces.length >= INDEX_BITS) return pieces.sort((a, b) => a.start - b.start);
  const order = new Float64Array(pieces.length);
  for (let i = 0; i < pieces.length; i++) order[i] = (pieces[i].start / SECTOR) * INDEX_BITS + i;
  order.sort();
  return Array.from(order, v => pieces[v % INDEX_BITS]);
}

/**
 * The worker of a pass for `algorithms` (none: no worker), started before the image's trees are
 * read so that its start-up (~85 ms of a thread's CPU) overlaps the walk instead of following it.
 */
export function startPassWorker(algorithms: readonly ChecksumAlgorithm[]): HashWorker | undefined {
  return algorithms.length > 0 ? new HashWorker(algorithms) : undefined;
}

/**
 * Read the image once: its digests for `algorithms` (none: no worker) and the SHA-256 of its files
 * (`files`: false hashes none).
 */
export async function hashImageOnce(
  img: IsoImage,
  algorithms: readonly ChecksumAlgorithm[],
  opts: {
    files?: boolean;
    signal?: AbortSignal;
    windowSize?: number;
    /** a worker for `algorithms` started beforehand (startPassWorker); the pass closes it */
    worker?: HashWorker;
  } = {}
): Promise<ImagePass> {
  const files = new Map<string, string>();
  const pieces = opts.files === false ? [] : filePieces(img, files);
  const size = opts.windowSize ?? WINDOW;
  // a window size not a multiple of the page moves each window's offset: keep it a page's half off
  const stride = Math.ceil(size / PAGE) * PAGE;
  const sab = new SharedArrayBuffer(stride * WINDOWS + WINDOW_PAGE_OFFSET);
  const wins = Array.from({ length: WINDOWS }, (_, k) =>
    Buffer.from(sab, WINDOW_PAGE_OFFSET + k * stride, size)
  );
  const busy: (Promise<void> | undefined)[] = [];
  const worker = opts.worker ?? (algorithms.length > 0 ? new HashWorker(algorithms) : undefined);
  const hashes = new Map<string, Hash>();
  let active: Piece[] = [];
  let next = 0;
  const count = Math.ceil(img.size / size);
  // each promise gets a handler at once: one may fail while another is awaited (it is awaited later)
  const handled = <T>(p: Promise<T>) => (p.catch(() => undefined), p);
  const fill = (k: number) => {
    const len = Math.min(size, img.size - k * size);
    return handled(img.source.fill(wins[k % WINDOWS].subarray(0, len), k * size, 'image'));
  };
  let reading = count > 0 ? fill(0) : undefined;
  try {
    for (let k = 0; k < count; k++) {
      opts.signal?.throwIfAborted();
      const win = await reading!;
      if (k + 1 < count) {
        await busy[(k + 1) % WINDOWS];
        reading = fill(k + 1);
      }
      if (worker) busy[k % WINDOWS] = handled(worker.submit(sab, win.byteOffset, win.length, []));
      const ws = k * size;
      const we = ws + win.length;
      while (next < pieces.length && pieces[next].start < we) active.push(pieces[next++]);
      for (const p of active) {
        let h = hashes.get(p.key);
        if (!h) hashes.set(p.key, (h = createHash('sha256')));
        h.update(win.subarray(Math.max(p.start, ws) - ws, Math.min(p.end, we) - ws));
        if (p.last && p.end <= we) {
          files.set(p.key, h.digest('hex'));
          hashes.delete(p.key);
        }
      }
      active = active.filter(p => p.end > we);
    }
    await Promise.all(busy);
    return { digests: worker ? (await worker.finish()).digests : {}, files };
  } finally {
    await Promise.all(busy.map(b => b?.catch(() => undefined)));
    await reading?.catch(() => undefined);
    await worker?.close();
  }
}
