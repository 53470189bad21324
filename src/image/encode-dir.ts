/**
 * A directory extent's bytes in one namespace, made at write time from the tree and the plan by
 * the rule that sized it (extent.ts): the records, their system use areas, and their addresses as
 * one copy of the trees (TreeSet) records them.
 */
import { SECTOR } from './bytes.js';
import type { NamespaceBlocks, TreeSet } from './allocate.js';
import {
  DIR_RECORD_FIXED,
  FLAG_DIRECTORY,
  FLAG_MULTI_EXTENT,
  MAX_EXTENT,
  writeDirRecordHead
} from './dirrec.js';
import { dotsOf, type DirPlan } from './dirplan.js';
import { placeRecords } from './extent.js';
import { extentsOf, type Namespace } from './namespace.js';
import { writeSu, type SystemUse } from './sysuse.js';
import type { DirNode, TreeNode } from './tree.js';

/** Where a record points: extent, data length and flags (ECMA-119 9.1.3, 9.1.4, 9.1.6). */
interface Target {
  extent: number;
  size: number;
  flags: number;
}

/** The `k`th extent of a node's records (files past MAX_EXTENT have several, ECMA-119 6.5.1). */
function targetOf(
  n: TreeNode,
  k: number,
  ns: Namespace,
  blocks: NamespaceBlocks,
  byNode: ReadonlyMap<DirNode, DirPlan>,
  bias: number
): Target {
  if (n.kind === 'dir') {
    const dp = byNode.get(n)!;
    return { extent: blocks.dirLba[dp.index] - bias, size: dp[ns.key].size, flags: FLAG_DIRECTORY };
  }
  if (n.kind === 'symlink') return { extent: 0, size: 0, flags: 0 };
  const count = extentsOf(n);
  const last = k === count - 1;
  return {
    extent: n.size === 0 ? 0 : n.lba + k * (MAX_EXTENT / SECTOR) - bias,
    size: last ? n.size - MAX_EXTENT * (count - 1) : MAX_EXTENT,
    flags: last ? 0 : FLAG_MULTI_EXTENT
  };
}

export function encodeDir(
  d: DirPlan,
  ns: Namespace,
  ts: TreeSet,
  byNode: ReadonlyMap<DirNode, DirPlan>,
  su: SystemUse
): Buffer {
  const blocks = ns.key === 'iso' ? ts.iso : ts.jol!;
  const { bias } = ts;
  const ceLba = ts.ceLba - bias;
  const recs = ns.records(d.node);
  const out = Buffer.alloc(d[ns.key].size);
  const dots = dotsOf(d);
  const dotDirs = [d, d.parent ?? d];
  placeRecords(ns, su, recs, dots, {
    dot(which, s) {
      const dp = dotDirs[which];
      const extent = blocks.dirLba[dp.index] - bias;
      const at = writeDirRecordHead(
        out,
        s.at,
        extent,
        dp[ns.key].size,
        dp.node.mtime,
        FLAG_DIRECTORY,
        1,
        s.suLen
      );
      out[s.at + DIR_RECORD_FIXED] = which;
      if (ns.rockRidge) writeSu(out, at, su, dots[which].node, dots[which].kept, false, ceLba);
    },
    child(i, k, s) {
      const n = recs.nodes[i];
      const t = targetOf(n, k, ns, blocks, byNode, bias);
      const at = writeDirRecordHead(out, s.at, t.extent, t.size, n.mtime, t.flags, s.idLen, s.suLen);
      ns.writeId(out, s.at + DIR_RECORD_FIXED, recs.ids[i]);
      if (ns.rockRidge) writeSu(out, at, su, n, su.kept.get(n), true, ceLba);
    }
  });
  return out;
}
