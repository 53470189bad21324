/**
 * write: the image in one pass, as a sequence of windows (a few MiB of the image each). A window
 * is filled from the plan's pieces in place (window-fill.ts): metadata is encoded into it, and the
 * files' bytes are read straight into it at their blocks. This thread does those reads,
 * synchronously, as soon as a window is free: cheap while the files are in memory, as a build's
 * inputs usually are, and this thread has little else to do while the workers hash. When the reads
 * turn out slow (a cold disk), the rest go through libuv's pool instead, many at once (small files
 * and parts of large ones alike), so the disk sees a deep queue. A filled window is handed to the
 * hash workers (image digests, per-file digests) and written at its offset while the next windows
 * fill. Windows are flushed strictly in order, so digests see the image's bytes in order; writes
 * are positioned, so they need not be.
 */
import { readSync } from 'node:fs';
import { fsError } from '../errors.js';
import type { HashWorker } from './hasher.js';
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

/** The hash workers of a build: the image's digests, every file's SHA-256, and any others that only digest the image. */
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
   * Who reads the files: this thread, synchronously, while its reads are fast ('sync', the
   * default), or libuv's pool ('pool'; tests choose it to cover both paths).
   */
  reads?: 'sync' | 'pool';
}

interface Slot {
  win: Window;
  /** settles when the window's bytes are hashed and written */
  busy: Promise<void> | undefined;
}

/**
 * Reads a window's parts here, one after another (a few microseconds each from memory, where a
 * read through the pool costs thread hand-offs), then judges each as the pool's reads are judged.
 * How long they took tells the pace whether to hand the next windows' reads to the pool.
 */
function readHere(pace: FillPace, jobs: ReadJob[]): void {
  const t = performance.now();
  let bytes = 0;
  let failed: { index: number; error: unknown } | undefined;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    const length = job.need + job.extra;
    bytes += job.need;
    let n = 0;
    try {
      while (n < length) {
        const k = readSync(job.fd, job.buf, job.at + n, length - n, job.pos + n);
        if (k === 0) break; // the end of the file: settle() judges a short part
        n += k;
      }
    } catch (e) {
      failed = { index: i, error: e };
      break;
    }
    job.got = n;
  }
  pace.record(performance.now() - t, bytes, jobs.length);
  let first: unknown;
  const judged = failed ? failed.index + 1 : jobs.length;
  for (let i = 0; i < judged; i++) {
    const job = jobs[i];
    try {
      if (i === failed?.index) throw fsError(failed.error, job.file.path, 'cannot read');
      settle(job, job.extra === 1 && job.got <= job.need);
    } catch (e) {
      job.file.close();
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

/** Writes the whole image; returns its size in bytes. */
export async function writeImage(plan: Plan, o: WriteOptions): Promise<number> {
  const size = o.windowSize ?? WINDOW;
  const taps = o.taps ?? [];
  const reader = new Reader(READ_CONCURRENCY);
  const slots: Slot[] = Array.from({ length: WINDOWS }, () => ({ win: o.out.window(size), busy: undefined }));
  const { image, files, others = [] } = o.hashers ?? {};
  const digestOnly = [image, ...others].filter((h): h is HashWorker => !!h);
  const pace = new FillPace();
  const filler = new WindowFill(segments(plan), reader, pace, o.reads !== 'pool');
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
      batch.seal();
      if (fills.length > 0) readHere(pace, fills);

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
