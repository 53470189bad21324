/**
 * The window fill: the segment list laid into one window after another. Metadata and generated
 * bytes are copied in, streams are drained into it, and the files' parts become reads at their
 * offsets: for the writer to read in one go (returned), or submitted to the pool in parts. One
 * object owns the state that crosses windows: the current segment, its bytes, stream or file.
 */
import { SECTOR } from './bytes.js';
import type { FileRange } from './hasher.js';
import { FillPace, READ_PART } from './io-tuning.js';
import { describe, type Segment } from './segments.js';
import { imageRuns } from './image-data.js';
import { ImageRangeFile, Reader, SourceFile, type Batch, type ReadJob } from './source-read.js';

/** One window's part of the work: the files' ranges for their digests, the reads for the writer. */
interface WindowWork {
  ranges: FileRange[];
  fills: ReadJob[];
}

export class WindowFill {
  private seg: Segment | undefined;
  private bytes: Buffer | undefined;
  private stream: AsyncIterator<Buffer> | undefined;
  private pending: Buffer | undefined;
  private streamed = 0;
  private source: SourceFile | undefined;
  /** files open now (closed after a failure) */
  readonly open = new Set<SourceFile>();

  constructor(
    private readonly segs: Iterator<Segment>,
    private readonly reader: Reader,
    private readonly pace: FillPace,
    /** the writer reads the files itself while its reads are fast (else the pool reads them) */
    private readonly sync: boolean
  ) {
    this.seg = segs.next().value ?? undefined;
  }

  /** Lays the image's bytes [ws, ws + len) into `buf`; the pool's reads join `batch`. */
  async fill(buf: Buffer, ws: number, len: number, batch: Batch): Promise<WindowWork> {
    const work: WindowWork = { ranges: [], fills: [] };
    let pos = ws;
    const end = ws + len;
    while (pos < end) {
      const seg = this.seg;
      if (!seg) {
        buf.fill(0, pos - ws, len);
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
      const last = segOff + n === seg.length;
      if (seg.kind === 'bytes') this.copyBytes(seg, buf, at, segOff, n, work);
      else if (seg.kind === 'stream') await this.drain(seg, buf, at, segOff, n);
      else this.readFile(seg, buf, at, segOff, n, len, batch, work);
      pos += n;
      if (last) this.nextSegment(pos);
    }
    return work;
  }

  private nextSegment(pos: number): void {
    this.bytes = undefined;
    const next = this.segs.next();
    this.seg = next.done ? undefined : next.value;
    if (this.seg && this.seg.start < pos)
      throw new Error(`internal: ${describe(this.seg)} at ${this.seg.start} overlaps (at ${pos})`);
  }

  private copyBytes(
    seg: Segment & { kind: 'bytes' },
    buf: Buffer,
    at: number,
    segOff: number,
    n: number,
    work: WindowWork
  ): void {
    if (segOff === 0) {
      this.bytes = seg.make();
      if (this.bytes.length > seg.length)
        throw new Error(`internal: ${seg.what} of ${this.bytes.length} bytes for ${seg.length}`);
    }
    const bytes = this.bytes!;
    const have = Math.max(0, Math.min(n, bytes.length - segOff));
    // a piece's bytes may be shorter than its run (zeros): past their end there is nothing to copy
    if (have > 0) bytes.copy(buf, at, segOff, segOff + have);
    buf.fill(0, at + have, at + n);
    if (seg.file)
      work.ranges.push({
        block: seg.start / SECTOR,
        start: at,
        end: at + n,
        last: segOff + n === seg.length
      });
  }

  private async drain(
    seg: Segment & { kind: 'stream' },
    buf: Buffer,
    at: number,
    segOff: number,
    n: number
  ): Promise<void> {
    if (segOff === 0) {
      this.stream = seg.make()[Symbol.asyncIterator]();
      this.pending = undefined;
      this.streamed = 0;
    }
    let filled = 0;
    while (filled < n) {
      if (!this.pending || this.pending.length === 0) {
        const r = this.stream ? await this.stream.next() : { done: true as const, value: undefined };
        if (r.done) {
          this.stream = undefined;
          break;
        }
        this.pending = r.value;
        this.streamed += r.value.length;
        if (this.streamed > seg.length)
          throw new Error(`internal: ${seg.what} produced ${this.streamed} of ${seg.length} bytes`);
      }
      const pending = this.pending!;
      const c = Math.min(pending.length, n - filled);
      pending.copy(buf, at + filled, 0, c);
      this.pending = pending.subarray(c);
      filled += c;
    }
    buf.fill(0, at + filled, at + n);
    if (segOff + n === seg.length && this.stream) {
      // run the producer to its end (its finally closes what it opened); more bytes are a bug
      for (let r = await this.stream.next(); !r.done; r = await this.stream.next())
        if (r.value.length > 0)
          throw new Error(`internal: ${seg.what} produced more than ${seg.length} bytes`);
      this.stream = undefined;
    }
  }

  private readFile(
    seg: Segment & { kind: 'file' },
    buf: Buffer,
    at: number,
    segOff: number,
    n: number,
    len: number,
    batch: Batch,
    work: WindowWork
  ): void {
    if (segOff === 0)
      this.source = seg.image
        ? new ImageRangeFile(seg.image.image, this.open)
        : new SourceFile(seg.path, seg.length, this.open);
    const file = this.source!;
    const fd = file.open();
    // the writer reads its window's part of a file in one go; the pool gets it in parts
    const inOne = this.sync && !this.pace.slow;
    const part = inOne ? n : READ_PART;
    // a file of another image is read at its extents' offsets there, and has no end to check
    const runs = seg.image ? imageRuns(seg.image.extents, segOff, n) : [{ at: 0, pos: segOff, length: n }];
    for (const run of runs) {
      for (let off = 0; off < run.length; off += part) {
        const m = Math.min(part, run.length - off);
        const last = segOff + run.at + off + m === seg.length;
        file.scheduledPart(last);
        // the end-of-file check rides on the last read when the next byte is padding here
        const extra = !seg.image && last && seg.length % SECTOR !== 0 && at + off + m < len ? 1 : 0;
        const where = at + run.at + off;
        const job = { file, fd, buf, at: where, need: m, extra, pos: run.pos + off, got: 0, batch };
        if (inOne) work.fills.push(job);
        else this.reader.submit(job);
      }
    }
    work.ranges.push({ block: seg.start / SECTOR, start: at, end: at + n, last: segOff + n === seg.length });
  }

  /** After the last window: a segment left over lies past the image's end (a planning bug). */
  checkEnd(): void {
    const seg = this.seg;
    if (seg) throw new Error(`internal: ${describe(seg)} at ${seg.start} lies past the image end`);
  }

  /** After a failure: end a stream being drained and close the files. */
  async abandon(): Promise<void> {
    await this.stream?.return?.(undefined).catch(() => undefined);
  }

  closeFiles(): void {
    for (const f of this.open) f.close();
  }
}
