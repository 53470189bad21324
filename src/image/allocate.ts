/**
 * Block allocation: one cursor moves from the end of the volume descriptors to the end of the
 * image, and each step takes the blocks of one kind of structure from it, in the order the image
 * holds them. The tree steps run for the main tree and again for the partition-offset copy.
 */
import { SECTOR, blocksFor } from './bytes.js';
import type { DirPlan } from './dirplan.js';
import type { AppendedRegion, ImageExtension } from './extension.js';
import type { Namespace } from './namespace.js';
import type { DirNode, FileGroup, FileNode, TreeNode } from './tree.js';

/** The next free block. */
export class Cursor {
  constructor(public at: number) {}

  /** `blocks` blocks from here; returns the first. */
  take(blocks: number): number {
    const at = this.at;
    this.at += blocks;
    return at;
  }
}

/** A namespace's blocks in one tree: its path tables (both byte orders) and directory extents. */
export interface NamespaceBlocks {
  ptL: number;
  ptM: number;
  /** extents of the directories, by DirPlan.index */
  dirLba: number[];
}

/** The blocks of one copy of the directory trees, and how its records address them. */
export interface TreeSet {
  /** first block of its volume descriptor set */
  vdLba: number;
  /** subtracted from every address its structures record (the partition offset of a copy) */
  bias: number;
  iso: NamespaceBlocks;
  jol: NamespaceBlocks | undefined;
  ceLba: number;
}

/** What a tree's blocks are sized by. */
export interface TreeSizes {
  dirs: readonly DirPlan[];
  namespaces: readonly Namespace[];
  /** one path table's bytes, by namespace */
  ptSize: Readonly<Record<string, number>>;
  ceBlocks: number;
}

function pathTables(cur: Cursor, size: number): { ptL: number; ptM: number } {
  return { ptL: cur.take(blocksFor(size)), ptM: cur.take(blocksFor(size)) };
}

function dirExtents(cur: Cursor, dirs: readonly DirPlan[], ns: Namespace): number[] {
  const lbas: number[] = [];
  for (const d of dirs) lbas[d.index] = cur.take(d[ns.key].size / SECTOR);
  return lbas;
}

/**
 * One tree: the path tables of each namespace, the ISO 9660 extents, the CE pool (after the
 * records that point into it), then the Joliet extents.
 */
export function reserveTree(cur: Cursor, vdLba: number, bias: number, s: TreeSizes): TreeSet {
  const [iso, jol] = s.namespaces;
  const pts = s.namespaces.map(ns => pathTables(cur, s.ptSize[ns.key]));
  const isoDirs = dirExtents(cur, s.dirs, iso);
  const ceLba = cur.take(s.ceBlocks);
  const jolDirs = jol ? dirExtents(cur, s.dirs, jol) : [];
  return {
    vdLba,
    bias,
    iso: { ...pts[0], dirLba: isoDirs },
    jol: jol ? { ...pts[1], dirLba: jolDirs } : undefined,
    ceLba
  };
}

/**
 * File data: ordered files first (lower first), then tree order; an empty file is at block 0, and
 * hard links share the first member's blocks. Returns the files whose bytes are written.
 */
export function reserveFiles(
  root: DirNode,
  order: ReadonlyMap<FileNode, number>,
  cur: Cursor,
  elsewhere: ReadonlySet<FileNode> = new Set()
): FileNode[] {
  const ordered: FileNode[] = [];
  const rest: FileNode[] = [];
  const placed = (f: FileNode) =>
    elsewhere.has(f) || (f.linkGroup?.members.some(m => elsewhere.has(m)) ?? false);
  const visit = (n: TreeNode) => {
    if (n.kind === 'dir') n.children.forEach(visit);
    else if (n.kind === 'file' && !placed(n)) (order.has(n) ? ordered : rest).push(n);
  };
  visit(root);
  ordered.sort((a, b) => order.get(a)! - order.get(b)!);
  const dataFiles: FileNode[] = [];
  const owners = new Map<FileGroup, FileNode>();
  for (const list of [ordered, rest]) {
    for (const f of list) {
      if (f.linkGroup && owners.has(f.linkGroup)) continue;
      if (f.linkGroup) owners.set(f.linkGroup, f);
      f.lba = f.size === 0 ? 0 : cur.take(blocksFor(f.size));
      if (f.size > 0) dataFiles.push(f);
    }
  }
  for (const list of [ordered, rest])
    for (const f of list) if (f.linkGroup) f.lba = owners.get(f.linkGroup)!.lba;
  return dataFiles;
}

export interface PlacedRegion {
  region: AppendedRegion;
  lba: number;
  blocks: number;
}

/** The extensions' appended regions, in extension order. */
export const regionsOf = (extensions: readonly ImageExtension[]): AppendedRegion[] =>
  extensions.flatMap(ext => ext.appendedRegions?.() ?? []);

/**
 * The appended regions, after the volume; a tree file a region holds (and its hard links) takes the
 * region's first block.
 */
export function reserveRegions(regions: readonly AppendedRegion[], cur: Cursor): PlacedRegion[] {
  const out: PlacedRegion[] = [];
  for (const region of regions) {
    const blocks = blocksFor(region.bytes);
    const lba = cur.take(blocks);
    for (const f of region.file ? (region.file.linkGroup?.members ?? [region.file]) : []) f.lba = lba;
    out.push({ region, lba, blocks });
  }
  return out;
}
