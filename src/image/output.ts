/**
 * The image file being written. Whole windows are written at their offsets; all-zero windows are
 * skipped (holes, so a 5 GB file of zeros costs no disk). Where the platform has it (Linux,
 * O_DIRECT) the bytes go from our buffers straight to the disk: no page cache is allocated, filled
 * and written back for an image nobody reads during the build, which on a VM that must fault every
 * fresh page in from the host is most of a buffered write's cost. Anything that refuses direct
 * I/O (tmpfs, some file systems, a 4 KiB-sector disk and a 2 KiB-aligned last window) gets an
 * ordinary write instead, so direct I/O only ever changes speed, never the bytes.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { directWriteFlag, type Platform } from '../platform.js';
import { trackTemporary } from './temporaries.js';

/** Alignment direct I/O may ask of a buffer's address, a file offset and a length. */
export const DIRECT_ALIGN = 4096;

const pwrite = (fd: number, buf: Uint8Array, off: number, len: number, pos: number) =>
  new Promise<number>((resolve, reject) =>
    fs.write(fd, buf, off, len, pos, (e, n) => (e ? reject(e) : resolve(n)))
  );

export interface Window {
  sab: SharedArrayBuffer;
  /** byteOffset of `buf` in `sab` */
  offset: number;
  buf: Buffer;
}

export class ImageOutput {
  private buffered: number | undefined;
  /** byteOffset at which a shared buffer's start was accepted for direct I/O (once probed) */
  private lastOffset: number | undefined;

  private constructor(
    private fd: number,
    private direct: boolean,
    readonly path: string
  ) {
    trackTemporary(path); // created by us: removed on an interrupt's forced exit (src/interrupt.ts)
  }

  /** Create `path` (which must not exist) for writing; direct I/O where available and `direct`. */
  static open(path: string, opts: { direct?: boolean; platform?: Platform } = {}): ImageOutput {
    const flag = opts.direct === false ? undefined : directWriteFlag(opts.platform);
    const base = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;
    if (flag !== undefined) {
      try {
        return new ImageOutput(fs.openSync(path, base | flag, 0o644), true, path);
      } catch (e) {
        // EINVAL: the file system has no direct I/O (tmpfs before Linux 6.6); try without
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
      }
    }
    return new ImageOutput(fs.openSync(path, base, 0o644), false, path);
  }

  /** Whether writes currently bypass the page cache. */
  get isDirect(): boolean {
    return this.direct;
  }

  /**
   * A shared buffer of `size` bytes whose start is aligned for direct I/O. JavaScript cannot see
   * an address, so the first window probes: the offset at which a direct write of zeros to the
   * (still empty) file is accepted. Later windows come from the same allocator and are tried at
   * that offset first. If no offset works, the file falls back to ordinary writes.
   */
  window(size: number): Window {
    const sab = new SharedArrayBuffer(size + DIRECT_ALIGN);
    if (!this.direct) return { sab, offset: 0, buf: Buffer.from(sab, 0, size) };
    const whole = Buffer.from(sab);
    const o = alignedOffset(
      at => fs.writeSync(this.fd, whole, at, DIRECT_ALIGN, 0),
      [this.lastOffset, DIRECT_ALIGN - 16]
    );
    if (o === undefined) {
      this.direct = false;
      return { sab, offset: 0, buf: Buffer.from(sab, 0, size) };
    }
    this.lastOffset = o;
    return { sab, offset: o, buf: Buffer.from(sab, o, size) };
  }

  /** Write `data` (a window's filled part) at `position`; all zeros: leave a hole. */
  async write(data: Buffer, position: number): Promise<void> {
    if (isZero(data)) return;
    if (this.direct && this.lastOffset !== undefined && aligned(data.length) && aligned(position)) {
      try {
        await writeAll(this.fd, data, position);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
      }
    }
    this.buffered ??= fs.openSync(this.path, 'r+');
    await writeAll(this.buffered, data, position);
  }

  /** Set the length (a hole at the end stays a hole) and close. */
  async close(length: number): Promise<void> {
    const fds = [this.fd, this.buffered].filter((f): f is number => f !== undefined);
    this.buffered = undefined;
    try {
      await promisify(fs.ftruncate)(fds[0], length);
    } finally {
      for (const fd of fds) fs.closeSync(fd);
    }
  }

  /** Close without caring about the result (the caller removes the file). */
  abandon(): void {
    for (const fd of [this.fd, this.buffered]) {
      if (fd !== undefined && fd >= 0) {
        try {
          fs.closeSync(fd);
        } catch {
          // already closed
        }
      }
    }
    this.buffered = undefined;
    this.fd = -1;
  }
}

/**
 * The offset into a buffer at which a direct I/O `attempt` is accepted: JavaScript cannot see an
 * address, so offsets (`first` ones first, then every 16 bytes up to DIRECT_ALIGN) are tried until
 * one is not refused with EINVAL; undefined when none is accepted.
 */
function alignedOffset(
  attempt: (offset: number) => void,
  first: readonly (number | undefined)[] = []
): number | undefined {
  const candidates = [...first];
  for (let o = 0; o < DIRECT_ALIGN; o += 16) candidates.push(o);
  for (const o of candidates) {
    if (o === undefined) continue;
    try {
      attempt(o);
      return o;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
  }
  return undefined;
}

function aligned(n: number): boolean {
  return n % 512 === 0;
}

const ZERO = Buffer.alloc(64 * 1024);
function isZero(b: Buffer): boolean {
  for (let off = 0; off < b.length; off += ZERO.length) {
    const n = Math.min(ZERO.length, b.length - off);
    if (!b.subarray(off, off + n).equals(ZERO.subarray(0, n))) return false;
  }
  return true;
}

async function writeAll(fd: number, data: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const n = await pwrite(fd, data, off, data.length - off, position + off);
    if (n <= 0) throw new Error('write returned 0 bytes');
    off += n;
  }
}

/**
 * Read a whole file front to back, passing each chunk to `each` in order, with a few reads in
 * flight. `direct`: the file was written around the page cache (ImageOutput.isDirect), so read it
 * the same way — a buffered read would fill gigabytes of page cache first (on a VM every fresh page
 * is faulted in from the host: 2.8–3.5 s and 3.5 s of CPU for a 2 GiB image, against 1.2 s once it
 * is cached). Anything that refuses direct I/O gets an ordinary read instead; only speed changes.
 * Resolves to whether the reads went around the page cache.
 */
export async function readInOrder(
  path: string,
  each: (chunk: Buffer) => void,
  opts: { direct?: boolean; platform?: Platform; chunk?: number; inflight?: number } = {}
): Promise<{ direct: boolean }> {
  const chunk = opts.chunk ?? 8 * 1024 * 1024;
  const inflight = opts.inflight ?? 3;
  const flag = opts.direct ? directWriteFlag(opts.platform) : undefined;
  let fd: number | undefined;
  if (flag !== undefined) {
    try {
      fd = fs.openSync(path, fs.constants.O_RDONLY | flag);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
    }
  }
  const whole = Buffer.allocUnsafeSlow(inflight * chunk + DIRECT_ALIGN);
  let base = 0;
  if (fd !== undefined) {
    const opened = fd;
    let at: number | undefined;
    try {
      at = alignedOffset(o => fs.readSync(opened, whole, o, DIRECT_ALIGN, 0));
    } catch (e) {
      fs.closeSync(opened);
      throw e;
    }
    if (at === undefined) {
      fs.closeSync(fd);
      fd = undefined;
    } else base = at;
  }
  const direct = fd !== undefined;
  fd ??= fs.openSync(path, 'r');
  const bufs = Array.from({ length: inflight }, (_, i) =>
    whole.subarray(base + i * chunk, base + (i + 1) * chunk)
  );
  const pending: Promise<number>[] = [];
  const read = (k: number) => {
    const p = new Promise<number>((resolve, reject) =>
      fs.read(fd!, bufs[k % inflight], 0, chunk, k * chunk, (e, n) => (e ? reject(e) : resolve(n)))
    );
    // a later read may fail while an earlier one is awaited: the failure is met in turn
    p.catch(() => undefined);
    pending.push(p);
  };
  try {
    const size = fs.fstatSync(fd).size;
    const count = Math.ceil(size / chunk);
    for (let k = 0; k < Math.min(inflight, count); k++) read(k);
    for (let k = 0; k < count; k++) {
      const n = await pending[k];
      const want = Math.min(chunk, size - k * chunk);
      if (n !== want)
        throw new Error(`${path}: read ${n} of ${want} bytes at ${k * chunk} (changed while read?)`);
      each(bufs[k % inflight].subarray(0, n));
      // the buffer is free again once `each` returned
      if (k + inflight < count) read(k + inflight);
    }
  } finally {
    await Promise.allSettled(pending);
    fs.closeSync(fd);
  }
  return { direct };
}
