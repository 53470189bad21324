/**
 * plan: names, record sizes and block addresses for every structure of the image, before a byte
 * is written. The result is an ordered list of pieces that the writer emits front to back.
 */
import { SECTOR, blocksFor, encodeUtf16BE, writeUtf16BE } from './bytes.js';
import {
  DIR_RECORD_FIXED,
  FLAG_DIRECTORY,
  FLAG_MULTI_EXTENT,
  MAX_DIR_RECORD,
  encodeDirRecord,
  idFieldLength,
  recordLength,
  writeDirRecordHead
} from './dirrec.js';
import type { AppendedRegion, ImageExtension } from './extension.js';
import type { Logger } from '../log.js';
import { JOLIET_MAX, assignIsoNames, assignJolietNames, compareIsoIdText, jolietCuts } from './names.js';
import { encodePathTable, pathTableOrder, pathTableRecordLength, type PathTableEntry } from './pathtable.js';
import { Packer, rrEntries, rrLength, splitSu, suBytes, writeRr, type SuPlan } from './records.js';
import { encodeCE, encodeER, encodeSP } from './rockridge.js';
import {
  fileAt,
  walk,
  type DirNode,
  type FileGroup,
  type FileNode,
  type LayoutView,
  type TreeNode
} from './tree.js';
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
  /** told of names the Joliet tree cuts */
  log?: Logger;
}

/**
 * One namespace's extent of a directory. Its records are not kept from plan to write (a tree of
 * 200,000 files would hold names, records and Rock Ridge entries for each): when the writer asks
 * for the extent, they are made again from the tree the way the plan made them to size it. Only
 * Rock Ridge entries that are more than PX, TF and one NM, or do not fit a record, are kept.
 */
interface Extent {
  /** the directory's own identifier in its parent (ISO 9660 one character a byte, Joliet UTF-16) */
  id: string;
  size: number;
  lba: number;
  num: number;
}

/** A directory's records in one namespace, in order: the children and their identifiers. */
interface Records {
  nodes: TreeNode[];
  ids: string[];
}

interface DirPlan {
  node: DirNode;
  parent: DirPlan | undefined;
  /** place in `dirs` (breadth-first) */
  index: number;
  /** "." and ".." keep their Rock Ridge entries only when they are not PX and TF alone */
  iso: Extent & { dot?: SuPlan; dotdot?: SuPlan };
  jol: Extent;
}

const evenRecord = (idLen: number, suLen: number) => {
  const len = recordLength(idLen, suLen);
  return len + (len % 2);
};
/** Room for system use in the "." and ".." records. */
const DOT_ROOM = MAX_DIR_RECORD - DIR_RECORD_FIXED - 1 - 1;

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
  // a directory's link count is asked once per child (their ".."): count its subdirectories once
  const dirLinks = new Map<DirNode, number>();
  const groupLinks = new Map<FileGroup, number>();
  const nlinkOf = (n: TreeNode): number => {
    if (n.kind === 'dir') {
      let k = dirLinks.get(n);
      if (k === undefined) {
        k = 2;
        for (const c of n.children) if (c.kind === 'dir' && !c.hidden) k++;
        dirLinks.set(n, k);
      }
      return k;
    }
    if (n.kind === 'file' && n.linkGroup) {
      // likewise once per hard-link group, not once per member
      let k = groupLinks.get(n.linkGroup);
      if (k === undefined) {
        k = n.linkGroup.members.filter(m => !m.hidden).length;
        groupLinks.set(n.linkGroup, k);
      }
      return k;
    }
    return 1;
  };

  // ---- directories, names and record sizes --------------------------------------------------
  const dirs: DirPlan[] = [];
  const byNode = new Map<DirNode, DirPlan>();
  const mkDir = (node: DirNode, parent: DirPlan | undefined, isoId: string, jolId: string): DirPlan => {
    const d: DirPlan = {
      node,
      parent,
      index: 0,
      iso: { id: isoId, size: 0, lba: 0, num: 0 },
      jol: { id: jolId, size: 0, lba: 0, num: 0 }
    };
    byNode.set(node, d);
    return d;
  };
  const rootPlan = mkDir(root, undefined, '', '');
  /** a directory's identifier in the path tables (the root's is one 0x00 byte in both) */
  const ptId = (d: DirPlan, ns: 'iso' | 'jol'): Buffer => {
    if (d === rootPlan) return Buffer.from([0]);
    return ns === 'iso' ? Buffer.from(d.iso.id, 'latin1') : encodeUtf16BE(d.jol.id);
  };
  const ptIdLength = (d: DirPlan, ns: 'iso' | 'jol'): number =>
    d === rootPlan ? 1 : ns === 'iso' ? d.iso.id.length : 2 * d.jol.id.length;

  /** indices of `ids` in the order of `cmp` (stable) */
  const orderOf = (ids: string[], cmp: (a: string, b: string) => number) =>
    ids.map((_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));
  const select = (kids: TreeNode[], names: string[], order: number[]): Records => ({
    nodes: order.map(i => kids[i]),
    ids: order.map(i => names[i])
  });
  /** UTF-16 code unit order: the order of the UTF-16BE bytes */
  const compareUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  /** ISO 9660 records in ECMA-119 9.3 order */
  const isoRecords = (d: DirNode): Records => {
    const kids = visible(d).filter(c => c.kind !== 'symlink' || o.rockRidge);
    const names = assignIsoNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
    return select(kids, names, orderOf(names, compareIsoIdText));
  };
  /** Joliet records in the order of their UTF-16 code units (big-endian bytes) */
  const jolRecords = (d: DirNode): Records => {
    const kids = visible(d).filter(c => c.kind !== 'symlink');
    const names = assignJolietNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
    return select(kids, names, orderOf(names, compareUnits));
  };

  const ceAreas: SuPlan['areas'][] = [];
  const noteSu = (su: SuPlan) => {
    if (su.areas.length) ceAreas.push(su.areas);
    return su;
  };
  /**
   * Rock Ridge entries of a record: undefined when they are PX, TF and at most one NM and fit
   * (nearly every record: the writer makes them again from the node), else split and kept.
   */
  const keep = (entries: () => Buffer[], simple: number | undefined, room: number): SuPlan | undefined =>
    simple !== undefined && simple <= room ? undefined : noteSu(splitSu(entries(), room));
  /** the kept entries of the ISO 9660 records of files, directories and links */
  const keptSu = new Map<TreeNode, SuPlan>();
  const nameBytes = (n: TreeNode) => Buffer.byteLength(n.name, 'utf8');
  /** system use bytes of "." or ".." */
  const dotSuLength = (node: DirNode, kept: SuPlan | undefined) =>
    !o.rockRidge ? 0 : kept ? suBytes(kept) : rrLength(node, 0, false)!;
  /** system use bytes of a child's ISO 9660 record */
  const suLengthOf = (n: TreeNode): number => {
    if (!o.rockRidge) return 0;
    const kept = keptSu.get(n);
    return kept ? suBytes(kept) : rrLength(n, nameBytes(n))!;
  };
  const extentsOf = (n: TreeNode) => (n.kind === 'file' ? Math.max(1, Math.ceil(n.size / MAX_EXTENT)) : 1);

  /** each directory's subdirectories in Joliet record order, for the Joliet path table */
  const jolSubdirs = new Map<DirPlan, DirNode[]>();
  // breadth-first so that the ISO 9660 path-table numbers follow ECMA-119 6.9.1 ordering
  const queue: DirPlan[] = [rootPlan];
  for (let qi = 0; qi < queue.length; qi++) {
    const d = queue[qi];
    d.index = dirs.length;
    dirs.push(d);
    const iso = isoRecords(d.node);
    if (o.rockRidge) {
      d.iso.dot =
        d === rootPlan
          ? noteSu(
              splitSu([encodeSP(), ...rrEntries(d.node, nlinkOf(d.node), [], false), encodeER()], DOT_ROOM)
            )
          : keep(() => rrEntries(d.node, nlinkOf(d.node), [], false), rrLength(d.node, 0, false), DOT_ROOM);
      const parentNode = d.parent ? d.parent.node : d.node;
      d.iso.dotdot = keep(
        () => rrEntries(parentNode, nlinkOf(parentNode), [], false),
        rrLength(parentNode, 0, false),
        DOT_ROOM
      );
      iso.nodes.forEach((n, i) => {
        const room = MAX_DIR_RECORD - DIR_RECORD_FIXED - idFieldLength(iso.ids[i].length);
        const su = keep(() => rrEntries(n, nlinkOf(n)), rrLength(n, nameBytes(n)), room - (room % 2));
        if (su) keptSu.set(n, su);
      });
    }
    // the extents' sizes (records never cross a sector boundary, ECMA-119 6.8.1.1)
    const isoPacker = new Packer();
    isoPacker.place(evenRecord(1, dotSuLength(d.node, d.iso.dot)));
    isoPacker.place(evenRecord(1, dotSuLength(d.parent ? d.parent.node : d.node, d.iso.dotdot)));
    iso.nodes.forEach((n, i) => {
      const len = evenRecord(iso.ids[i].length, suLengthOf(n));
      for (let k = extentsOf(n); k > 0; k--) isoPacker.place(len);
    });
    d.iso.size = isoPacker.size();
    const jolIds = new Map<TreeNode, string>();
    if (o.joliet) {
      const jol = jolRecords(d.node);
      jol.nodes.forEach((n, i) => {
        if (!jolietCuts(n.name)) return;
        const full = o.rockRidge ? 'Rock Ridge keeps the full name' : 'with rock-ridge off no tree keeps it';
        o.log?.warn(
          `${n.path}: the name has ${n.name.length} UTF-16 units, more than Joliet's ${JOLIET_MAX}; ` +
            `Joliet readers (Windows, 7-Zip) see "${jol.ids[i]}" (${full})`,
          n.path
        );
      });
      const jolPacker = new Packer();
      jolPacker.place(evenRecord(1, 0));
      jolPacker.place(evenRecord(1, 0));
      jol.nodes.forEach((n, i) => {
        const len = evenRecord(2 * jol.ids[i].length, 0);
        for (let k = extentsOf(n); k > 0; k--) jolPacker.place(len);
        if (n.kind === 'dir') jolIds.set(n, jol.ids[i]);
      });
      d.jol.size = jolPacker.size();
      jolSubdirs.set(
        d,
        jol.nodes.filter((n): n is DirNode => n.kind === 'dir')
      );
    }
    // children directories in record order → queue (path table order: parent, then name)
    iso.nodes.forEach((n, i) => {
      if (n.kind === 'dir') queue.push(mkDir(n, d, iso.ids[i], jolIds.get(n) ?? ''));
    });
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
    dirs.map(d => ({
      id: ptId(d, 'iso'),
      extent: d.iso.lba - bias,
      parent: d.parent ? d.parent.iso.num : 1
    }));
  dirs.forEach((d, i) => (d.iso.num = i + 1));
  // the Joliet table has its own order (of Joliet identifiers) and so its own directory numbers
  const jdirs = o.joliet
    ? pathTableOrder(rootPlan, d => (jolSubdirs.get(d) ?? []).map(n => byNode.get(n)!))
    : [];
  jdirs.forEach((d, i) => (d.jol.num = i + 1));
  const ptEntriesJol = (bias: number): PathTableEntry[] =>
    jdirs.map(d => ({
      id: ptId(d, 'jol'),
      extent: d.jol.lba - bias,
      parent: d.parent ? d.parent.jol.num : 1
    }));
  const ptSizeIso = dirs.reduce((n, d) => n + pathTableRecordLength(ptIdLength(d, 'iso')), 0);
  const ptSizeJol = jdirs.reduce((n, d) => n + pathTableRecordLength(ptIdLength(d, 'jol')), 0);

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
    /** extents of the directories, by DirPlan.index */
    isoDirLba: number[];
    jolDirLba: number[];
    ceLba: number;
  }
  const reserveTree = (vdLba: number): TreeSet => {
    const ts: TreeSet = {
      vdLba,
      ptIsoL: 0,
      ptIsoM: 0,
      ptJolL: 0,
      ptJolM: 0,
      isoDirLba: [],
      jolDirLba: [],
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
      ts.isoDirLba[d.index] = cursor;
      cursor += d.iso.size / SECTOR;
    }
    ts.ceLba = cursor;
    cursor += ceBlocks;
    if (o.joliet) {
      for (const d of dirs) {
        ts.jolDirLba[d.index] = cursor;
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
  for (const list of [ordered, rest]) {
    for (const f of list) {
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
  }
  for (const list of [ordered, rest])
    for (const f of list) if (f.linkGroup) f.lba = owners.get(f.linkGroup)!.lba;

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
  const view: LayoutView = {
    volumeBlocks,
    imageSize,
    pvdLba: SYSTEM_AREA_BLOCKS,
    region(name: string) {
      const r = regions.get(name);
      if (!r) throw new RangeError(`no region ${name}`);
      return r;
    },
    file: (p: string) => fileAt(root, p)
  };

  /** A record's system use area at `at`: its kept Rock Ridge entries and CE, or PX, TF (and NM) made anew. */
  const writeSu = (
    out: Buffer,
    at: number,
    node: TreeNode,
    kept: SuPlan | undefined,
    withName: boolean,
    ts: TreeSet,
    bias: number
  ): void => {
    if (!kept) {
      writeRr(out, at, node, nlinkOf(node), withName ? nameBytes(node) : 0, withName);
      return;
    }
    for (const e of kept.inRecord) {
      e.copy(out, at);
      at += e.length;
    }
    if (kept.areas.length) {
      const a = kept.areas[0];
      encodeCE(ts.ceLba + a.block - bias, a.offset, a.bytes).copy(out, at);
    }
  };

  /** One directory extent of either namespace: ".", "..", then the records in order. */
  const encodeDir = (d: DirPlan, ns: 'iso' | 'jol', ts: TreeSet, bias: number): Buffer => {
    const lbas = ns === 'iso' ? ts.isoDirLba : ts.jolDirLba;
    const rr = ns === 'iso' && o.rockRidge;
    const recs = ns === 'iso' ? isoRecords(d.node) : jolRecords(d.node);
    const out = Buffer.alloc(d[ns].size);
    const packer = new Packer();
    const self = (node: DirPlan, id: number, kept: SuPlan | undefined) => {
      const suLen = rr ? dotSuLength(node.node, kept) : 0;
      const at = packer.place(evenRecord(1, suLen));
      const extent = lbas[node.index] - bias;
      const { size } = node[ns];
      const su = writeDirRecordHead(out, at, extent, size, node.node.mtime, FLAG_DIRECTORY, 1, suLen);
      out[at + DIR_RECORD_FIXED] = id;
      if (rr) writeSu(out, su, node.node, kept, false, ts, bias);
    };
    self(d, 0, d.iso.dot);
    self(d.parent ?? d, 1, d.iso.dotdot);
    for (let i = 0; i < recs.nodes.length; i++) {
      const n = recs.nodes[i];
      const id = recs.ids[i];
      const idLen = ns === 'iso' ? id.length : 2 * id.length;
      const kept = rr ? keptSu.get(n) : undefined;
      const suLen = rr ? suLengthOf(n) : 0;
      const len = evenRecord(idLen, suLen);
      const put = (extent: number, size: number, flags: number) => {
        const at = packer.place(len);
        const su = writeDirRecordHead(out, at, extent, size, n.mtime, flags, idLen, suLen);
        if (ns === 'iso') out.write(id, at + DIR_RECORD_FIXED, 'latin1');
        else writeUtf16BE(out, at + DIR_RECORD_FIXED, id);
        if (rr) writeSu(out, su, n, kept, true, ts, bias);
      };
      if (n.kind === 'dir') {
        const dp = byNode.get(n)!;
        put(lbas[dp.index] - bias, dp[ns].size, FLAG_DIRECTORY);
      } else if (n.kind === 'symlink') put(0, 0, 0);
      else {
        const count = extentsOf(n);
        for (let k = 0; k < count; k++) {
          const last = k === count - 1;
          const size = last ? n.size - MAX_EXTENT * (count - 1) : MAX_EXTENT;
          const lba = n.size === 0 ? 0 : n.lba + k * (MAX_EXTENT / SECTOR) - bias;
          put(lba, size, last ? 0 : FLAG_MULTI_EXTENT);
        }
      }
    }
    return out;
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
    const lba = (joliet ? ts.jolDirLba : ts.isoDirLba)[rootPlan.index] - bias;
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
        d.iso.lba = ts.isoDirLba[d.index];
        d.jol.lba = ts.jolDirLba[d.index] ?? 0;
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
        lba: ts.isoDirLba[d.index],
        blocks: d.iso.size / SECTOR,
        produce: () => encodeDir(d, 'iso', ts, bias)
      });
    if (ceBlocks)
      pieces.push({ kind: 'meta', lba: ts.ceLba, blocks: ceBlocks, produce: () => encodeCePool(ts, bias) });
    if (o.joliet)
      for (const d of dirs)
        pieces.push({
          kind: 'meta',
          lba: ts.jolDirLba[d.index],
          blocks: d.jol.size / SECTOR,
          produce: () => encodeDir(d, 'jol', ts, bias)
        });
  };
  treePieces(main, 0);
  if (second) treePieces(second, partitionOffset);
  for (const d of dirs) {
    d.iso.lba = main.isoDirLba[d.index];
    d.jol.lba = main.jolDirLba[d.index] ?? 0;
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
