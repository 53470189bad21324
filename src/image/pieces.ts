/**
 * The plan's pieces: what the writer emits, each at its block, and how its bytes are made once the
 * layout is final. One copy of the trees gives its descriptor set, path tables, directory extents
 * and CE pool.
 */
import { SECTOR, blocksFor } from './bytes.js';
import type { TreeSet, TreeSizes } from './allocate.js';
import { encodeCePool } from './cepool.js';
import type { DirPlan, DirectoryPlan } from './dirplan.js';
import { encodeDir } from './encode-dir.js';
import type { AppendedRegion } from './extension.js';
import { pathTableEntries } from './ptplan.js';
import { encodePathTable } from './pathtable.js';
import type { SystemUse } from './sysuse.js';
import type { DirNode, FileNode } from './tree.js';

export type Piece =
  | { kind: 'meta'; lba: number; blocks: number; produce: () => Buffer }
  | { kind: 'file'; lba: number; file: FileNode }
  /**
   * the files' data, one after another from `lba`, each at its own block: one piece for all of
   * them (a piece per file was 56 bytes each, held until the image was written)
   */
  | { kind: 'files'; lba: number; files: readonly FileNode[] }
  | { kind: 'region'; lba: number; blocks: number; region: AppendedRegion; bytes: number }
  | { kind: 'tail'; offset: number; bytes: number; produce: () => Buffer };

/** Everything the encoders of one tree copy read, besides its blocks. */
export interface TreeShape extends TreeSizes {
  byNode: ReadonlyMap<DirNode, DirPlan>;
  pathTableOrder: DirectoryPlan['pathTableOrder'];
  su: SystemUse;
}

/** The pieces of one copy of the trees; `vdSet` makes its volume descriptor set (`vdBlocks` long). */
export function treePieces(ts: TreeSet, shape: TreeShape, vdBlocks: number, vdSet: () => Buffer): Piece[] {
  const pieces: Piece[] = [{ kind: 'meta', lba: ts.vdLba, blocks: vdBlocks, produce: vdSet }];
  const meta = (lba: number, bytes: number, produce: () => Buffer) =>
    pieces.push({ kind: 'meta', lba, blocks: blocksFor(bytes), produce });
  for (const ns of shape.namespaces) {
    const blocks = ns.key === 'iso' ? ts.iso : ts.jol!;
    const size = shape.ptSize[ns.key];
    const entries = () => pathTableEntries(shape.pathTableOrder[ns.key]!, ns, blocks.dirLba, ts.bias);
    meta(blocks.ptL, size, () => encodePathTable(entries(), false));
    meta(blocks.ptM, size, () => encodePathTable(entries(), true));
  }
  for (const ns of shape.namespaces) {
    const blocks = ns.key === 'iso' ? ts.iso : ts.jol!;
    for (const d of shape.dirs)
      meta(blocks.dirLba[d.index], d[ns.key].size, () => encodeDir(d, ns, ts, shape.byNode, shape.su));
  }
  const { ceBlocks, su } = shape;
  if (ceBlocks) meta(ts.ceLba, ceBlocks * SECTOR, () => encodeCePool(su.areas, ceBlocks, ts.ceLba - ts.bias));
  return pieces;
}

/** Pieces in the image's order: the blocks' pieces by block, then the tails in the order given. */
export function inImageOrder(blocks: readonly Piece[], tails: readonly Piece[]): Piece[] {
  const lba = (p: Piece) => (p.kind === 'tail' ? 0 : p.lba);
  return [...[...blocks].sort((a, b) => lba(a) - lba(b)), ...tails];
}
