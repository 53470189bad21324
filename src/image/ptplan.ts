/**
 * The path tables of one namespace (ECMA-119 9.4): a record per directory in the directory plan's
 * order (breadth-first, so a parent's number is below its children's), each naming its extent and
 * its parent's number.
 */
import type { DirPlan } from './dirplan.js';
import type { Namespace } from './namespace.js';
import { pathTableRecordLength, type PathTableEntry } from './pathtable.js';

const idOf = (d: DirPlan, ns: Namespace) => ns.pathTableId(d[ns.key].id, d.parent === undefined);

/** A path table's bytes (each byte order has one). */
export function pathTableSize(dirs: readonly DirPlan[], ns: Namespace): number {
  return dirs.reduce((n, d) => n + pathTableRecordLength(idOf(d, ns).length), 0);
}

/** The records; `dirLba` holds the extents by DirPlan.index, `bias` is subtracted from each. */
export function pathTableEntries(
  dirs: readonly DirPlan[],
  ns: Namespace,
  dirLba: readonly number[],
  bias: number
): PathTableEntry[] {
  return dirs.map(d => ({
    id: idOf(d, ns),
    extent: dirLba[d.index] - bias,
    parent: d.parent ? d.parent.index + 1 : 1
  }));
}
