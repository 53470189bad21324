/**
 * plan: names, record sizes and block addresses for every structure of the image, before a byte
 * is written. The result is an ordered list of pieces that the writer emits front to back.
 */
import { SECTOR, blocksFor, encodeUtf16BE } from './bytes.js';
import {
  DIR_RECORD_FIXED,
  FLAG_DIRECTORY,
  FLAG_MULTI_EXTENT,
  MAX_DIR_RECORD,
  encodeDirRecord,
  idFieldLength,
  recordLength
} from './dirrec.js';
import type { AppendedRegion, ImageExtension } from './extension.js';
import { assignIsoNames, assignJolietNames, compareIsoIds } from './names.js';
import { encodePathTable, pathTableRecordLength, type PathTableEntry } from './pathtable.js';
import { packOffsets, rrEntries, splitSu, suBytes, type SuPlan } from './records.js';
import { encodeCE, encodeER, encodeSP } from './rockridge.js';
import { walk, type DirNode, type FileGroup, type FileNode, type LayoutView, type TreeNode } from './tree.js';
import {
  VD_TYPE_PRIMARY,
  VD_TYPE_SUPPLEMENTARY,
  encodeTerminator,
  encodeVolumeDescriptor
} from './voldesc.js';

/** Largest extent of a multi-extent file: 4 GiB - 2 KiB, a whole number of blocks (ECMA-119 9.1.4). */
export const MAX_EXTENT = 0xfffff800;
export const SYSTEM_AREA_BLOCKS = 16;

export interface PlanOptions {
  volumeId: string;
  joliet: boolean;
  rockRidge: boolean;
  /** volume dates (seconds) */
  epoch: number;
  applicationId: string;
  extensions: readonly ImageExtension[];
  /** data order of files (lower first); files not listed come after, in tree order */
  order: ReadonlyMap<FileNode, number>;
}

interface Rec {
  node: TreeNode;
  id: Buffer;
  su?: SuPlan;
}

interface DirPlan {
  node: DirNode;
  parent: DirPlan | undefined;
  iso: { id: Buffer; recs: Rec[]; size: number; lba: number; num: number; dot?: SuPlan; dotdot?: SuPlan };
  jol: { id: Buffer; recs: Rec[]; size: number; lba: number; num: number };
}

export type Piece =
  | { kind: 'meta'; lba: number; blocks: number; produce: () => Buffer }
  | { kind: 'file'; lba: number; file: FileNode }
  | { kind: 'region'; lba: number; blocks: number; region: AppendedRegion; bytes: number }
  | { kind: 'tail'; offset: number; bytes: number; produce: () => Buffer };

export interface Plan extends LayoutView {
  pieces: Piece[];
  /** files in data order, the ones whose bytes are written (first of each hard-link group) */
  dataFiles: FileNode[];
  dirs: DirPlan[];
  extensions: readonly ImageExtension[];
  systemArea(): Buffer;
}

export function makePlan(root: DirNode, o: PlanOptions): Plan {
  // ---- serial numbers and link counts -------------------------------------------------------
  let serial = 1;
  walk(root, n => {
    if (n.kind === 'file' && n.linkGroup && n.linkGroup.members[0] !== n) return;
    n.serial = serial++;
  });
  walk(root, n => {
    if (n.kind === 'file' && n.linkGroup && n.linkGroup.members[0] !== n)
      n.serial = n.linkGroup.members[0].serial;
  });
  const visible = (d: DirNode) => d.children.filter(c => !c.hidden);
  const nlinkOf = (n: TreeNode): number => {
    if (n.kind === 'dir') return 2 + visible(n).filter(c => c.kind === 'dir').length;
    if (n.kind === 'file' && n.linkGroup) return n.linkGroup.members.filter(m => !m.hidden).length;
    return 1;
  };

  // ---- directories, names and record sizes --------------------------------------------------
  const dirs: DirPlan[] = [];
  const byNode = new Map<DirNode, DirPlan>();
  const mkDir = (node: DirNode, parent: DirPlan | undefined, isoId: Buffer, jolId: Buffer): DirPlan => {
    const d: DirPlan = {
      node,
      parent,
      iso: { id: isoId, recs: [], size: 0, lba: 0, num: 0 },
      jol: { id: jolId, recs: [], size: 0, lba: 0, num: 0 }
    };
    byNode.set(node, d);
    return d;
  };
  const rootPlan = mkDir(root, undefined, Buffer.from([0]), Buffer.from([0]));

  const ceAreas: SuPlan['areas'][] = [];
  const noteSu = (su: SuPlan | undefined) => {
    if (su && su.areas.length) ceAreas.push(su.areas);
    return su;
  };

  // breadth-first so that path-table numbers follow ECMA-119 9.4 ordering
  const queue: DirPlan[] = [rootPlan];
  for (let qi = 0; qi < queue.length; qi++) {
    const d = queue[qi];
    dirs.push(d);
    const kids = visible(d.node).filter(c => c.kind !== 'symlink' || o.rockRidge);
    // ISO names
    const isoNames = assignIsoNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
    const isoRecs: Rec[] = kids.map((k, i) => ({ node: k, id: Buffer.from(isoNames[i], 'latin1') }));
    isoRecs.sort((a, b) => compareIsoIds(a.id, b.id));
    if (o.rockRidge) {
      const dotExtra = d === rootPlan ? [encodeSP()] : [];
      const dotEntries = rrEntries(d.node, nlinkOf(d.node), dotExtra, false);
      if (d === rootPlan) dotEntries.push(encodeER());
      d.iso.dot = noteSu(splitSu(dotEntries, MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1));
      const parentNode = d.parent ? d.parent.node : d.node;
      d.iso.dotdot = noteSu(
        splitSu(
          rrEntries(parentNode, nlinkOf(parentNode), [], false),
          MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1
        )
      );
      for (const r of isoRecs) {
        const room = MAX_DIR_RECORD - DIR_RECORD_FIXED - idFieldLength(r.id.length);
        r.su = noteSu(splitSu(rrEntries(r.node, nlinkOf(r.node)), room - (room % 2)));
      }
    }
    d.iso.recs = isoRecs;
    // Joliet names
    if (o.joliet) {
      const jkids = kids.filter(k => k.kind !== 'symlink');
      const jn = assignJolietNames(jkids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
      const jrecs: Rec[] = jkids.map((k, i) => ({ node: k, id: encodeUtf16BE(jn[i]) }));
      jrecs.sort((a, b) => Buffer.compare(a.id, b.id));
      d.jol.recs = jrecs;
    }
    // children directories in record order → queue (path table order: parent, then name)
    for (const r of isoRecs) {
      if (r.node.kind === 'dir') {
        const jrec = d.jol.recs.find(j => j.node === r.node);
        queue.push(mkDir(r.node, d, r.id, jrec ? jrec.id : Buffer.alloc(0)));
      }
    }
  }

  // sizes of directory extents (records never cross a sector boundary, ECMA-119 6.8.1.1)
  const extentsOf = (n: TreeNode) => (n.kind === 'file' ? Math.max(1, Math.ceil(n.size / MAX_EXTENT)) : 1);
  const packSize = (lengths: number[]) => {
    const offs = packOffsets(lengths);
    const end = offs.length ? offs[offs.length - 1] + lengths[lengths.length - 1] : 0;
    return blocksFor(Math.max(end, 1)) * SECTOR;
  };
  const isoLens = (d: DirPlan): number[] => {
    const lens = [recordLength(1, suBytes(d.iso.dot)), recordLength(1, suBytes(d.iso.dotdot))];
    for (const r of d.iso.recs) {
      const len = recordLength(r.id.length, suBytes(r.su));
      for (let i = 0; i < extentsOf(r.node); i++) lens.push(len + (len % 2));
    }
    return lens.map(l => l + (l % 2));
  };
  const jolLens = (d: DirPlan): number[] => {
    const lens = [recordLength(1, 0), recordLength(1, 0)];
    for (const r of d.jol.recs) {
      const len = recordLength(r.id.length, 0);
      for (let i = 0; i < extentsOf(r.node); i++) lens.push(len + (len % 2));
    }
    return lens.map(l => l + (l % 2));
  };
  for (const d of dirs) {
    d.iso.size = packSize(isoLens(d));
    if (o.joliet) d.jol.size = packSize(jolLens(d));
  }

  // continuation areas packed into CE blocks, never crossing a block
  let ceBlocks = 0;
  {
    let off = 0;
    for (const areas of ceAreas) {
      for (const a of areas) {
        if (off + a.bytes > SECTOR) {
          ceBlocks++;
          off = 0;
        }
        a.block = ceBlocks;
        a.offset = off;
        off += a.bytes;
      }
    }
    if (off > 0 || ceAreas.length) ceBlocks++;
  }

  // path tables
  const ptEntriesIso = (bias: number): PathTableEntry[] =>
    dirs.map(d => ({ id: d.iso.id, extent: d.iso.lba - bias, parent: d.parent ? d.parent.iso.num : 1 }));
  dirs.forEach((d, i) => (d.iso.num = i + 1));
  const jdirs = o.joliet ? dirs : [];
  jdirs.forEach((d, i) => (d.jol.num = i + 1));
  const ptEntriesJol = (bias: number): PathTableEntry[] =>
    jdirs.map(d => ({ id: d.jol.id, extent: d.jol.lba - bias, parent: d.parent ? d.parent.jol.num : 1 }));
  const ptSizeIso = dirs.reduce((n, d) => n + pathTableRecordLength(d.iso.id.length), 0);
  const ptSizeJol = jdirs.reduce((n, d) => n + pathTableRecordLength(d.jol.id.length), 0);

  // ---- block addresses ------------------------------------------------------------------------
  const pieces: Piece[] = [];
  const extVdCount = o.extensions.reduce((n, e) => n + (e.volumeDescriptorCount ?? 0), 0);
  const vdBlocks = 1 + extVdCount + (o.joliet ? 1 : 0) + 1;
  const partitionOffset = Math.max(0, ...o.extensions.map(e => e.partitionOffset ?? 0));
  let cursor = SYSTEM_AREA_BLOCKS + vdBlocks;
  if (partitionOffset > 0 && partitionOffset < vdBlocks) {
    throw new RangeError(
      `partition offset ${partitionOffset} leaves no room for ${vdBlocks} volume descriptors`
    );
  }

  interface TreeSet {
    vdLba: number;
    ptIsoL: number;
    ptIsoM: number;
    ptJolL: number;
    ptJolM: number;
    isoDirLba: Map<DirPlan, number>;
    jolDirLba: Map<DirPlan, number>;
    ceLba: number;
  }
  const reserveTree = (vdLba: number): TreeSet => {
    const ts: TreeSet = {
      vdLba,
      ptIsoL: 0,
      ptIsoM: 0,
      ptJolL: 0,
      ptJolM: 0,
      isoDirLba: new Map(),
      jolDirLba: new Map(),
      ceLba: 0
    };
    ts.ptIsoL = cursor;
    cursor += blocksFor(ptSizeIso);
    ts.ptIsoM = cursor;
    cursor += blocksFor(ptSizeIso);
    if (o.joliet) {
      ts.ptJolL = cursor;
      cursor += blocksFor(ptSizeJol);
      ts.ptJolM = cursor;
      cursor += blocksFor(ptSizeJol);
    }
    for (const d of dirs) {
      ts.isoDirLba.set(d, cursor);
      cursor += d.iso.size / SECTOR;
    }
    ts.ceLba = cursor;
    cursor += ceBlocks;
    if (o.joliet) {
      for (const d of dirs) {
        ts.jolDirLba.set(d, cursor);
        cursor += d.jol.size / SECTOR;
      }
    }
    return ts;
  };
  if (partitionOffset > 0) cursor = Math.max(cursor, SYSTEM_AREA_BLOCKS + partitionOffset + vdBlocks);
  const main = reserveTree(SYSTEM_AREA_BLOCKS);
  // the copy for the partition offset: its descriptors at partitionOffset + 16, its tree after ours
  const second = partitionOffset > 0 ? reserveTree(SYSTEM_AREA_BLOCKS + partitionOffset) : undefined;

  // file data: ordered files first, then tree order; hard links share the first member's blocks
  const dataFiles: FileNode[] = [];
  const ordered: FileNode[] = [];
  const rest: FileNode[] = [];
  const visitFiles = (n: TreeNode) => {
    if (n.kind === 'dir') n.children.forEach(visitFiles);
    else if (n.kind === 'file') (o.order.has(n) ? ordered : rest).push(n);
  };
  visitFiles(root);
  ordered.sort((a, b) => o.order.get(a)! - o.order.get(b)!);
  const owners = new Map<FileGroup, FileNode>();
  for (const f of [...ordered, ...rest]) {
    const owner = f.linkGroup ? owners.get(f.linkGroup) : undefined;
    if (owner) continue;
    if (f.linkGroup) owners.set(f.linkGroup, f);
    if (f.size === 0) {
      f.lba = 0;
      continue;
    }
    f.lba = cursor;
    cursor += blocksFor(f.size);
    dataFiles.push(f);
  }
  for (const f of [...ordered, ...rest]) if (f.linkGroup) f.lba = owners.get(f.linkGroup)!.lba;

  const volumeBlocks = cursor;
  const regions = new Map<string, { lba: number; blocks: number }>();
  const regionPieces: Piece[] = [];
  for (const ext of o.extensions) {
    for (const r of ext.appendedRegions?.() ?? []) {
      const blocks = blocksFor(r.bytes);
      regions.set(r.name, { lba: cursor, blocks });
      regionPieces.push({ kind: 'region', lba: cursor, blocks, region: r, bytes: r.bytes });
      cursor += blocks;
    }
  }
  let imageSize = cursor * SECTOR;
  const tails: Piece[] = [];
  for (const ext of o.extensions) {
    const t = ext.tail?.(imageSize);
    if (t && t.bytes > 0) {
      tails.push({ kind: 'tail', offset: imageSize, bytes: t.bytes, produce: () => t.produce(view) });
      imageSize += t.bytes;
    }
  }

  // ---- encoders (run at write time) --------------------------------------------------------
  const fileById = new Map<string, FileNode>();
  walk(root, n => {
    if (n.kind === 'file') fileById.set(n.path, n);
  });
  const view: LayoutView = {
    volumeBlocks,
    imageSize,
    pvdLba: SYSTEM_AREA_BLOCKS,
    region(name: string) {
      const r = regions.get(name);
      if (!r) throw new RangeError(`no region ${name}`);
      return r;
    },
    file: (p: string) => fileById.get(p)
  };

  const encodeSu = (su: SuPlan | undefined, ts: TreeSet, bias: number): Buffer => {
    if (!su) return Buffer.alloc(0);
    const parts = [...su.inRecord];
    if (su.areas.length) {
      const a = su.areas[0];
      parts.push(encodeCE(ts.ceLba + a.block - bias, a.offset, a.bytes));
    }
    return Buffer.concat(parts);
  };

  /** One directory extent of either namespace: ".", "..", then the records in order. */
  const encodeDir = (d: DirPlan, ns: 'iso' | 'jol', ts: TreeSet, bias: number): Buffer => {
    const lbas = ns === 'iso' ? ts.isoDirLba : ts.jolDirLba;
    const su = (x: SuPlan | undefined) => (ns === 'iso' ? encodeSu(x, ts, bias) : Buffer.alloc(0));
    const parent = d.parent ?? d;
    const self = (node: DirPlan, id: number, area: SuPlan | undefined) =>
      encodeDirRecord({
        extent: lbas.get(node)! - bias,
        size: node[ns].size,
        date: node.node.mtime,
        flags: FLAG_DIRECTORY,
        fileId: Buffer.from([id]),
        systemUse: su(area)
      });
    const records = [self(d, 0, d.iso.dot), self(parent, 1, d.iso.dotdot)];
    for (const r of d[ns].recs) records.push(...recordsFor(r.node, r.id, su(r.su), ns, ts, bias));
    const out = Buffer.alloc(d[ns].size);
    packOffsets(records.map(r => r.length)).forEach((off, i) => records[i].copy(out, off));
    return out;
  };
  const recordsFor = (
    n: TreeNode,
    id: Buffer,
    su: Buffer,
    ns: 'iso' | 'jol',
    ts: TreeSet,
    bias: number
  ): Buffer[] => {
    if (n.kind === 'dir') {
      const dp = byNode.get(n)!;
      const lba = (ns === 'iso' ? ts.isoDirLba : ts.jolDirLba).get(dp)! - bias;
      return [
        encodeDirRecord({
          extent: lba,
          size: dp[ns].size,
          date: n.mtime,
          flags: FLAG_DIRECTORY,
          fileId: id,
          systemUse: su
        })
      ];
    }
    if (n.kind === 'symlink')
      return [encodeDirRecord({ extent: 0, size: 0, date: n.mtime, flags: 0, fileId: id, systemUse: su })];
    const recs: Buffer[] = [];
    const count = Math.max(1, Math.ceil(n.size / MAX_EXTENT));
    for (let i = 0; i < count; i++) {
      const last = i === count - 1;
      const size = last ? n.size - MAX_EXTENT * (count - 1) : MAX_EXTENT;
      const lba = n.size === 0 ? 0 : n.lba + i * (MAX_EXTENT / SECTOR) - bias;
      recs.push(
        encodeDirRecord({
          extent: lba,
          size,
          date: n.mtime,
          flags: last ? 0 : FLAG_MULTI_EXTENT,
          fileId: id,
          systemUse: su
        })
      );
    }
    return recs;
  };

  const encodeCePool = (ts: TreeSet, bias: number): Buffer => {
    const out = Buffer.alloc(ceBlocks * SECTOR);
    for (const areas of ceAreas) {
      areas.forEach((a, i) => {
        let off = a.block * SECTOR + a.offset;
        for (const e of a.entries) {
          e.copy(out, off);
          off += e.length;
        }
        const next = areas[i + 1];
        if (next) encodeCE(ts.ceLba + next.block - bias, next.offset, next.bytes).copy(out, off);
      });
    }
    return out;
  };

  const rootRecord = (ts: TreeSet, joliet: boolean, bias: number): Buffer => {
    const lba = (joliet ? ts.jolDirLba : ts.isoDirLba).get(rootPlan)! - bias;
    const size = joliet ? rootPlan.jol.size : rootPlan.iso.size;
    return encodeDirRecord({
      extent: lba,
      size,
      date: root.mtime,
      flags: FLAG_DIRECTORY,
      fileId: Buffer.from([0]),
      systemUse: Buffer.alloc(0)
    });
  };

  const vdSet = (ts: TreeSet, bias: number): Buffer => {
    const common = {
      systemId: '',
      volumeSpaceSize: volumeBlocks - bias,
      volumeSetId: '',
      publisherId: '',
      preparerId: '',
      applicationId: o.applicationId,
      created: o.epoch
    };
    const vds: Buffer[] = [
      encodeVolumeDescriptor({
        ...common,
        type: VD_TYPE_PRIMARY,
        joliet: false,
        volumeId: o.volumeId,
        pathTableSize: ptSizeIso,
        lPathTable: ts.ptIsoL - bias,
        mPathTable: ts.ptIsoM - bias,
        rootRecord: rootRecord(ts, false, bias)
      })
    ];
    for (const e of o.extensions) {
      if (e.volumeDescriptorCount) {
        const got = e.encodeVolumeDescriptors?.(view) ?? [];
        if (got.length !== e.volumeDescriptorCount)
          throw new RangeError(`${e.name}: ${got.length} volume descriptors`);
        vds.push(...got);
      }
    }
    if (o.joliet) {
      vds.push(
        encodeVolumeDescriptor({
          ...common,
          type: VD_TYPE_SUPPLEMENTARY,
          joliet: true,
          volumeId: o.volumeId.slice(0, 16),
          pathTableSize: ptSizeJol,
          lPathTable: ts.ptJolL - bias,
          mPathTable: ts.ptJolM - bias,
          rootRecord: rootRecord(ts, true, bias)
        })
      );
    }
    vds.push(encodeTerminator());
    return Buffer.concat(vds);
  };

  const treePieces = (ts: TreeSet, bias: number) => {
    pieces.push({ kind: 'meta', lba: ts.vdLba, blocks: vdBlocks, produce: () => vdSet(ts, bias) });
    const pt = (entries: () => PathTableEntry[], be: boolean, lba: number, size: number) =>
      pieces.push({
        kind: 'meta',
        lba,
        blocks: blocksFor(size),
        produce: () => encodePathTable(entries(), be)
      });
    const setLbas = () => {
      for (const d of dirs) {
        d.iso.lba = ts.isoDirLba.get(d)!;
        d.jol.lba = ts.jolDirLba.get(d) ?? 0;
      }
    };
    pt(() => (setLbas(), ptEntriesIso(bias)), false, ts.ptIsoL, ptSizeIso);
    pt(() => (setLbas(), ptEntriesIso(bias)), true, ts.ptIsoM, ptSizeIso);
    if (o.joliet) {
      pt(() => (setLbas(), ptEntriesJol(bias)), false, ts.ptJolL, ptSizeJol);
      pt(() => (setLbas(), ptEntriesJol(bias)), true, ts.ptJolM, ptSizeJol);
    }
    for (const d of dirs)
      pieces.push({
        kind: 'meta',
        lba: ts.isoDirLba.get(d)!,
        blocks: d.iso.size / SECTOR,
        produce: () => encodeDir(d, 'iso', ts, bias)
      });
    if (ceBlocks)
      pieces.push({ kind: 'meta', lba: ts.ceLba, blocks: ceBlocks, produce: () => encodeCePool(ts, bias) });
    if (o.joliet)
      for (const d of dirs)
        pieces.push({
          kind: 'meta',
          lba: ts.jolDirLba.get(d)!,
          blocks: d.jol.size / SECTOR,
          produce: () => encodeDir(d, 'jol', ts, bias)
        });
  };
  treePieces(main, 0);
  if (second) treePieces(second, partitionOffset);
  for (const d of dirs) {
    d.iso.lba = main.isoDirLba.get(d)!;
    d.jol.lba = main.jolDirLba.get(d) ?? 0;
  }
  for (const f of dataFiles) pieces.push({ kind: 'file', lba: f.lba, file: f });
  pieces.push(...regionPieces);
  pieces.sort((a, b) => (a.kind === 'tail' ? Infinity : a.lba) - (b.kind === 'tail' ? Infinity : b.lba));
  pieces.push(...tails);

  return {
    ...view,
    region: view.region,
    file: view.file,
    pieces,
    dataFiles,
    dirs,
    extensions: o.extensions,
    systemArea(): Buffer {
      const area = Buffer.alloc(SYSTEM_AREA_BLOCKS * SECTOR);
      for (const e of o.extensions) e.systemArea?.(view, area);
      return area;
    }
  };
}
