/**
 * The path tables of one namespace (ECMA-119 9.4): a record per directory in that namespace's
 * path table order (ECMA-119 6.9.1; the directory plan gives it), each naming its extent and its
 * parent's number in the same table.
 */
import type { DirPlan } from './dirplan.js';
import type { Namespace } from './namespace.js';
import { pathTableRecordLength, type PathTableEntry } from './pathtable.js';

const idOf = (d: DirPlan, ns: Namespace) => ns.pathTableId(d[ns.key].id, d.parent === undefined);

/** A path table's bytes (each byte order has one). */
export function pathTableSize(order: readonly DirPlan[], ns: Namespace): number {
  return order.reduce((n, d) => n + pathTableRecordLength(idOf(d, ns).length), 0);
}

/**
 * The records, in `order`; `dirLba` holds the extents by DirPlan.index, `bias` is subtracted from
 * each. A directory's number is its place in `order`, from 1 (the root's parent is 1).
 */
export function pathTableEntries(
  order: readonly DirPlan[],
  ns: Namespace,
  dirLba: readonly number[],
  bias: number
): PathTableEntry[] {
  const num = new Map(order.map((d, i) => [d, i + 1]));
  return order.map(d => ({
    id: idOf(d, ns),
    extent: dirLba[d.index] - bias,
    parent: d.parent ? num.get(d.parent)! : 1
  }));
}
