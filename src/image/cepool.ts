/**
 * The CE pool: every record's SUSP continuation areas (SUSP 5.1) packed into blocks of their own,
 * never crossing a block, in the order the plan met them; and the pool's bytes.
 */
import { SECTOR } from './bytes.js';
import { encodeCE } from './rockridge.js';
import type { CeArea } from './sysuse.js';

/** Gives each area its block (from the pool's first) and offset; returns the pool's blocks. */
export function packCeAreas(areas: readonly CeArea[][]): number {
  let blocks = 0;
  let off = 0;
  for (const list of areas) {
    for (const a of list) {
      if (off + a.bytes > SECTOR) {
        blocks++;
        off = 0;
      }
      a.block = blocks;
      a.offset = off;
      off += a.bytes;
    }
  }
  if (off > 0 || areas.length) blocks++;
  return blocks;
}

/** The pool's bytes; `ceLba` is its first block as the tree addresses it (each area's CE to the next). */
export function encodeCePool(areas: readonly CeArea[][], blocks: number, ceLba: number): Buffer {
  const out = Buffer.alloc(blocks * SECTOR);
  for (const list of areas) {
    list.forEach((a, i) => {
      let off = a.block * SECTOR + a.offset;
      for (const e of a.entries) {
        e.copy(out, off);
        off += e.length;
      }
      const next = list[i + 1];
      if (next) encodeCE(ceLba + next.block, next.offset, next.bytes).copy(out, off);
    });
  }
  return out;
}
