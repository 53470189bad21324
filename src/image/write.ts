/** write: the plan's pieces, front to back, in one pass through the sink. */
import { promises as fs } from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import { SECTOR } from './bytes.js';
import type { Plan } from './plan.js';
import type { ImageSink } from './sink.js';
import type { FileNode } from './tree.js';

export interface WriteHooks {
  signal?: AbortSignal;
}

const READ_CHUNK = 16 * 1024 * 1024;
/** Files up to this size are read ahead, several at a time, while earlier ones are written. */
const SMALL_FILE = 1024 * 1024;
const PREFETCH_FILES = 64;
const PREFETCH_BYTES = 32 * 1024 * 1024;

export async function writePlan(plan: Plan, sink: ImageSink, hooks: WriteHooks = {}): Promise<void> {
  const at = async (offset: number) => {
    if (sink.position > offset)
      throw new Error(`internal: piece at ${offset} overlaps (at ${sink.position})`);
    await sink.zeros(offset - sink.position);
  };
  const prefetch = new Prefetcher(plan.pieces.flatMap(p => (p.kind === 'file' ? [p.file] : [])));
  try {
    await sink.write(plan.systemArea());
    for (const p of plan.pieces) {
      hooks.signal?.throwIfAborted();
      if (p.kind === 'tail') {
        await at(p.offset);
        await sink.write(exact(p.produce(), p.bytes, 'tail'));
        continue;
      }
      await at(p.lba * SECTOR);
      if (p.kind === 'meta') {
        await sink.write(exact(p.produce(), p.blocks * SECTOR, 'metadata'));
      } else if (p.kind === 'file') {
        sink.beginFile(p.file.path);
        const small = prefetch.take(p.file);
        if (small) await sink.write(await small);
        else await writeFile(p.file, sink, plan, hooks.signal);
        sink.endFile();
      } else {
        const out = p.region.produce(plan);
        let n = 0;
        if (Buffer.isBuffer(out)) {
          await sink.write(out);
          n = out.length;
        } else {
          for await (const chunk of out) {
            await sink.write(chunk);
            n += chunk.length;
          }
        }
        if (n > p.bytes)
          throw new Error(`internal: region ${p.region.name} produced ${n} of ${p.bytes} bytes`);
      }
      const end = sink.position;
      const pad = (SECTOR - (end % SECTOR)) % SECTOR;
      await sink.zeros(pad);
    }
    await at(plan.imageSize);
  } finally {
    prefetch.abandon();
  }
}

function exact(b: Buffer, len: number, what: string): Buffer {
  if (b.length > len) throw new Error(`internal: ${what} of ${b.length} bytes for ${len}`);
  return b.length === len ? b : Buffer.concat([b, Buffer.alloc(len - b.length)]);
}

/**
 * Reads small files ahead, in data order, a bounded number and size at a time, so the latency of
 * open/read/close on thousands of small files overlaps instead of adding up.
 */
class Prefetcher {
  private readonly queue: FileNode[];
  private readonly started = new Map<FileNode, Promise<Buffer>>();
  private next = 0;
  private bytes = 0;

  constructor(files: FileNode[]) {
    this.queue = files;
    this.fill();
  }

  private fill(): void {
    while (
      this.next < this.queue.length &&
      this.started.size < PREFETCH_FILES &&
      this.bytes < PREFETCH_BYTES
    ) {
      const f = this.queue[this.next];
      if (f.data.type !== 'file' || f.size > SMALL_FILE) {
        if (this.started.size > 0) return; // wait until the files before a large one are written
        this.next++;
        continue;
      }
      const p = readSmall(f.data.path, f.size);
      p.catch(() => undefined); // reported when taken
      this.started.set(f, p);
      this.bytes += f.size;
      this.next++;
    }
  }

  /** The prefetched bytes of `f`, or undefined when it is to be streamed. */
  take(f: FileNode): Promise<Buffer> | undefined {
    const p = this.started.get(f);
    if (!p) {
      if (this.queue[this.next] === f) this.next++;
      this.fill();
      return undefined;
    }
    this.started.delete(f);
    this.bytes -= f.size;
    this.fill();
    return p;
  }

  abandon(): void {
    this.started.clear();
    this.next = this.queue.length;
  }
}

async function openSource(path: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IsoforgeError(`${path}: vanished during the build`, { subject: path });
    }
    throw fsError(e, path, 'cannot read');
  }
}

function changed(path: string, expected: number, got: number): IsoforgeError {
  return got < expected
    ? new IsoforgeError(`${path}: shrank from ${expected} to ${got} bytes during the build`, {
        subject: path
      })
    : new IsoforgeError(`${path}: grew beyond ${expected} bytes during the build`, { subject: path });
}

/** One read of size + 1 bytes tells a short, exact or grown file apart. */
async function readSmall(path: string, size: number): Promise<Buffer> {
  const fh = await openSource(path);
  try {
    const buf = Buffer.allocUnsafe(size + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, size + 1 - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > size) break;
    }
    if (got !== size) throw changed(path, size, got);
    return buf.subarray(0, size);
  } catch (e) {
    throw e instanceof IsoforgeError ? e : fsError(e, path, 'cannot read');
  } finally {
    await fh.close();
  }
}

async function writeFile(f: FileNode, sink: ImageSink, plan: Plan, signal?: AbortSignal): Promise<void> {
  const src = f.data;
  if (src.type !== 'file') {
    const bytes = src.type === 'memory' ? src.bytes : src.produce(plan);
    if (bytes.length !== f.size)
      throw new Error(`internal: ${f.path} produced ${bytes.length} of ${f.size} bytes`);
    await sink.write(bytes);
    return;
  }
  const fh = await openSource(src.path);
  try {
    let pos = 0;
    while (pos < f.size) {
      signal?.throwIfAborted();
      const room = await sink.room();
      const want = Math.min(room.length, f.size - pos, READ_CHUNK);
      const { bytesRead } = await fh.read(room, 0, want, pos);
      if (bytesRead === 0) throw changed(src.path, f.size, pos);
      sink.commit(bytesRead);
      pos += bytesRead;
    }
    const probe = Buffer.alloc(1);
    const { bytesRead } = await fh.read(probe, 0, 1, f.size);
    if (bytesRead !== 0) throw changed(src.path, f.size, f.size + 1);
  } catch (e) {
    throw e instanceof IsoforgeError ? e : fsError(e, src.path, 'cannot read');
  } finally {
    await fh.close();
  }
}
