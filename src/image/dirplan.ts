/**
 * The directory plan: every directory breadth-first (the order of the path tables' numbers,
 * ECMA-119 9.4.3), its identifier and extent size in each namespace, and the Rock Ridge entries its
 * records keep (SUSP continuation areas included). Sizes only: blocks come later.
 */
import type { Logger } from '../log.js';
import { placeRecords, type DotRecord } from './extent.js';
import { JOLIET_MAX, jolietCuts } from './names.js';
import type { Namespace, NamespaceKey, Records } from './namespace.js';
import { pathTableOrder } from './pathtable.js';
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
  /** breadth-first in ISO 9660 record order: the order of the extents, and of the ISO 9660 path table */
  dirs: DirPlan[];
  byNode: Map<DirNode, DirPlan>;
  /**
   * each namespace's path table order (ECMA-119 6.9.1: level, parent number, identifier in that
   * namespace); Joliet's differs from ISO 9660's where the identifiers sort otherwise
   */
  pathTableOrder: Partial<Record<NamespaceKey, DirPlan[]>>;
}

/** The "." and ".." records of a directory's extents. */
export function dotsOf(d: DirPlan): [DotRecord, DotRecord] {
  return [
    { node: d.node, kept: d.iso.dot },
    { node: (d.parent ?? d).node, kept: d.iso.dotdot }
  ];
}

/** A name the Joliet tree cuts is said, once per file, with what Joliet readers see instead. */
function warnCut(log: Logger | undefined, recs: Records, rockRidge: boolean): void {
  recs.nodes.forEach((n, i) => {
    if (!log || !jolietCuts(n.name)) return;
    const full = rockRidge ? 'Rock Ridge keeps the full name' : 'with rock-ridge off no tree keeps it';
    log.warn(
      `${n.path}: the name has ${n.name.length} UTF-16 units, more than Joliet's ${JOLIET_MAX}; ` +
        `Joliet readers (Windows, 7-Zip) see "${recs.ids[i]}" (${full})`,
      n.path
    );
  });
}

export function planDirectories(
  root: DirNode,
  iso: Namespace,
  jol: Namespace | undefined,
  su: SystemUse,
  log?: Logger
): DirectoryPlan {
  const dirs: DirPlan[] = [];
  const byNode = new Map<DirNode, DirPlan>();
  const mkDir = (node: DirNode, parent: DirPlan | undefined, isoId: string, jolId: string): DirPlan => {
    const d: DirPlan = { node, parent, index: 0, iso: { id: isoId, size: 0 }, jol: { id: jolId, size: 0 } };
    byNode.set(node, d);
    return d;
  };
  /** each directory's subdirectories in Joliet record order, for the Joliet path table */
  const jolSubdirs = new Map<DirPlan, DirNode[]>();
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
      warnCut(log, jrecs, iso.rockRidge);
      d.jol.size = placeRecords(jol, su, jrecs, dotsOf(d));
      jrecs.nodes.forEach((n, i) => n.kind === 'dir' && jolIds.set(n, jrecs.ids[i]));
      jolSubdirs.set(
        d,
        jrecs.nodes.filter((n): n is DirNode => n.kind === 'dir')
      );
    }
    // children directories in record order → queue (path table order: parent, then name)
    recs.nodes.forEach((n, i) => {
      if (n.kind === 'dir') queue.push(mkDir(n, d, recs.ids[i], jolIds.get(n) ?? ''));
    });
  }
  const order: DirectoryPlan['pathTableOrder'] = { iso: dirs };
  if (jol) order.jol = pathTableOrder(dirs[0], d => (jolSubdirs.get(d) ?? []).map(n => byNode.get(n)!));
  return { dirs, byNode, pathTableOrder: order };
}
