/**
 * The directory plan: every directory breadth-first (the order of the path tables' numbers,
 * ECMA-119 9.4.3), its identifier and extent size in each namespace, and the Rock Ridge entries its
 * records keep (SUSP continuation areas included). Sizes only: blocks come later.
 */
import { placeRecords, type DotRecord } from './extent.js';
import type { Namespace } from './namespace.js';
import type { SuPlan } from './records.js';
import { keepChild, keepDots, type SystemUse } from './sysuse.js';
import type { DirNode, TreeNode } from './tree.js';

/** One namespace's extent of a directory (its records are made again when it is written). */
export interface Extent {
  /** the directory's own identifier in its parent (ISO 9660 one character a byte, Joliet UTF-16) */
  id: string;
  /** bytes, whole sectors */
  size: number;
}

export interface DirPlan {
  node: DirNode;
  parent: DirPlan | undefined;
  /** place in the plan's `dirs` (breadth-first) */
  index: number;
  /** "." and ".." keep their Rock Ridge entries only when they are not PX and TF alone */
  iso: Extent & { dot?: SuPlan; dotdot?: SuPlan };
  jol: Extent;
}

export interface DirectoryPlan {
  dirs: DirPlan[];
  byNode: Map<DirNode, DirPlan>;
}

/** The "." and ".." records of a directory's extents. */
export function dotsOf(d: DirPlan): [DotRecord, DotRecord] {
  return [
    { node: d.node, kept: d.iso.dot },
    { node: (d.parent ?? d).node, kept: d.iso.dotdot }
  ];
}

export function planDirectories(
  root: DirNode,
  iso: Namespace,
  jol: Namespace | undefined,
  su: SystemUse
): DirectoryPlan {
  const dirs: DirPlan[] = [];
  const byNode = new Map<DirNode, DirPlan>();
  const mkDir = (node: DirNode, parent: DirPlan | undefined, isoId: string, jolId: string): DirPlan => {
    const d: DirPlan = { node, parent, index: 0, iso: { id: isoId, size: 0 }, jol: { id: jolId, size: 0 } };
    byNode.set(node, d);
    return d;
  };
  const queue: DirPlan[] = [mkDir(root, undefined, '', '')];
  for (let qi = 0; qi < queue.length; qi++) {
    const d = queue[qi];
    d.index = dirs.length;
    dirs.push(d);
    const recs = iso.records(d.node);
    if (iso.rockRidge) {
      Object.assign(d.iso, keepDots(su, d.node, (d.parent ?? d).node, d.parent === undefined));
      recs.nodes.forEach((n, i) => keepChild(su, n, iso.idLength(recs.ids[i])));
    }
    d.iso.size = placeRecords(iso, su, recs, dotsOf(d));
    const jolIds = new Map<TreeNode, string>();
    if (jol) {
      const jrecs = jol.records(d.node);
      d.jol.size = placeRecords(jol, su, jrecs, dotsOf(d));
      jrecs.nodes.forEach((n, i) => n.kind === 'dir' && jolIds.set(n, jrecs.ids[i]));
    }
    // children directories in record order → queue (path table order: parent, then name)
    recs.nodes.forEach((n, i) => {
      if (n.kind === 'dir') queue.push(mkDir(n, d, recs.ids[i], jolIds.get(n) ?? ''));
    });
  }
  return { dirs, byNode };
}
