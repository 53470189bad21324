/**
 * write: the image in one pass, as a sequence of windows (a few MiB of the image each). A window
 * is filled from the plan's pieces in place: metadata is encoded into it, and the files' bytes are
 * read straight into it at their blocks. The hash workers do those reads, synchronously, taking
 * windows in turn: cheap while the files are in memory, as a build's inputs usually are. When a
 * worker's reads turn out slow (a cold disk), the rest go through libuv's pool instead, many at
 * once (small files and parts of large ones alike), so the disk sees a deep queue. A filled window
 * is handed to the hash workers (image digest, per-file digests) and written at its offset while
 * the next windows fill. Windows are flushed strictly in order, so digests see the image's bytes
 * in order; writes are positioned, so they need not be.
 */
import * as fs from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import { SECTOR } from './bytes.js';
import type { FileRange, FillRead, FillResult, HashWorker } from './hasher.js';
import type { ImageOutput, Window } from './output.js';
import type { Plan } from './plan.js';
import type { FileNode } from './tree.js';

/** A consumer of the image's bytes, in order (streaming signers, the implanted-MD5 sums). */
export interface Tap {
  update(chunk: Buffer): void;
}

/**
 * Window size and count: three windows in turn (one filling, one hashing, one writing) of 6 MiB.
 * Against five of 4 MiB, 6 alternating runs of the 2 GiB benchmark tree took 6 % less CPU (4.09 s
 * against 4.37 s median) and 2.38 s against 2.46 s, in 4 MiB less memory: fewer hand-offs per byte.
 */
export const WINDOW = 6 * 1024 * 1024;
const WINDOWS = 3;
/** Large files are read in parts of this size, several at once. */
const READ_PART = 2 * 1024 * 1024;
/** File system calls in flight at once (the libuv pool runs them; the entry points size it). */
export const READ_CONCURRENCY = 16;
/**
 * Whether the workers' reads keep up. A window's reads are slow when they took longer (ms) than a
 * fixed 2 ms, 1 ms per MiB (1 GiB/s) and 0.1 ms per read. From memory they take a fifth of that
 * or less (here one file at ~0.35 ms per MiB; 75 small files in 4 MiB, 1.5 ms); a disk read one
 * request at a time takes more. Once 3 of the last 8 windows were slow, the rest is read through
 * the pool, whose many reads in flight a disk serves far faster. A single slow window (the worker
 * was preempted) changes nothing.
 */
export class FillPace {
  private readonly recent: boolean[] = [];
  /** the reads should go to the pool from now on */
  slow = false;

  record(ms: number, bytes: number, reads: number): void {
    this.recent.push(ms > 2 + bytes / (1024 * 1024) + 0.1 * reads);
    if (this.recent.length > 8) this.recent.shift();
    if (this.recent.filter(Boolean).length >= 3) this.slow = true;
  }
}

/**
 * Size libuv's pool (4 threads by default) for the writer, unless UV_THREADPOOL_SIZE is set: one
 * thread per read in flight on a slow disk, plus the image's writes and the rest of Node's use. The
 * pool starts with the first asynchronous file system call, so the entry points call this first.
 */
export function reserveIoThreads(): void {
  process.env.UV_THREADPOOL_SIZE ??= String(READ_CONCURRENCY + 4);
}

/**
 * The hash workers of a build: the image's digests, every file's SHA-256 (these two also read the
 * files into the windows), and a signature's own digest of the image (minisign's prehash).
 */
export interface Hashers {
  image?: HashWorker;
  files?: HashWorker;
  signing?: HashWorker;
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

/** One contiguous run of the image: bytes in memory, a stream, or a file to read. */
type Segment =
  | { kind: 'bytes'; start: number; length: number; what: string; make: () => Buffer; file?: string }
  | { kind: 'stream'; start: number; length: number; what: string; make: () => AsyncIterable<Buffer> }
  | { kind: 'file'; start: number; length: number; file: FileNode; path: string };

function* segments(plan: Plan): Generator<Segment> {
  yield { kind: 'bytes', start: 0, length: 16 * SECTOR, what: 'system area', make: () => plan.systemArea() };
  for (const p of plan.pieces) {
    if (p.kind === 'tail') {
      yield { kind: 'bytes', start: p.offset, length: p.bytes, what: 'tail', make: p.produce };
    } else if (p.kind === 'meta') {
      yield {
        kind: 'bytes',
        start: p.lba * SECTOR,
        length: p.blocks * SECTOR,
        what: 'metadata',
        make: p.produce
      };
    } else if (p.kind === 'file') {
      const f = p.file;
      const src = f.data;
      if (src.type === 'file') {
        yield { kind: 'file', start: p.lba * SECTOR, length: f.size, file: f, path: src.path };
      } else {
        yield {
          kind: 'bytes',
          start: p.lba * SECTOR,
          length: f.size,
          what: f.path,
          file: f.path,
          make: () => {
            const b = src.type === 'memory' ? src.bytes : src.produce(plan);
            if (b.length !== f.size)
              throw new Error(`internal: ${f.path} produced ${b.length} of ${f.size} bytes`);
            return b;
          }
        };
      }
    } else {
      const region = p.region;
      const what = `region ${region.name}`;
      yield {
        kind: 'stream',
        start: p.lba * SECTOR,
        length: p.bytes,
        what,
        make: () => {
          const out = region.produce(plan);
          return Buffer.isBuffer(out) ? oneChunk(out) : out;
        }
      };
    }
  }
}

async function* oneChunk(b: Buffer): AsyncIterable<Buffer> {
  yield b;
}

/** A window's reads: settles when the last one is in (or with the first failure). */
class Batch {
  pending = 0;
  private error: unknown;
  private resolve!: () => void;
  private reject!: (e: unknown) => void;
  private sealed = false;
  readonly done = new Promise<void>((res, rej) => {
    this.resolve = res;
    this.reject = rej;
  });

  /** No more reads will be added. */
  seal(): void {
    this.sealed = true;
    this.settle();
  }

  end(e?: unknown): void {
    this.pending--;
    if (e !== undefined) this.error ??= e;
    this.settle();
  }

  private settle(): void {
    if (!this.sealed || this.pending > 0) return;
    if (this.error !== undefined) this.reject(this.error);
    else this.resolve();
  }
}

/**
 * A source file being read, possibly over several windows. Opened and closed on this thread
 * (the scan's lstat just brought its inode in, so these are quick), so the same inode is read from
 * the first part to the last; its bytes are read by the hash workers, or, once reads are slow, by
 * the thread pool, many files at once.
 */
class SourceFile {
  private fd: number | undefined;
  private scheduled = 0;
  private done = 0;
  private allScheduled = false;

  constructor(
    readonly path: string,
    readonly size: number,
    private readonly opened: Set<SourceFile>
  ) {}

  open(): number {
    if (this.fd !== undefined) return this.fd;
    try {
      this.fd = fs.openSync(this.path, 'r');
      this.opened.add(this);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new IsoforgeError(`${this.path}: vanished during the build`, { subject: this.path });
      throw fsError(e, this.path, 'cannot read');
    }
    return this.fd;
  }

  scheduledPart(last: boolean): void {
    this.scheduled++;
    if (last) this.allScheduled = true;
  }

  /**
   * A part is in; after the last one, a read past the end tells an exact file from a grown one —
   * unless the last read already asked for a byte more and got none (`checkedEnd`).
   */
  partDone(checkedEnd = false): void {
    this.done++;
    if (!this.allScheduled || this.done !== this.scheduled) return;
    try {
      if (!checkedEnd && fs.readSync(this.fd!, PROBE, 0, 1, this.size) !== 0)
        throw changed(this.path, this.size, this.size + 1);
    } catch (e) {
      throw e instanceof IsoforgeError ? e : fsError(e, this.path, 'cannot read');
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    this.opened.delete(this);
    try {
      fs.closeSync(fd);
    } catch {
      // closing a read-only descriptor cannot lose data
    }
  }
}
const PROBE = Buffer.alloc(1);

function changed(path: string, expected: number, got: number): IsoforgeError {
  return got < expected
    ? new IsoforgeError(`${path}: shrank from ${expected} to ${got} bytes during the build`, {
        subject: path
      })
    : new IsoforgeError(`${path}: grew beyond ${expected} bytes during the build`, { subject: path });
}

interface ReadJob {
  file: SourceFile;
  fd: number;
  /** the window; the part goes to buf[at, at + need) */
  buf: Buffer;
  at: number;
  need: number;
  /**
   * 1 when the byte after the part is padding of the file's last block in this window: the read
   * asks for one byte more, and getting fewer is the end-of-file check (no separate probe)
   */
  extra: number;
  /** file position of buf[at] */
  pos: number;
  got: number;
  batch: Batch;
}

/**
 * A part's reads are over (`got` bytes in; fewer than asked only at the end of the file): judge
 * them. `ended`: the read asked for a byte past the part and got none, so the file ends where the
 * scan said (no separate probe).
 */
function settle(job: ReadJob, ended: boolean): void {
  const { file } = job;
  if (job.got > job.need) throw changed(file.path, file.size, file.size + 1);
  if (job.got < job.need) {
    // parts are read out of order: the part that met the end need not hold it; ask the file
    let now = job.pos + job.got;
    try {
      now = Math.min(now, fs.fstatSync(job.fd).size);
    } catch {
      // the position read is still a size the file had
    }
    throw changed(file.path, file.size, now);
  }
  file.partDone(ended);
}

/** Reads in flight through libuv's pool, at most `limit` at once; plain callbacks, no promise per read. */
class Reader {
  private inflight = 0;
  private queue: ReadJob[] = [];
  private head = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly limit: number) {}

  submit(job: ReadJob): void {
    job.batch.pending++;
    if (this.inflight < this.limit) this.start(job);
    else this.queue.push(job);
  }

  private start(job: ReadJob): void {
    this.inflight++;
    const { buf, at, got } = job;
    fs.read(job.fd, buf, at + got, job.need + job.extra - got, job.pos + got, (e, n) => {
      this.inflight--;
      this.finish(job, e, n);
      if (this.head < this.queue.length) {
        const next = this.queue[this.head++];
        if (this.head > 1024) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        this.start(next);
      } else if (this.inflight === 0) this.idle?.();
    });
  }

  private finish(job: ReadJob, e: Error | null, n: number): void {
    try {
      if (e) throw fsError(e, job.file.path, 'cannot read');
      const asked = job.need + job.extra - job.got;
      job.got += n;
      if (n > 0 && job.got < job.need) {
        // a short read: ask for the rest (counted as one more read of the same batch)
        job.batch.end();
        this.submit(job);
        return;
      }
      settle(job, job.extra === 1 && n < asked);
      job.batch.end();
    } catch (err) {
      job.file.close();
      job.batch.end(err);
    }
  }

  /** Drop what has not started and wait for what has (before closing files after a failure). */
  async drain(): Promise<void> {
    for (let i = this.head; i < this.queue.length; i++) this.queue[i].batch.end(new Error('abandoned'));
    this.queue = [];
    this.head = 0;
    if (this.inflight > 0) await new Promise<void>(r => (this.idle = r));
    this.idle = undefined;
  }
}

interface Slot {
  win: Window;
  /** settles when the window's bytes are hashed and written */
  busy: Promise<void> | undefined;
}

/** Writes the whole image; returns its size in bytes. */
export async function writeImage(plan: Plan, o: WriteOptions): Promise<number> {
  const size = o.windowSize ?? WINDOW;
  const taps = o.taps ?? [];
  const reader = new Reader(READ_CONCURRENCY);
  const slots: Slot[] = Array.from({ length: WINDOWS }, () => ({ win: o.out.window(size), busy: undefined }));
  const open = new Set<SourceFile>();
  const fillers =
    o.reads === 'pool' ? [] : [o.hashers?.files, o.hashers?.image].filter((h): h is HashWorker => !!h);
  const pace = new FillPace();
  /** A worker's reads for a window are in: judge each part as the pool's reads are judged. */
  const takeFill = (jobs: ReadJob[], r: FillResult) => {
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
  };
  let failure: unknown;
  const fail = (e: unknown) => {
    failure ??= e;
  };

  const segs = segments(plan);
  let seg: Segment | undefined = segs.next().value ?? undefined;
  // state of the current segment
  let bytes: Buffer | undefined;
  let stream: AsyncIterator<Buffer> | undefined;
  let pending: Buffer | undefined;
  let streamed = 0;
  let source: SourceFile | undefined;

  let handedOn: Promise<void> = Promise.resolve();
  try {
    for (let ws = 0, k = 0; ws < plan.imageSize; ws += size, k++) {
      o.signal?.throwIfAborted();
      if (failure) throw failure;
      const slot = slots[k % WINDOWS];
      if (slot.busy) await slot.busy;
      if (failure) throw failure;
      const len = Math.min(size, plan.imageSize - ws);
      const buf = slot.win.buf;
      const ranges: FileRange[] = [];
      const batch = new Batch();
      const fills: ReadJob[] = [];
      let pos = ws;
      const end = ws + len;
      while (pos < end) {
        if (!seg) {
          buf.fill(0, pos - ws, len);
          pos = end;
          break;
        }
        if (seg.start > pos) {
          const z = Math.min(seg.start, end);
          buf.fill(0, pos - ws, z - ws);
          pos = z;
          continue;
        }
        const segOff = pos - seg.start;
        const n = Math.min(seg.length - segOff, end - pos);
        const at = pos - ws;
        if (seg.kind === 'bytes') {
          if (segOff === 0) {
            bytes = seg.make();
            if (bytes.length > seg.length)
              throw new Error(`internal: ${seg.what} of ${bytes.length} bytes for ${seg.length}`);
          }
          const have = Math.max(0, Math.min(n, bytes!.length - segOff));
          bytes!.copy(buf, at, segOff, segOff + have);
          buf.fill(0, at + have, at + n);
          if (seg.file)
            ranges.push({ path: seg.file, start: at, end: at + n, last: segOff + n === seg.length });
        } else if (seg.kind === 'stream') {
          if (segOff === 0) {
            stream = seg.make()[Symbol.asyncIterator]();
            pending = undefined;
            streamed = 0;
          }
          let filled = 0;
          while (filled < n) {
            if (!pending || pending.length === 0) {
              const r = stream ? await stream.next() : { done: true as const, value: undefined };
              if (r.done) {
                stream = undefined;
                break;
              }
              pending = r.value;
              streamed += pending.length;
              if (streamed > seg.length)
                throw new Error(`internal: ${seg.what} produced ${streamed} of ${seg.length} bytes`);
            }
            const c = Math.min(pending.length, n - filled);
            pending.copy(buf, at + filled, 0, c);
            pending = pending.subarray(c);
            filled += c;
          }
          buf.fill(0, at + filled, at + n);
          if (segOff + n === seg.length && stream) {
            // run the producer to its end (its finally closes what it opened); more bytes are a bug
            for (let r = await stream.next(); !r.done; r = await stream.next())
              if (r.value.length > 0)
                throw new Error(`internal: ${seg.what} produced more than ${seg.length} bytes`);
            stream = undefined;
          }
        } else {
          if (segOff === 0) {
            source = new SourceFile(seg.path, seg.length, open);
          }
          const file = source!;
          const fd = file.open();
          // a worker reads its window's part of a file in one go; the pool gets it in parts
          const toWorker = fillers.length > 0 && !pace.slow;
          const part = toWorker ? n : READ_PART;
          for (let off = 0; off < n; off += part) {
            const m = Math.min(part, n - off);
            const last = segOff + off + m === seg.length;
            file.scheduledPart(last);
            // the end-of-file check rides on the last read when the next byte is padding here
            const extra = last && seg.length % SECTOR !== 0 && at + off + m < len ? 1 : 0;
            const job = { file, fd, buf, at: at + off, need: m, extra, pos: segOff + off, got: 0, batch };
            if (toWorker) fills.push(job);
            else reader.submit(job);
          }
          const path = seg.file.path;
          ranges.push({ path, start: at, end: at + n, last: segOff + n === seg.length });
        }
        pos += n;
        if (segOff + n === seg.length) {
          bytes = undefined;
          const next = segs.next();
          seg = next.done ? undefined : next.value;
          if (seg && seg.start < pos)
            throw new Error(`internal: ${describe(seg)} at ${seg.start} overlaps (at ${pos})`);
        }
      }

      // hand the window on in order, once its reads are in and the previous one was handed on
      const data = buf.subarray(0, len);
      const win = slot.win;
      if (fills.length > 0) {
        batch.pending++;
        const reads: FillRead[] = fills.map(j => ({
          fd: j.fd,
          at: j.at,
          length: j.need + j.extra,
          pos: j.pos
        }));
        fillers[k % fillers.length].fill(win.sab, win.offset, len, reads).then(
          r => {
            try {
              takeFill(fills, r);
              batch.end();
            } catch (e) {
              batch.end(e);
            }
          },
          e => batch.end(e)
        );
      }
      batch.seal();
      const ready = Promise.all([batch.done, handedOn]);
      const handed = ready.then(() => {
        if (failure) throw failure;
        for (const t of taps) t.update(data);
        const work: Promise<unknown>[] = [o.out.write(data, ws)];
        const { image, files, signing } = o.hashers ?? {};
        for (const h of [image, signing]) if (h) work.push(h.submit(win.sab, win.offset, len, []));
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
    if (seg) throw new Error(`internal: ${describe(seg)} at ${seg.start} lies past the image end`);
    return plan.imageSize;
  } catch (e) {
    fail(e);
    await stream?.return?.(undefined).catch(() => undefined);
    await reader.drain();
    for (const s of slots) if (s.busy) await s.busy.catch(() => undefined);
    for (const f of open) f.close();
    throw failure;
  }
}

function describe(s: Segment): string {
  return s.kind === 'file' ? s.file.path : s.what;
}
