/** write: the plan's pieces, front to back, in one pass through the sink. */
import { closeSync, openSync, promises as fs, readSync } from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import { SECTOR } from './bytes.js';
import type { Plan } from './plan.js';
import type { ImageSink } from './sink.js';
import type { FileNode } from './tree.js';

export interface WriteHooks {
  signal?: AbortSignal;
}

const READ_CHUNK = 16 * 1024 * 1024;
/**
 * Files up to this size are read with synchronous calls straight into the sink's buffer: for
 * thousands of small files the per-call overhead of the promise API (and the garbage of a buffer
 * per file) costs more than the read itself. Writes and hashing still run off this thread.
 */
const SMALL_FILE = 1024 * 1024;

export async function writePlan(plan: Plan, sink: ImageSink, hooks: WriteHooks = {}): Promise<void> {
  const at = async (offset: number) => {
    if (sink.position > offset)
      throw new Error(`internal: piece at ${offset} overlaps (at ${sink.position})`);
    await sink.zeros(offset - sink.position);
  };
  {
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
        if (p.file.data.type === 'file' && p.file.size <= SMALL_FILE)
          await copySmall(p.file.data.path, p.file.size, sink);
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
  }
}

function exact(b: Buffer, len: number, what: string): Buffer {
  if (b.length > len) throw new Error(`internal: ${what} of ${b.length} bytes for ${len}`);
  return b.length === len ? b : Buffer.concat([b, Buffer.alloc(len - b.length)]);
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

/** Copy a small file into the sink; one read past the end tells a short, exact or grown file apart. */
async function copySmall(path: string, size: number, sink: ImageSink): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IsoforgeError(`${path}: vanished during the build`, { subject: path });
    }
    throw fsError(e, path, 'cannot read');
  }
  try {
    let pos = 0;
    while (pos < size) {
      const room = await sink.room();
      const n = readSync(fd, room, 0, Math.min(room.length, size - pos), pos);
      if (n === 0) throw changed(path, size, pos);
      sink.commit(n);
      pos += n;
    }
    if (readSync(fd, PROBE, 0, 1, size) !== 0) throw changed(path, size, size + 1);
  } catch (e) {
    throw e instanceof IsoforgeError ? e : fsError(e, path, 'cannot read');
  } finally {
    closeSync(fd);
  }
}
const PROBE = Buffer.alloc(1);

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
