/**
 * The output side of the one pass: large shared buffers written in order while the next one fills,
 * every byte hashed by the worker (hasher.ts) and fed to the taps as it goes, and all-zero buffers
 * skipped so the output stays sparse (a 5 GB file of zeros costs no disk).
 */
import type { FileHandle } from 'node:fs/promises';
import type { FileRange, HashWorker } from './hasher.js';

export interface Tap {
  update(chunk: Buffer): void;
}

export const SINK_BUFFER = 16 * 1024 * 1024;
const BUFFERS = 3;
const ZERO = Buffer.alloc(SINK_BUFFER);

interface Slot {
  sab: SharedArrayBuffer;
  buf: Buffer;
  ranges: FileRange[];
  busy: Promise<unknown> | undefined;
}

export class ImageSink {
  private readonly slots: Slot[];
  private cur = 0;
  private fill = 0;
  /** bytes handed to the file so far */
  private flushed = 0;
  private failure: unknown;
  private openFile: { path: string; start: number } | undefined;

  constructor(
    private readonly fh: FileHandle,
    private readonly taps: readonly Tap[],
    private readonly hashers: { image?: HashWorker; files?: HashWorker } = {},
    private readonly onFlush?: (bytes: number) => void,
    size = SINK_BUFFER
  ) {
    this.slots = Array.from({ length: BUFFERS }, () => {
      const sab = new SharedArrayBuffer(size);
      return { sab, buf: Buffer.from(sab), ranges: [], busy: undefined };
    });
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

  /** Bytes written between beginFile and endFile are hashed as that file's (per-file SHA-256). */
  beginFile(path: string): void {
    this.openFile = { path, start: this.fill };
  }

  endFile(): void {
    this.closeRange(true);
    this.openFile = undefined;
  }

  private closeRange(last: boolean): void {
    const f = this.openFile;
    if (!f) return;
    if (this.fill > f.start || last)
      this.slots[this.cur].ranges.push({ path: f.path, start: f.start, end: this.fill, last });
    f.start = 0;
  }

  /** The free part of the current buffer (never empty); fill it, then commit(). */
  async room(): Promise<Buffer> {
    if (this.fill === this.slots[this.cur].buf.length) await this.flush();
    return this.slots[this.cur].buf.subarray(this.fill);
  }

  commit(n: number): void {
    this.fill += n;
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.fill === 0) return;
    this.closeRange(false);
    const slot = this.slots[this.cur];
    const data = slot.buf.subarray(0, this.fill);
    for (const t of this.taps) t.update(data);
    const at = this.flushed;
    this.flushed += this.fill;
    const zero = data.equals(ZERO.subarray(0, this.fill));
    const work: Promise<unknown>[] = [];
    if (!zero) work.push(writeAll(this.fh, data, at));
    // one worker digests the image, the other the files' ranges: two cores, one pass
    if (this.hashers.image) work.push(this.hashers.image.submit(slot.sab, 0, this.fill, []));
    if (this.hashers.files) work.push(this.hashers.files.submit(slot.sab, 0, this.fill, slot.ranges));
    slot.ranges = [];
    slot.busy = Promise.all(work).catch(e => {
      this.failure ??= e;
    });
    this.onFlush?.(this.flushed);
    this.cur = (this.cur + 1) % this.slots.length;
    this.fill = 0;
    const next = this.slots[this.cur];
    if (next.busy) {
      await next.busy;
      next.busy = undefined;
      if (this.failure) throw this.failure;
    }
  }

  /** Flush everything and set the file's length (holes at the end stay holes). */
  async close(): Promise<number> {
    await this.flush();
    for (const s of this.slots) if (s.busy) await s.busy;
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
