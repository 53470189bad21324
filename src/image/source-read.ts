/**
 * Source-file reads: a file open from its first part to its last, each part's read judged (a file
 * that shrank or grew since the scan is an error naming it), and the reads through libuv's pool,
 * many in flight at once, for when the hash workers' reads are slow.
 */
import * as fs from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import type { ImageFile } from './tree.js';

/** A window's reads: settles when the last one is in (or with the first failure). */
export class Batch {
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
export class SourceFile {
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

/**
 * A file of a remaster's input image: read from the image's one descriptor (never closed here) at
 * its extents. Its `size` is the image's, so a short read says how far the image now reaches.
 */
export class ImageRangeFile extends SourceFile {
  constructor(
    private readonly image: ImageFile,
    opened: Set<SourceFile>
  ) {
    super(image.path, image.size, opened);
  }
  override open(): number {
    return this.image.fd;
  }
  override partDone(): void {}
  override close(): void {}
}

export function changed(path: string, expected: number, got: number): IsoforgeError {
  return got < expected
    ? new IsoforgeError(`${path}: shrank from ${expected} to ${got} bytes during the build`, {
        subject: path
      })
    : new IsoforgeError(`${path}: grew beyond ${expected} bytes during the build`, { subject: path });
}

export interface ReadJob {
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
export function settle(job: ReadJob, ended: boolean): void {
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
export class Reader {
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
