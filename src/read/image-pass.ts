/**
 * One read of the image for verify's checksums and manifest together: the image is read once, in
 * order, in windows; one worker reads them and computes the SHA-256 of every file's extents in
 * each (the manifest's) while another computes the image's digests of each window (the checksum
 * file's lines). Before, each check read the whole image itself, on two threads at once.
 *
 * Only files whose extents lie inside the image in increasing, non-overlapping order are hashed in
 * the pass; any other (hostile, or an odd multi-extent file) is left to readManifest, which hashes
 * it on its own and reports what is wrong with it. If the files together hold more data than the
 * image could (overlapping extents, hostile), none is hashed here: readManifest refuses them.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SECTOR } from '../image/bytes.js';
import { WINDOW } from '../image/io-tuning.js';
import type { ChecksumAlgorithm } from './checks.js';
import { forEachNode, type IsoImage } from './image.js';
import {
  CTRL,
  CTRL_SLOTS,
  PASS_WORKER_SOURCE,
  STOP_ABORTED,
  STOP_FAILED,
  WINDOWS,
  type PassReply,
  type PassWorkerData
} from './pass-worker.js';
import type { ReadNode } from './tree.js';

/** A page of memory and of the page cache. */
const PAGE = 4096;
/**
 * The windows start this far past a page boundary of the shared buffer. The kernel copies a read
 * from the page cache with `rep movsb`, which on this machine's AMD EPYC runs ~5x slower when the
 * destination's offset in its page equals the source's (4K aliasing): the windows read whole pages
 * of the file (offset 0 in the page), so at offset 0 of a page-aligned buffer every byte paid it.
 * 2 GiB read in 6 MiB windows: 0.46-0.75 s of CPU per GiB aligned, 0.10-0.15 s half a page off.
 */
export const WINDOW_PAGE_OFFSET = 2048;

export interface ImagePass {
  /** the image's digests (hex), by algorithm */
  digests: Partial<Record<ChecksumAlgorithm, string>>;
  /** SHA-256 (hex) of the files hashed in the pass, by extentKey */
  files: Map<string, string>;
  /** where in their page the windows' reads landed (each distinct offset; see WINDOW_PAGE_OFFSET) */
  pageOffsets: number[];
}

/** A file's data as a key: files that share extents (hard links, deduplicated data) share it. */
export function extentKey(n: ReadNode): string {
  return n.extents.map(x => `${x.lba}+${x.size}`).join(',');
}

/**
 * The most file data the image's files may hold before they are judged overlapping (hostile):
 * distinct files never hold more than the image.
 */
export function fileDataLimit(img: IsoImage): number {
  return 2 * img.size + 64 * 1024 * 1024;
}

/** The files the pass hashes: their extents sorted by start (a file by its index in `keys`). */
interface Pieces {
  keys: string[];
  starts: Float64Array;
  ends: Float64Array;
  index: Int32Array;
  last: Uint8Array;
}

const NO_PIECES: Pieces = {
  keys: [],
  starts: new Float64Array(),
  ends: new Float64Array(),
  index: new Int32Array(),
  last: new Uint8Array()
};

/** The pieces of the files the pass can hash, by start; empty files' digests are known at once. */
function filePieces(img: IsoImage, files: Map<string, string>): Pieces {
  const keys: string[] = [];
  const list: { key: number; start: number; end: number; last: boolean }[] = [];
  const seen = new Set<string>();
  let total = 0;
  const empty = createHash('sha256').digest('hex');
  forEachNode(img.tree.root, n => {
    if (n.kind !== 'file') return;
    const key = extentKey(n);
    if (seen.has(key)) return;
    seen.add(key);
    total += n.size;
    const parts = n.extents.filter(x => x.size > 0).map(x => ({ start: x.lba * SECTOR, size: x.size }));
    const ordered = parts.every(
      (p, i) =>
        img.source.inside(p.start, p.size) && (i === 0 || parts[i - 1].start + parts[i - 1].size <= p.start)
    );
    if (!ordered) return;
    if (parts.length === 0) {
      files.set(key, empty);
      return;
    }
    const k = keys.push(key) - 1;
    parts.forEach((p, i) =>
      list.push({ key: k, start: p.start, end: p.start + p.size, last: i === parts.length - 1 })
    );
  });
  if (total > fileDataLimit(img)) list.length = keys.length = 0;
  list.sort((a, b) => a.start - b.start);
  return {
    keys,
    starts: Float64Array.from(list, p => p.start),
    ends: Float64Array.from(list, p => p.end),
    index: Int32Array.from(list, p => p.key),
    last: Uint8Array.from(list, p => (p.last ? 1 : 0))
  };
}

/**
 * Read the image once: its digests for `algorithms` (none: no image thread) and the SHA-256 of its
 * files (`files`: false hashes none). The reads and both hashes run on worker threads that hand
 * windows to each other (src/read/pass-worker.ts): this thread is free meanwhile (verify loads
 * and reads the manifest). Needs an image opened from a file (its descriptor).
 */
export async function hashImageOnce(
  img: IsoImage,
  algorithms: readonly ChecksumAlgorithm[],
  opts: { files?: boolean; signal?: AbortSignal; windowSize?: number } = {}
): Promise<ImagePass> {
  opts.signal?.throwIfAborted();
  const fd = img.source.fd;
  if (fd === undefined) throw new Error('internal: the image pass reads an image opened from a file');
  const files = new Map<string, string>();
  const pieces = opts.files === false ? NO_PIECES : filePieces(img, files);
  const size = opts.windowSize ?? WINDOW;
  // a window size not a multiple of the page moves each window's offset: keep it a page's half off
  const stride = Math.ceil(size / PAGE) * PAGE;
  const data: Omit<PassWorkerData, 'role'> = {
    ctrl: new SharedArrayBuffer(CTRL_SLOTS * Int32Array.BYTES_PER_ELEMENT),
    sab: new SharedArrayBuffer(stride * WINDOWS + WINDOW_PAGE_OFFSET),
    windowOffsets: Array.from({ length: WINDOWS }, (_, k) => WINDOW_PAGE_OFFSET + k * stride),
    windowSize: size,
    size: img.size,
    fd,
    algorithms: [...algorithms],
    starts: pieces.starts,
    ends: pieces.ends,
    keys: pieces.index,
    last: pieces.last,
    fileCount: pieces.keys.length
  };
  const ctrl = new Int32Array(data.ctrl);
  const stopAll = () => stopPass(ctrl, STOP_ABORTED);
  const threads = [
    passThread({ ...data, role: 'files' }),
    ...(algorithms.length > 0 ? [passThread({ ...data, role: 'image' })] : [])
  ];
  const aborted = new Promise<never>((_, reject) => {
    const s = opts.signal;
    s?.addEventListener('abort', () => reject(s.reason), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const replies = await Promise.race([
      Promise.all(threads.map(t => t.reply.then(r => (r.type === 'stopped' ? undefined : r)))),
      aborted
    ]);
    const fail = replies.find(r => r?.type === 'error');
    if (fail?.ended) throw img.source.fail('image: the image ended while reading (truncated?)');
    if (fail) throw Object.assign(new Error(fail.message), { code: fail.code });
    const sums = replies[0]?.sums;
    const pageOffsets = [...new Set(replies.flatMap(r => r?.pageOffsets ?? []))];
    if (!sums) throw new Error('internal: the image pass stopped');
    pieces.keys.forEach((key, i) =>
      files.set(key, Buffer.from(sums.buffer, sums.byteOffset + i * 32, 32).toString('hex'))
    );
    return {
      digests: (replies[1]?.digests ?? {}) as ImagePass['digests'],
      files,
      pageOffsets
    };
  } finally {
    stopAll();
    await Promise.all(threads.map(t => t.exited));
  }
}

/** One thread of the pass: its reply (a failed thread replies `error`), and its end. */
function passThread(data: PassWorkerData): { reply: Promise<PassReply>; exited: Promise<void> } {
  const worker = new Worker(PASS_WORKER_SOURCE, { eval: true, workerData: data });
  const ctrl = new Int32Array(data.ctrl);
  const reply = new Promise<PassReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', e => {
      // the other thread must not wait for windows this one will never hand on
      stopPass(ctrl, STOP_FAILED);
      reject(e);
    });
    worker.once('exit', code => reject(new Error(`image pass thread exited with code ${code}`)));
  });
  reply.catch(() => undefined);
  const exited = new Promise<void>(resolve => worker.once('exit', () => resolve()));
  return { reply, exited };
}

/** End both threads of a pass: STOP set (the first reason stays) and every waiter woken. */
function stopPass(ctrl: Int32Array, why: number): void {
  Atomics.compareExchange(ctrl, CTRL.STOP, 0, why);
  for (let i = 0; i < ctrl.length; i++) Atomics.notify(ctrl, i);
}
