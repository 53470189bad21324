/**
 * write: the image in one pass, as a sequence of windows (a few MiB of the image each). A window
 * is filled from the plan's pieces in place (window-fill.ts): metadata is encoded into it, and the
 * files' bytes are read straight into it at their blocks. The hash workers do those reads,
 * synchronously, taking windows in turn: cheap while the files are in memory, as a build's inputs
 * usually are. When a worker's reads turn out slow (a cold disk), the rest go through libuv's pool
 * instead, many at once (small files and parts of large ones alike), so the disk sees a deep
 * queue. A filled window is handed to the hash workers (image digests, per-file digests) and
 * written at its offset while the next windows fill. Windows are flushed strictly in order, so
 * digests see the image's bytes in order; writes are positioned, so they need not be.
 */
import { fsError } from '../errors.js';
import type { FillRead, FillResult, HashWorker } from './hasher.js';
import { FillPace, READ_CONCURRENCY, WINDOW, WINDOWS } from './io-tuning.js';
import type { ImageOutput, Window } from './output.js';
import type { Plan } from './plan.js';
import { segments } from './segments.js';
import { Batch, Reader, settle, type ReadJob } from './source-read.js';
import { WindowFill } from './window-fill.js';

/** A consumer of the image's bytes, in order (a streaming digest, the implanted-MD5 sums). */
export interface Tap {
  update(chunk: Buffer): void;
}

/**
 * The hash workers of a build: the image's digests and every file's SHA-256 (these two also read
 * the files into the windows), and any others that only digest the image.
 */
export interface Hashers {
  image?: HashWorker;
  files?: HashWorker;
  others?: readonly HashWorker[];
}

export interface WriteOptions {
  out: ImageOutput;
  taps?: readonly Tap[];
  hashers?: Hashers;
  signal?: AbortSignal;
  /** bytes of the image flushed so far, once per window */
  onProgress?: (done: number) => void;
  /** window size (tests use small ones to cross window boundaries often) */
  windowSize?: number;
  /**
   * Who reads the files: the hash workers while their reads are fast ('workers', the default when
   * there are hash workers), or libuv's pool ('pool'; tests choose it to cover both paths).
   */
  reads?: 'workers' | 'pool';
}

interface Slot {
  win: Window;
  /** settles when the window's bytes are hashed and written */
  busy: Promise<void> | undefined;
}

/** A worker's reads for a window are in: judge each part as the pool's reads are judged. */
function takeFill(pace: FillPace, jobs: ReadJob[], r: FillResult): void {
  const bytes = jobs.reduce((a, j) => a + j.need, 0);
  pace.record(r.ms, bytes, jobs.length);
  let first: unknown;
  jobs.forEach((job, i) => {
    if (r.error && i > r.error.index) return; // not read; closed with the rest on failure
    try {
      if (r.error && i === r.error.index) {
        const e = Object.assign(new Error(r.error.message), { code: r.error.code });
        throw fsError(e, job.file.path, 'cannot read');
      }
      job.got = r.got[i];
      settle(job, job.extra === 1 && job.got <= job.need);
    } catch (e) {
      job.file.close();
      first ??= e;
    }
  });
  if (first !== undefined) throw first;
}

/** Hands a window's reads to a worker; the batch settles when they are in and judged. */
function fillByWorker(
  worker: HashWorker,
  pace: FillPace,
  win: Window,
  len: number,
  fills: ReadJob[],
  batch: Batch
) {
  batch.pending++;
  const reads: FillRead[] = fills.map(j => ({ fd: j.fd, at: j.at, length: j.need + j.extra, pos: j.pos }));
  worker.fill(win.sab, win.offset, len, reads).then(
    r => {
      try {
        takeFill(pace, fills, r);
        batch.end();
      } catch (e) {
        batch.end(e);
      }
    },
    e => batch.end(e)
  );
}

/** Writes the whole image; returns its size in bytes. */
export async function writeImage(plan: Plan, o: WriteOptions): Promise<number> {
  const size = o.windowSize ?? WINDOW;
  const taps = o.taps ?? [];
  const reader = new Reader(READ_CONCURRENCY);
  const slots: Slot[] = Array.from({ length: WINDOWS }, () => ({ win: o.out.window(size), busy: undefined }));
  const { image, files, others = [] } = o.hashers ?? {};
  const fillers = o.reads === 'pool' ? [] : [files, image].filter((h): h is HashWorker => !!h);
  const digestOnly = [image, ...others].filter((h): h is HashWorker => !!h);
  const pace = new FillPace();
  const filler = new WindowFill(segments(plan), reader, pace, fillers.length > 0);
  let failure: unknown;
  const fail = (e: unknown) => {
    failure ??= e;
  };

  let handedOn: Promise<void> = Promise.resolve();
  try {
    for (let ws = 0, k = 0; ws < plan.imageSize; ws += size, k++) {
      o.signal?.throwIfAborted();
      if (failure) throw failure;
      const slot = slots[k % WINDOWS];
      if (slot.busy) await slot.busy;
      if (failure) throw failure;
      const len = Math.min(size, plan.imageSize - ws);
      const win = slot.win;
      const batch = new Batch();
      const { ranges, fills } = await filler.fill(win.buf, ws, len, batch);
      if (fills.length > 0) fillByWorker(fillers[k % fillers.length], pace, win, len, fills, batch);
      batch.seal();

      // hand the window on in order, once its reads are in and the previous one was handed on
      const data = win.buf.subarray(0, len);
      const handed = Promise.all([batch.done, handedOn]).then(() => {
        if (failure) throw failure;
        for (const t of taps) t.update(data);
        const work: Promise<unknown>[] = [o.out.write(data, ws)];
        for (const h of digestOnly) work.push(h.submit(win.sab, win.offset, len, []));
        if (files) work.push(files.submit(win.sab, win.offset, len, ranges));
        o.onProgress?.(ws + len);
        // wrapped, so that handing the next window on does not wait for this one's work
        return { work };
      });
      handedOn = handed.then(
        () => undefined,
        () => undefined
      );
      slot.busy = handed.then(h => Promise.all(h.work)).then(() => undefined, fail);
    }
    for (const s of slots) if (s.busy) await s.busy;
    if (failure) throw failure;
    filler.checkEnd();
    return plan.imageSize;
  } catch (e) {
    fail(e);
    await filler.abandon();
    await reader.drain();
    for (const s of slots) if (s.busy) await s.busy.catch(() => undefined);
    filler.closeFiles();
    throw failure;
  }
}
