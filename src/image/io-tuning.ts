/**
 * The writer's I/O tuning: window size and count, how files are read in parts and how many reads
 * are in flight, when the writer's own reads are judged too slow, and the thread pool that carries
 * the reads (sized by both entry points before any file system call).
 */

/**
 * Window size and count: three windows in turn (one filling, one hashing, one writing) of 6 MiB.
 * Against five of 4 MiB, 6 alternating runs of the 2 GiB benchmark tree took 6 % less CPU (4.09 s
 * against 4.37 s median) and 2.38 s against 2.46 s, in 4 MiB less memory: fewer hand-offs per byte.
 */
export const WINDOW = 6 * 1024 * 1024;
export const WINDOWS = 3;
/** Large files are read in parts of this size, several at once. */
export const READ_PART = 2 * 1024 * 1024;
/** File system calls in flight at once (the libuv pool runs them; the entry points size it). */
export const READ_CONCURRENCY = 16;

/**
 * Whether the writer's own (synchronous) reads keep up. A window's reads are slow when they took
 * longer (ms) than a fixed 2 ms, 1 ms per MiB (1 GiB/s) and 0.1 ms per read. From memory they take
 * a fifth of that or less (here one file at ~0.35 ms per MiB; 75 small files in 4 MiB, 1.5 ms); a
 * disk read one request at a time takes more. Once 3 of the last 8 windows were slow, the rest is read through
 * the pool, whose many reads in flight a disk serves far faster. A single slow window (the thread
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
