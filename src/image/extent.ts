/**
 * Where each record of a directory extent goes, in one namespace: ".", "..", then the records in
 * order, one per extent of a multi-extent file, never across a sector (ECMA-119 6.8.1.1). The plan
 * runs it to size the extent and the writer runs it again to fill it: one rule for both.
 */
import { Packer, type SuPlan } from './records.js';
import type { Namespace, Records } from './namespace.js';
import { evenRecord, extentsOf } from './namespace.js';
import { childSuLength, dotSuLength, type SystemUse } from './sysuse.js';
import type { DirNode } from './tree.js';

/** "." or "..": the directory it names and its kept Rock Ridge entries. */
export interface DotRecord {
  node: DirNode;
  kept: SuPlan | undefined;
}

/** The place of one record: its offset in the extent and its identifier and system use bytes. */
export interface RecordSpot {
  at: number;
  idLen: number;
  suLen: number;
}

export interface RecordVisitor {
  /** "." (0) or ".." (1) */
  dot(which: 0 | 1, spot: RecordSpot): void;
  /** the `k`th extent's record of `recs.nodes[i]` */
  child(i: number, k: number, spot: RecordSpot): void;
}

/** Places the records of an extent (telling `visit` where each goes); returns the extent's size. */
export function placeRecords(
  ns: Namespace,
  su: SystemUse,
  recs: Records,
  dots: readonly [DotRecord, DotRecord],
  visit?: RecordVisitor
): number {
  const packer = new Packer();
  dots.forEach((d, which) => {
    const suLen = ns.rockRidge ? dotSuLength(su, d.node, d.kept) : 0;
    const at = packer.place(evenRecord(1, suLen));
    visit?.dot(which as 0 | 1, { at, idLen: 1, suLen });
  });
  for (let i = 0; i < recs.nodes.length; i++) {
    const n = recs.nodes[i];
    const idLen = ns.idLength(recs.ids[i]);
    const suLen = ns.rockRidge ? childSuLength(su, n) : 0;
    const len = evenRecord(idLen, suLen);
    for (let k = 0, count = extentsOf(n); k < count; k++) {
      const at = packer.place(len);
      visit?.child(i, k, { at, idLen, suLen });
    }
  }
  return packer.size();
}
