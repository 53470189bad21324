/**
 * Directory-record helpers of the plan: how Rock Ridge entries are split between a record and its
 * continuation areas (SUSP 5.1), and where records fall in a directory extent.
 */
import { SECTOR, blocksFor } from './bytes.js';
import {
  CE_LENGTH,
  NM_MAX_NAME,
  PX_LENGTH,
  TF_LENGTH,
  encodeNM,
  encodePX,
  encodeSL,
  encodeTF,
  writeNM,
  writePX,
  writeTF
} from './rockridge.js';
import type { TreeNode } from './tree.js';

/** Rock Ridge entries of one record: those in the record and the continuation areas after it. */
export interface SuPlan {
  inRecord: Buffer[];
  /** continuation areas; each but the last ends with a CE to the next */
  areas: { entries: Buffer[]; bytes: number; block: number; offset: number }[];
}

/** Split Rock Ridge entries between a record (`room` bytes) and continuation areas. */
export function splitSu(entries: Buffer[], room: number): SuPlan {
  const total = entries.reduce((n, e) => n + e.length, 0);
  // the common case: one buffer per record, not one per entry (memory grows with the number of files)
  if (total <= room) return { inRecord: [Buffer.concat(entries, total)], areas: [] };
  const inRecord: Buffer[] = [];
  let used = 0;
  let i = 0;
  while (
    i < entries.length &&
    used + entries[i].length + CE_LENGTH <= room &&
    entries[i].toString('latin1', 0, 2) !== 'ER'
  ) {
    used += entries[i].length;
    inRecord.push(entries[i++]);
  }
  const areas: SuPlan['areas'] = [];
  let cur: Buffer[] = [];
  let bytes = 0;
  for (; i < entries.length; i++) {
    const e = entries[i];
    const restAfter = entries.slice(i + 1).reduce((n, x) => n + x.length, 0);
    const need = e.length + (restAfter > 0 ? CE_LENGTH : 0);
    if (bytes + e.length + CE_LENGTH > SECTOR && !(bytes + need <= SECTOR)) {
      areas.push({ entries: cur, bytes: bytes + CE_LENGTH, block: 0, offset: 0 });
      cur = [];
      bytes = 0;
    }
    cur.push(e);
    bytes += e.length;
  }
  areas.push({ entries: cur, bytes, block: 0, offset: 0 });
  return { inRecord, areas };
}

/** Where each record of a directory goes: in order, never across a sector (ECMA-119 6.8.1.1). */
/** Where records go in a directory extent: in order, never across a sector (ECMA-119 6.8.1.1). */
export class Packer {
  end = 0;
  /** The offset of a record of `len` bytes. */
  place(len: number): number {
    if ((this.end % SECTOR) + len > SECTOR) this.end += SECTOR - (this.end % SECTOR);
    const at = this.end;
    this.end += len;
    return at;
  }
  /** The extent's size: whole sectors, at least one. */
  size(): number {
    return blocksFor(Math.max(this.end, 1)) * SECTOR;
  }
}

export function suBytes(su: SuPlan | undefined): number {
  if (!su) return 0;
  return su.inRecord.reduce((n, e) => n + e.length, 0) + (su.areas.length ? CE_LENGTH : 0);
}

export function rrEntries(node: TreeNode, nlink: number, extra: Buffer[] = [], withName = true): Buffer[] {
  const out: Buffer[] = [...extra];
  out.push(encodePX(node.mode, nlink, node.uid, node.gid, node.serial));
  out.push(encodeTF(node.mtime));
  if (withName) out.push(...encodeNM(node.name));
  if (node.kind === 'symlink') out.push(...encodeSL(node.target));
  return out;
}

/**
 * Bytes of rrEntries(node, nlink, [], withName) when they are PX, TF and at most one NM: not a
 * symbolic link, and a name of at most 250 bytes (`nameBytes`, its UTF-8 length). Undefined
 * otherwise. Such entries need not be kept from plan to write: writeRr makes them again.
 */
export function rrLength(node: TreeNode, nameBytes: number, withName = true): number | undefined {
  if (node.kind === 'symlink' || nameBytes > NM_MAX_NAME) return undefined;
  return PX_LENGTH + TF_LENGTH + (withName ? 5 + nameBytes : 0);
}

/** The bytes of rrEntries (for a node rrLength takes) written at `off` of `b`; returns the end. */
export function writeRr(
  b: Buffer,
  off: number,
  node: TreeNode,
  nlink: number,
  nameBytes: number,
  withName = true
): number {
  off = writePX(b, off, node.mode, nlink, node.uid, node.gid, node.serial);
  off = writeTF(b, off, node.mtime);
  return withName ? writeNM(b, off, node.name, nameBytes) : off;
}
