/**
 * Positional, bounds-checked reads from an image file. Every address the reader follows comes from
 * the image (hostile), so every read is checked against the image size and a per-read cap before
 * a buffer is allocated.
 */
import { constants, promises as fs, readSync } from 'node:fs';
import { SECTOR } from '../image/bytes.js';
import { IsoforgeError, fsError } from '../errors.js';

/** The largest single structure read into memory (a directory, a path table, a boot catalog). */
export const MAX_STRUCTURE_READ = 64 * 1024 * 1024;
/** File data is hashed in chunks of this size. */
export const CHUNK = 1024 * 1024;
/**
 * Reads up to this size (directories, path tables, boot records) are made at once on the calling
 * thread: from the page cache a few microseconds each, where a read through libuv's pool costs a
 * hand-off each way (2,000 reads of 2-4 KiB, load 5 on 2 cores: 620-700 ms through the pool,
 * 7.5-108 ms at once; the tree walk of the bench's 2 GiB image, 1,002 directories twice, was most
 * of verify's first second). Larger reads (the image pass's windows) still overlap the hashing.
 */
export const READ_AT_ONCE = 1024 * 1024;

/** What a read is of, in its error messages; a function when the text is made only then (the tree walk's). */
export type Named = string | (() => string);

export const named = (what: Named): string => (typeof what === 'string' ? what : what());

/** What the reader needs of a file: positional reads. */
interface Backend {
  read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** the same read, on this thread (the tree walk's many small ones): bytes read */
  readSync(buf: Buffer, offset: number, length: number, position: number): number;
  close(): Promise<void>;
  readonly fd?: number;
}

/** An image file: positional reads through its handle, or on its descriptor when synchronous. */
class FileBackend implements Backend {
  constructor(private readonly handle: fs.FileHandle) {}
  read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    return this.handle.read(buf, offset, length, position);
  }
  readSync(buf: Buffer, offset: number, length: number, position: number): number {
    return readSync(this.handle.fd, buf, offset, length, position);
  }
  close(): Promise<void> {
    return this.handle.close();
  }
  get fd(): number {
    return this.handle.fd;
  }
}

/** An image held in memory (tests, fuzzing): the same reads, no file. */
class BufferBackend implements Backend {
  constructor(private readonly data: Buffer) {}
  async read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    return { bytesRead: this.readSync(buf, offset, length, position) };
  }
  readSync(buf: Buffer, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.data.length - position));
    this.data.copy(buf, offset, position, position + n);
    return n;
  }
  async close(): Promise<void> {}
}

export class ImageSource {
  private constructor(
    private readonly handle: Backend,
    readonly path: string,
    readonly size: number
  ) {}

  /** An image in memory; `name` stands for its path in messages. */
  static fromBuffer(data: Buffer, name: string): ImageSource {
    return new ImageSource(new BufferBackend(data), name, data.length);
  }

  static async open(path: string): Promise<ImageSource> {
    let handle: fs.FileHandle;
    try {
      // O_NONBLOCK: a FIFO without a writer opens at once (and is then refused) instead of hanging
      handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      throw fsError(e, path, 'image');
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) throw new IsoforgeError(`image ${path}: not a regular file`, { subject: path });
      return new ImageSource(new FileBackend(handle), path, st.size);
    } catch (e) {
      await handle.close();
      throw fsError(e, path, 'image');
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  /** The descriptor of an image opened from a file (a remaster reads its files through it). */
  get fd(): number | undefined {
    return this.handle.fd;
  }

  /** An error about the image's content, naming the image. */
  fail(what: string): IsoforgeError {
    return new IsoforgeError(`image ${this.path}: ${what}`, { subject: this.path, code: 'EBADISO' });
  }

  /** True when [offset, offset+length) lies inside the image. */
  inside(offset: number, length: number): boolean {
    return (
      Number.isSafeInteger(offset) &&
      Number.isSafeInteger(length) &&
      offset >= 0 &&
      length >= 0 &&
      offset + length <= this.size
    );
  }

  /** Read exactly `length` bytes at `offset`; `what` names the structure for the error message. */
  async read(offset: number, length: number, what: string): Promise<Buffer> {
    return this.fill(this.structureBuffer(length, what), offset, what);
  }

  /** `read` on this thread (the tree walk: many small reads, where a promise each costs more). */
  readSync(offset: number, length: number, what: string): Buffer {
    return this.fillSync(this.structureBuffer(length, what), offset, what);
  }

  /** Fill `buf` with the image's bytes at `offset` (inside the image); resolves to `buf`. */
  async fill(buf: Buffer, offset: number, what: string): Promise<Buffer> {
    // a structure's read at once on this thread: a hand-off to libuv's pool each costs more
    if (buf.length <= READ_AT_ONCE) return this.fillSync(buf, offset, what);
    this.checkInside(buf, offset, what);
    for (let done = 0; done < buf.length;) {
      const { bytesRead } = await this.handle.read(buf, done, buf.length - done, offset + done);
      done += this.counted(bytesRead, what);
    }
    return buf;
  }

  /** `fill` on this thread, into a buffer the caller reuses (the tree walk's directories). */
  fillSync(buf: Buffer, offset: number, what: Named): Buffer {
    this.checkInside(buf, offset, what);
    for (let done = 0; done < buf.length;) {
      const n = this.handle.readSync(buf, done, buf.length - done, offset + done);
      done += this.counted(n, what);
    }
    return buf;
  }

  /** A zeroed buffer for a structure of `length` bytes, refused past the per-read cap. */
  private structureBuffer(length: number, what: string): Buffer {
    if (length > MAX_STRUCTURE_READ) {
      throw this.fail(`${what} claims ${length} bytes (more than ${MAX_STRUCTURE_READ})`);
    }
    return Buffer.alloc(length);
  }

  private checkInside(buf: Buffer, offset: number, what: Named): void {
    if (!this.inside(offset, buf.length)) {
      throw this.fail(
        `${named(what)} at byte ${offset} (${buf.length} bytes) lies past the end of the image (${this.size} bytes)`
      );
    }
  }

  /** A read's byte count; none means the image ended early. */
  private counted(bytesRead: number, what: Named): number {
    if (bytesRead === 0) throw this.fail(`${named(what)}: the image ended while reading (truncated?)`);
    return bytesRead;
  }

  /** Read `count` 2048-byte blocks at block `lba`. */
  readBlocks(lba: number, count: number, what: string): Promise<Buffer> {
    return this.read(lba * SECTOR, count * SECTOR, what);
  }

  /** Stream [offset, offset+length) in chunks (file data); the range must be inside the image. */
  async *stream(offset: number, length: number, what: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
    if (!this.inside(offset, length)) {
      throw this.fail(
        `${what}: data at byte ${offset} (${length} bytes) lies past the end of the image (${this.size} bytes)`
      );
    }
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, length)));
    let done = 0;
    while (done < length) {
      signal?.throwIfAborted();
      const n = Math.min(buf.length, length - done);
      const { bytesRead } = await this.handle.read(buf, 0, n, offset + done);
      if (bytesRead === 0) throw this.fail(`${what}: the image ended while reading (truncated?)`);
      yield buf.subarray(0, bytesRead);
      done += bytesRead;
    }
  }
}
