/**
 * The threads of verify's one read of the image (src/read/image-pass.ts), run without the main
 * thread between them: the `files` thread hashes the files' extents in each window, the `image`
 * thread hashes each window into the image's digests, and each reads every other window into the
 * shared memory for both (reading is a quarter of the work: on one thread, it kept the other
 * waiting). They hand windows to each other through counters in shared memory (Atomics), so a main
 * thread busy with the manifest meanwhile does not starve them: handed through the main thread's
 * event loop, a manifest being parsed left both hashers waiting.
 *
 * Shared counters (Int32Array `ctrl`): STOP, set by any side to end both (an error, an abort);
 * DONE + t, the windows thread t has hashed; SLOT + s, 1 + the window slot s holds. A slot is
 * refilled only once both threads are done with the window it held.
 */

/** Indices into the shared counters. */
export const CTRL = { STOP: 0, DONE: 1, SLOT: 3 } as const;
/** Windows in turn: one being read while both threads hash the one or two before it. */
export const WINDOWS = 3;
export const CTRL_SLOTS = CTRL.SLOT + WINDOWS;
/** STOP values: a thread failed; the main thread gave up (aborted, or a thread failed). */
export const STOP_FAILED = 1;
export const STOP_ABORTED = 2;

/** What both threads are given. */
export interface PassWorkerData {
  role: 'files' | 'image';
  ctrl: SharedArrayBuffer;
  sab: SharedArrayBuffer;
  /** byte offset in `sab` of each window (their memory) */
  windowOffsets: number[];
  windowSize: number;
  /** the image's length in bytes, and its descriptor (the files thread reads it) */
  size: number;
  fd: number;
  /** the image thread's algorithms */
  algorithms: string[];
  /** the files' extents, sorted by start: bytes [start, end) of the image, the file's index, last */
  starts: Float64Array;
  ends: Float64Array;
  keys: Int32Array;
  last: Uint8Array;
  fileCount: number;
}

/** The replies: `files` (SHA-256 of every file, 32 bytes each by index), `image`, or `error`. */
export interface PassReply {
  type: 'files' | 'image' | 'error' | 'stopped';
  sums?: Uint8Array;
  digests?: Record<string, string>;
  /** offsets in the page of the windows' memory the reads went to (each distinct one) */
  pageOffsets?: number[];
  /** the image ended before `size` bytes (shrunk while verify ran) */
  ended?: boolean;
  code?: string;
  message?: string;
}

// CommonJS given as source (eval), as src/image/hasher.ts does, so bundlers need not know of it.
// Waits are bounded (WAIT_MS) so a STOP is seen even if its notify raced the wait.
export const PASS_WORKER_SOURCE = `
const { parentPort, workerData: d } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const ctrl = new Int32Array(d.ctrl);
const STOP = ${CTRL.STOP}, DONE = ${CTRL.DONE}, SLOT = ${CTRL.SLOT}, W = ${WINDOWS};
const WAIT_MS = 50;
const count = Math.ceil(d.size / d.windowSize);
const me = d.role === 'files' ? 0 : 1;
const threads = d.algorithms.length > 0 ? 2 : 1;
const view = k => Buffer.from(d.sab, d.windowOffsets[k % W], Math.min(d.windowSize, d.size - k * d.windowSize));
/** Wait until ctrl[i] >= n; false if STOP came first. */
function waitFor(i, n) {
  for (;;) {
    if (Atomics.load(ctrl, STOP) !== 0) return false;
    const v = Atomics.load(ctrl, i);
    if (v >= n) return true;
    Atomics.wait(ctrl, i, v, WAIT_MS);
  }
}
function stop() {
  Atomics.compareExchange(ctrl, STOP, 0, ${STOP_FAILED});
  for (let i = 0; i < ctrl.length; i++) Atomics.notify(ctrl, i);
}
/** Read window k into its slot (once the other thread is done with what the slot held): ok, or a reply. */
function fill(k, pageOffsets) {
  if (threads === 2 && !waitFor(DONE + 1 - me, k - W + 1)) return { type: 'stopped' };
  const win = view(k);
  const ws = k * d.windowSize;
  pageOffsets.add((((win.byteOffset - ws) % 4096) + 4096) % 4096);
  for (let n = 0; n < win.length; ) {
    let got;
    try {
      got = readSync(d.fd, win, n, win.length - n, ws + n);
    } catch (e) {
      stop();
      return { type: 'error', code: e.code, message: e.message };
    }
    if (got === 0) {
      stop();
      return { type: 'error', ended: true };
    }
    n += got;
  }
  Atomics.store(ctrl, SLOT + (k % W), k + 1);
  Atomics.notify(ctrl, SLOT + (k % W));
  return undefined;
}
/** Each window in turn: read it if it is this thread's turn, wait for it, hash it with hash(). */
function run(hash) {
  const pageOffsets = new Set();
  for (let k = 0; k < count; k++) {
    if (k % threads === me) {
      const failed = fill(k, pageOffsets);
      if (failed) return { failed };
    }
    if (!waitFor(SLOT + (k % W), k + 1)) return { failed: { type: 'stopped' } };
    hash(view(k), k * d.windowSize);
    Atomics.store(ctrl, DONE + me, k + 1);
    Atomics.notify(ctrl, DONE + me);
  }
  return { pageOffsets: [...pageOffsets] };
}
function files() {
  const sums = Buffer.alloc(d.fileCount * 32);
  const hashes = new Map();
  let next = 0;
  let active = [];
  const r = run((win, ws) => {
    const we = ws + win.length;
    while (next < d.starts.length && d.starts[next] < we) active.push(next++);
    for (const p of active) {
      const key = d.keys[p];
      let h = hashes.get(key);
      if (!h) hashes.set(key, (h = createHash('sha256')));
      h.update(win.subarray(Math.max(d.starts[p], ws) - ws, Math.min(d.ends[p], we) - ws));
      if (d.last[p] && d.ends[p] <= we) {
        h.digest().copy(sums, key * 32);
        hashes.delete(key);
      }
    }
    active = active.filter(p => d.ends[p] > we);
  });
  parentPort.postMessage(r.failed ?? { type: 'files', sums, pageOffsets: r.pageOffsets });
}
function image() {
  const hs = d.algorithms.map(a => [a, createHash(a)]);
  const r = run(win => { for (const [, h] of hs) h.update(win); });
  parentPort.postMessage(r.failed ?? { type: 'image', pageOffsets: r.pageOffsets, digests: Object.fromEntries(hs.map(([a, h]) => [a, h.digest('hex')])) });
}
if (d.role === 'files') files(); else image();
`;
