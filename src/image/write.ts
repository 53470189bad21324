/** write: the plan's pieces, front to back, in one pass through the sink. */
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { IsoforgeError, fsError } from '../errors.js';
import { SECTOR } from './bytes.js';
import type { Plan } from './plan.js';
import type { ImageSink } from './sink.js';
import type { FileNode } from './tree.js';

export interface WriteHooks {
  /** per-file SHA-256 of the bytes written for it (hex), by image path */
  fileDigests?: Map<string, string>;
  signal?: AbortSignal;
}

const READ_CHUNK = 4 * 1024 * 1024;

export async function writePlan(plan: Plan, sink: ImageSink, hooks: WriteHooks = {}): Promise<void> {
  const at = async (offset: number) => {
    if (sink.position > offset)
      throw new Error(`internal: piece at ${offset} overlaps (at ${sink.position})`);
    await sink.zeros(offset - sink.position);
  };
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
      const h = hooks.fileDigests ? createHash('sha256') : undefined;
      await writeFile(p.file, sink, h, plan, hooks.signal);
      if (h) hooks.fileDigests!.set(p.file.path, h.digest('hex'));
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
      if (n > p.bytes) throw new Error(`internal: region ${p.region.name} produced ${n} of ${p.bytes} bytes`);
    }
    const end = sink.position;
    const pad = (SECTOR - (end % SECTOR)) % SECTOR;
    await sink.zeros(pad);
  }
  await at(plan.imageSize);
}

function exact(b: Buffer, len: number, what: string): Buffer {
  if (b.length > len) throw new Error(`internal: ${what} of ${b.length} bytes for ${len}`);
  return b.length === len ? b : Buffer.concat([b, Buffer.alloc(len - b.length)]);
}

async function writeFile(
  f: FileNode,
  sink: ImageSink,
  h: Hash | undefined,
  plan: Plan,
  signal?: AbortSignal
): Promise<void> {
  const src = f.data;
  if (src.type !== 'file') {
    const bytes = src.type === 'memory' ? src.bytes : src.produce(plan);
    if (bytes.length !== f.size)
      throw new Error(`internal: ${f.path} produced ${bytes.length} of ${f.size} bytes`);
    h?.update(bytes);
    await sink.write(bytes);
    return;
  }
  let fh;
  try {
    fh = await fs.open(src.path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IsoforgeError(`${src.path}: vanished during the build`, { subject: src.path });
    }
    throw fsError(e, src.path, 'cannot read');
  }
  try {
    let pos = 0;
    while (pos < f.size) {
      signal?.throwIfAborted();
      const room = await sink.room();
      const want = Math.min(room.length, f.size - pos, READ_CHUNK);
      const { bytesRead } = await fh.read(room, 0, want, pos);
      if (bytesRead === 0) {
        throw new IsoforgeError(`${src.path}: shrank from ${f.size} to ${pos} bytes during the build`, {
          subject: src.path
        });
      }
      h?.update(room.subarray(0, bytesRead));
      sink.commit(bytesRead);
      pos += bytesRead;
    }
    const probe = Buffer.alloc(1);
    const { bytesRead } = await fh.read(probe, 0, 1, f.size);
    if (bytesRead !== 0) {
      throw new IsoforgeError(`${src.path}: grew beyond ${f.size} bytes during the build`, {
        subject: src.path
      });
    }
  } catch (e) {
    throw e instanceof IsoforgeError ? e : fsError(e, src.path, 'cannot read');
  } finally {
    await fh.close();
  }
}
