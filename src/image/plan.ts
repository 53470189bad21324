/**
 * plan: names, record sizes and block addresses for every structure of the image, before a byte
 * is written. The result is an ordered list of pieces that the writer emits front to back. Each
 * step below takes and returns plain values; their order is the reason for each comment.
 */
import { SECTOR } from './bytes.js';
import { Cursor, regionsOf, reserveFiles, reserveRegions, reserveTree } from './allocate.js';
import { packCeAreas } from './cepool.js';
import { planDirectories } from './dirplan.js';
import { encodeVdSet } from './encode-vd.js';
import type { Logger } from '../log.js';
import type { ImageExtension } from './extension.js';
import type { VolumeLabels } from './labels.js';
import { isoNamespace, jolietNamespace, type Namespace } from './namespace.js';
import { inImageOrder, treePieces, type Piece, type TreeShape } from './pieces.js';
import { pathTableSize } from './ptplan.js';
import { assignSerials, linkCounter } from './serials.js';
import { newSystemUse } from './sysuse.js';
import { reserveTails } from './tails.js';
import { fileAt, type DirNode, type FileNode, type LayoutView } from './tree.js';
import { SYSTEM_AREA_BLOCKS, VD_SET_LBA } from './voldesc.js';

export type { Piece } from './pieces.js';

export interface PlanOptions {
  labels: VolumeLabels;
  joliet: boolean;
  rockRidge: boolean;
  /** volume dates (seconds) */
  epoch: number;
  extensions: readonly ImageExtension[];
  /** data order of files (lower first); files not listed come after, in tree order */
  order: ReadonlyMap<FileNode, number>;
  /** told of names the Joliet tree cuts */
  log?: Logger;
}

export interface Plan extends LayoutView {
  pieces: Piece[];
  extensions: readonly ImageExtension[];
  systemArea(): Buffer;
}

/** Blocks of the volume descriptor set: PVD, the extensions' (boot record), SVD, terminator. */
function vdSetBlocks(o: PlanOptions): number {
  const extVds = o.extensions.reduce((n, e) => n + (e.volumeDescriptorCount ?? 0), 0);
  return 1 + extVds + (o.joliet ? 1 : 0) + 1;
}

/** The block of the copy's descriptor set, or 0 for none (ISO 9660 inside a partition, hybrid). */
function partitionOffsetOf(o: PlanOptions, vdBlocks: number): number {
  const offset = Math.max(0, ...o.extensions.map(e => e.partitionOffset ?? 0));
  if (offset > 0 && offset < vdBlocks)
    throw new RangeError(`partition offset ${offset} leaves no room for ${vdBlocks} volume descriptors`);
  return offset;
}

export function makePlan(root: DirNode, o: PlanOptions): Plan {
  // 1. serial numbers and link counts: every PX the next steps size carries them
  assignSerials(root);
  const su = newSystemUse(o.rockRidge, linkCounter());
  // 2. names, records and extent sizes of each namespace, breadth-first (the ISO 9660 path table's
  //    order; Joliet's has its own); the Rock Ridge entries that do not fit a record go to
  //    continuation areas
  const namespaces: Namespace[] = [isoNamespace(o.rockRidge), ...(o.joliet ? [jolietNamespace()] : [])];
  const { dirs, byNode, pathTableOrder } = planDirectories(root, namespaces[0], namespaces[1], su, o.log);
  // 3. sizes that need every directory: the CE pool and the path tables
  const ceBlocks = packCeAreas(su.areas);
  const ptSize = Object.fromEntries(
    namespaces.map(ns => [ns.key, pathTableSize(pathTableOrder[ns.key]!, ns)])
  );
  const shape: TreeShape = { dirs, byNode, su, namespaces, ptSize, ceBlocks, pathTableOrder };

  // 4. blocks, one cursor from the end of the descriptor set: the trees (a partition-offset copy
  //    puts its descriptors at offset + 16 and its trees after ours), then file data, then the
  //    regions appended after the volume, then the tails (zero padding, then a backup GPT last).
  //    A region that holds a tree file (an ESP that is a file of the tree) is part of the volume
  //    space, as xorriso counts its appended partitions with -partition_offset 16 (Ubuntu's layout;
  //    without it, xorriso's volume ends before them): the file's extent lies inside the volume,
  //    where bsdtar looks (it skips a file past the volume's end; 7-Zip, isoinfo, xorriso and
  //    pycdlib read it either way).
  const vdBlocks = vdSetBlocks(o);
  const offset = partitionOffsetOf(o, vdBlocks);
  const cur = new Cursor(VD_SET_LBA + vdBlocks);
  if (offset > 0) cur.at = Math.max(cur.at, VD_SET_LBA + offset + vdBlocks);
  const main = reserveTree(cur, VD_SET_LBA, 0, shape);
  const copy = offset > 0 ? reserveTree(cur, VD_SET_LBA + offset, offset, shape) : undefined;
  const appended = regionsOf(o.extensions);
  const held = new Set(appended.flatMap(r => (r.file ? [r.file] : [])));
  const dataFiles = reserveFiles(root, o.order, cur, held);
  const filesEnd = cur.at;
  const regions = reserveRegions(appended, cur);
  const volumeBlocks = held.size > 0 ? cur.at : filesEnd;
  const { tails, imageSize } = reserveTails(o.extensions, cur.at * SECTOR);

  // 5. what extensions and deferred sources see of the layout, now final
  const byName = new Map(regions.map(r => [r.region.name, { lba: r.lba, blocks: r.blocks }]));
  const view: LayoutView = {
    volumeBlocks,
    imageSize,
    pvdLba: VD_SET_LBA,
    region(name: string) {
      const r = byName.get(name);
      if (!r) throw new RangeError(`no region ${name}`);
      return r;
    },
    file: (p: string) => fileAt(root, p)
  };

  // 6. the pieces, encoded at write time from the plan; in image order, the tails last
  const facts = { labels: o.labels, epoch: o.epoch, volumeBlocks };
  const vdSet = (ts: typeof main) => () => encodeVdSet(ts, dirs[0], facts, ptSize, extensionVds(o, view));
  const pieces = inImageOrder(
    [
      ...treePieces(main, shape, vdBlocks, vdSet(main)),
      ...(copy ? treePieces(copy, shape, vdBlocks, vdSet(copy)) : []),
      ...(dataFiles.length ? [{ kind: 'files' as const, lba: dataFiles[0].lba, files: dataFiles }] : []),
      ...regions.map((r): Piece =>
        r.region.file
          ? { kind: 'file', lba: r.lba, file: r.region.file }
          : { kind: 'region', ...r, bytes: r.region.bytes }
      )
    ],
    tails.map(t => ({ kind: 'tail', offset: t.offset, bytes: t.bytes, produce: () => t.produce(view) }))
  );

  return {
    ...view,
    pieces,
    extensions: o.extensions,
    systemArea(): Buffer {
      const area = Buffer.alloc(SYSTEM_AREA_BLOCKS * SECTOR);
      for (const e of o.extensions) e.systemArea?.(view, area);
      return area;
    }
  };
}

/** The extensions' volume descriptors (after the PVD), as many as each declared. */
function extensionVds(o: PlanOptions, view: LayoutView): Buffer[] {
  const vds: Buffer[] = [];
  for (const e of o.extensions) {
    if (!e.volumeDescriptorCount) continue;
    const got = e.encodeVolumeDescriptors?.(view) ?? [];
    if (got.length !== e.volumeDescriptorCount)
      throw new RangeError(`${e.name}: ${got.length} volume descriptors`);
    vds.push(...got);
  }
  return vds;
}
