/**
 * The segment list: the plan's pieces as contiguous runs of the image's bytes, in order. A run is
 * bytes made in memory (metadata, generated files), a stream (an appended region), or a source
 * file to read.
 */
import { SECTOR } from './bytes.js';
import type { Plan } from './plan.js';
import type { DataSource, FileNode } from './tree.js';
import { SYSTEM_AREA_BLOCKS } from './voldesc.js';

/** One contiguous run of the image: bytes in memory, a stream, or a file to read. */
export type Segment =
  | { kind: 'bytes'; start: number; length: number; what: string; make: () => Buffer; file?: string }
  | { kind: 'stream'; start: number; length: number; what: string; make: () => AsyncIterable<Buffer> }
  | {
      kind: 'file';
      start: number;
      length: number;
      file: FileNode;
      path: string;
      /** the file lies in another image (a remaster's input) at these extents */
      image?: DataSource & { type: 'image' };
    };

export function* segments(plan: Plan): Generator<Segment> {
  const systemArea = SYSTEM_AREA_BLOCKS * SECTOR;
  yield { kind: 'bytes', start: 0, length: systemArea, what: 'system area', make: () => plan.systemArea() };
  for (const p of plan.pieces) {
    if (p.kind === 'tail') {
      yield { kind: 'bytes', start: p.offset, length: p.bytes, what: 'tail', make: p.produce };
    } else if (p.kind === 'meta') {
      const start = p.lba * SECTOR;
      yield { kind: 'bytes', start, length: p.blocks * SECTOR, what: 'metadata', make: p.produce };
    } else if (p.kind === 'file') {
      yield fileSegment(plan, p.file, p.lba * SECTOR);
    } else if (p.kind === 'files') {
      for (const f of p.files) yield fileSegment(plan, f, f.lba * SECTOR);
    } else {
      const region = p.region;
      const make = () => {
        const out = region.produce(plan);
        return Buffer.isBuffer(out) ? oneChunk(out) : out;
      };
      yield { kind: 'stream', start: p.lba * SECTOR, length: p.bytes, what: `region ${region.name}`, make };
    }
  }
}

function fileSegment(plan: Plan, f: FileNode, start: number): Segment {
  const src = f.data;
  if (src.type === 'file') return { kind: 'file', start, length: f.size, file: f, path: src.path };
  if (src.type === 'image')
    return { kind: 'file', start, length: f.size, file: f, path: src.image.path, image: src };
  const make = () => {
    const b = src.type === 'memory' ? src.bytes : src.produce(plan);
    if (b.length !== f.size) throw new Error(`internal: ${f.path} produced ${b.length} of ${f.size} bytes`);
    return b;
  };
  return { kind: 'bytes', start, length: f.size, what: f.path, file: f.path, make };
}

async function* oneChunk(b: Buffer): AsyncIterable<Buffer> {
  yield b;
}

export function describe(s: Segment): string {
  return s.kind === 'file' ? s.file.path : s.what;
}
