/**
 * The output side of the one pass: large double buffers written in order while the next one
 * fills, every byte fed to the hash taps as it goes, and all-zero buffers skipped so the output
 * stays sparse (a 5 GB file of zeros costs no disk).
 */
import type { FileHandle } from 'node:fs/promises';

export interface Tap {
  update(chunk: Buffer): void;
}

export const SINK_BUFFER = 8 * 1024 * 1024;
const ZERO = Buffer.alloc(SINK_BUFFER);

export class ImageSink {
  private readonly bufs: Buffer[];
  private readonly pending: (Promise<void> | undefined)[] = [undefined, undefined];
  private cur = 0;
  private fill = 0;
  /** bytes handed to the file so far */
  private flushed = 0;
  private failure: unknown;

  constructor(
    private readonly fh: FileHandle,
    private readonly taps: readonly Tap[],
    private readonly onFlush?: (bytes: number) => void,
    size = SINK_BUFFER
  ) {
    this.bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  }

  /** Bytes accepted so far (flushed or buffered). */
  get position(): number {
    return this.flushed + this.fill;
  }

  async write(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const room = await this.room();
      const n = Math.min(room.length, data.length - off);
      data.copy(room, 0, off, off + n);
      this.commit(n);
      off += n;
    }
  }

  async zeros(n: number): Promise<void> {
    while (n > 0) {
      const room = await this.room();
      const k = Math.min(room.length, n);
      room.fill(0, 0, k);
      this.commit(k);
      n -= k;
    }
  }

  /** The free part of the current buffer (never empty); fill it, then commit(). */
  async room(): Promise<Buffer> {
    if (this.fill === this.bufs[this.cur].length) await this.flush();
    return this.bufs[this.cur].subarray(this.fill);
  }

  commit(n: number): void {
    this.fill += n;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.fill === 0) return;
    const buf = this.bufs[this.cur];
    const data = buf.subarray(0, this.fill);
    for (const t of this.taps) t.update(data);
    const at = this.flushed;
    this.flushed += this.fill;
    const zero = this.fill <= ZERO.length && data.equals(ZERO.subarray(0, this.fill));
    if (!zero) {
      this.pending[this.cur] = writeAll(this.fh, data, at).catch(e => {
        this.failure = e;
      });
    }
    this.onFlush?.(this.flushed);
    this.cur ^= 1;
    this.fill = 0;
    const prev = this.pending[this.cur];
    if (prev) {
      await prev;
      this.pending[this.cur] = undefined;
      if (this.failure) throw this.failure;
    }
  }

  /** Flush everything and set the file's length (holes at the end stay holes). */
  async close(): Promise<number> {
    await this.flush();
    for (const p of this.pending) if (p) await p;
    if (this.failure) throw this.failure;
    await this.fh.truncate(this.flushed);
    return this.flushed;
  }
}

async function writeAll(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, position + off);
    if (bytesWritten <= 0) throw new Error('write returned 0 bytes');
    off += bytesWritten;
  }
}
