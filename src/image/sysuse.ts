/**
 * The system use areas of the ISO 9660 records (SUSP, RRIP 1.12): which records keep their Rock
 * Ridge entries from plan to write, the continuation areas they spill into, and the rule both the
 * plan (sizes) and the writer (bytes) use for the length and the bytes of an area. Nearly every
 * record is PX, TF and one NM that fit: those are made again at write time from the node.
 */
import { DIR_RECORD_FIXED, MAX_DIR_RECORD, idFieldLength } from './dirrec.js';
import { rrEntries, rrLength, splitSu, suBytes, writeRr, type SuPlan } from './records.js';
import { encodeCE, encodeER, encodeSP } from './rockridge.js';
import type { LinkCount } from './serials.js';
import type { DirNode, TreeNode } from './tree.js';

/** Room for system use in the "." and ".." records (one byte of identifier, one of padding). */
const DOT_ROOM = MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1;

/** A continuation area of one record (see SuPlan). */
export type CeArea = SuPlan['areas'][number];

export interface SystemUse {
  readonly rockRidge: boolean;
  readonly nlink: LinkCount;
  /** the kept entries of the ISO 9660 records of files, directories and links */
  readonly kept: Map<TreeNode, SuPlan>;
  /** every record's continuation areas, in the order the plan met them (the CE pool's order) */
  readonly areas: CeArea[][];
}

export function newSystemUse(rockRidge: boolean, nlink: LinkCount): SystemUse {
  return { rockRidge, nlink, kept: new Map(), areas: [] };
}

const nameBytes = (n: TreeNode) => Buffer.byteLength(n.name, 'utf8');

function note(su: SystemUse, plan: SuPlan): SuPlan {
  if (plan.areas.length) su.areas.push(plan.areas);
  return plan;
}

/**
 * Rock Ridge entries of a record: undefined when they are PX, TF and at most one NM and fit
 * (the writer makes them again from the node), else split and kept.
 */
function keep(
  su: SystemUse,
  entries: () => Buffer[],
  simple: number | undefined,
  room: number
): SuPlan | undefined {
  return simple !== undefined && simple <= room ? undefined : note(su, splitSu(entries(), room));
}

/** The entries of "." and ".." that must be kept (the root's "." has SP and ER: always kept). */
export function keepDots(
  su: SystemUse,
  node: DirNode,
  parent: DirNode,
  isRoot: boolean
): { dot?: SuPlan; dotdot?: SuPlan } {
  const selfEntries = (n: DirNode) => rrEntries(n, su.nlink(n), [], false);
  const dot = isRoot
    ? note(su, splitSu([encodeSP(), ...selfEntries(node), encodeER()], DOT_ROOM))
    : keep(su, () => selfEntries(node), rrLength(node, 0, false), DOT_ROOM);
  const dotdot = keep(su, () => selfEntries(parent), rrLength(parent, 0, false), DOT_ROOM);
  return { dot, dotdot };
}

/** The entries of a child's record that must be kept, in `su.kept`. */
export function keepChild(su: SystemUse, n: TreeNode, idLen: number): void {
  const room = MAX_DIR_RECORD - DIR_RECORD_FIXED - idFieldLength(idLen);
  const plan = keep(su, () => rrEntries(n, su.nlink(n)), rrLength(n, nameBytes(n)), room - (room % 2));
  if (plan) su.kept.set(n, plan);
}

/** System use bytes of a "." or ".." record for `node`. */
export function dotSuLength(su: SystemUse, node: DirNode, kept: SuPlan | undefined): number {
  return !su.rockRidge ? 0 : kept ? suBytes(kept) : rrLength(node, 0, false)!;
}

/** System use bytes of a child's ISO 9660 record. */
export function childSuLength(su: SystemUse, n: TreeNode): number {
  if (!su.rockRidge) return 0;
  const kept = su.kept.get(n);
  return kept ? suBytes(kept) : rrLength(n, nameBytes(n))!;
}

/**
 * A record's system use area at `at` of `out`: its kept entries and a CE to its first continuation
 * area (`ceLba`: the CE pool's block as this tree's records address it), or PX, TF (and NM) anew.
 */
export function writeSu(
  out: Buffer,
  at: number,
  su: SystemUse,
  node: TreeNode,
  kept: SuPlan | undefined,
  withName: boolean,
  ceLba: number
): void {
  if (!kept) {
    writeRr(out, at, node, su.nlink(node), withName ? nameBytes(node) : 0, withName);
    return;
  }
  for (const e of kept.inRecord) {
    e.copy(out, at);
    at += e.length;
  }
  if (kept.areas.length) {
    const a = kept.areas[0];
    encodeCE(ceLba + a.block, a.offset, a.bytes).copy(out, at);
  }
}
