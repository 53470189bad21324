/**
 * Walk one directory hierarchy (ISO 9660 with or without Rock Ridge, or Joliet) with the shared
 * codecs of src/image. Hostile input is bounded: each directory is read once (a second visit is a
 * loop), depth, entry count, name length, extents per file, CE hops and SUSP bytes are capped.
 * Synchronous, as the folder scan is: a walk is thousands of small reads and records, where the
 * promise API's overhead was a third of its time; nothing else runs on this thread meanwhile.
 */
import { SECTOR } from '../image/bytes.js';
import {
  FLAG_DIRECTORY,
  FLAG_MULTI_EXTENT,
  MIN_DIR_RECORD,
  RecordError,
  parseDirRecord,
  type DirRecord
} from '../image/dirrec.js';
import {
  decodeCE,
  decodeCL,
  decodeNM,
  decodePX,
  decodeSLComponents,
  decodeTF,
  parseSusp,
  slTarget,
  spSkip,
  type SuspEntry
} from '../image/rockridge.js';
import { S_IFDIR, S_IFLNK, S_IFMT } from '../image/tree.js';
import { quoted } from '../text.js';
import { isoName, jolietName } from './names.js';
import type { ImageSource } from './source.js';

export const LIMITS = {
  /** directory records (all trees together) */
  entries: 500_000,
  depth: 255,
  /** one directory's extent */
  dirBytes: 16 * 1024 * 1024,
  /** bytes of one name (NM pieces joined) or symlink target */
  name: 4096,
  /** extents of one multi-extent file */
  extents: 4096,
  /** CE continuation areas followed for one record */
  ceHops: 32,
  /** SUSP bytes of one record including its continuation areas */
  suspBytes: 64 * 1024
} as const;

export interface Extent {
  lba: number;
  size: number;
}

export interface ReadNode {
  name: string;
  /** POSIX path below the root, no leading slash ('' for the root) */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  /** file bytes (sum of extents) */
  size: number;
  extents: Extent[];
  /** Rock Ridge PX mode (type and permission bits) when present */
  mode?: number;
  /** Rock Ridge PX link count and file serial number (RRIP 4.1.1) when PX counts more than one link */
  links?: { count: number; serial?: number };
  target?: string;
  mtime: number;
  children: ReadNode[];
}

/** The children of every file and link: one empty array, frozen (a push is a bug, and throws). */
const NO_CHILDREN: ReadNode[] = [];
Object.freeze(NO_CHILDREN);

export type Namespace = 'iso9660' | 'rockridge' | 'joliet';

export interface TreeResult {
  root: ReadNode;
  namespace: Namespace;
  /** physical directory extents visited (block numbers), for the path table check */
  dirs: Map<number, string>;
  /** inconsistencies that do not stop reading */
  problems: string[];
  /**
   * When its files went to a FileSink: each file's first block and size (pushFileKey), two numbers a
   * file, and `root` holds its directories alone (a tree of many files is not held twice)
   */
  fileKeys?: number[];
  /** that sink */
  sink?: FileSink;
  /** the end of every file's data: the largest extent's block × 2048 + size, in bytes (0: none) */
  dataEnd: number;
}

/**
 * Takes each folder's files and links once the folder is read, when the tree does not keep them
 * (a second tree read for its keys, or a remaster that makes its own nodes as the walk goes):
 * nodes that are not kept die young instead of surviving the walk.
 */
export interface FileSink {
  add(dir: ReadNode, files: readonly ReadNode[]): void;
  /** the first file added whose data starts at block `lba` (the boot entries' files) */
  at(lba: number): { path: string; size: number } | undefined;
}

/** A sink that keeps nothing: the files' keys alone (TreeResult.fileKeys). */
export const KEYS_ONLY: FileSink = { add: () => undefined, at: () => undefined };

/**
 * The key a file with data is compared by across trees, its first block and its size, pushed onto
 * `keys` (numbers, not a text per file: a text would survive the young generation).
 */
export const pushFileKey = (keys: number[], n: ReadNode) => keys.push(n.extents[0].lba, n.size);

/** Shared by all trees of one image. */
export interface Budget {
  entries: number;
  /** bytes of directories and continuation areas read so far (overlapping extents are hostile) */
  bytes: number;
}

/** All directories and continuation areas together are never more than the image (plus slack). */
export function metadataLimit(imageSize: number): number {
  return imageSize + 16 * 1024 * 1024;
}

interface Pending {
  node: ReadNode;
  extent: number;
  size: number;
  depth: number;
}

export class TreeReader {
  private readonly dirs = new Map<number, string>();
  private readonly problems: string[] = [];
  private suspSkip = 0;
  private susp = false;

  constructor(
    private readonly src: ImageSource,
    private readonly budget: Budget,
    private readonly joliet: boolean,
    private readonly label: string,
    /** where the files go instead of the tree, by the tree's namespace (none: the tree keeps them) */
    private readonly sinkFor?: (namespace: Namespace) => FileSink | undefined
  ) {}
  private readonly fileKeys: number[] = [];
  private sink?: FileSink;
  private dataEnd = 0;

  read(rootRecord: Buffer, epoch: number): TreeResult {
    const parsed = this.parse(rootRecord, 0, rootRecord.length, 'root directory record');
    if (!parsed) throw this.src.fail(`${this.label}: empty root directory record`);
    const rec = parsed.record;
    if (!(rec.flags & FLAG_DIRECTORY))
      throw this.src.fail(`${this.label}: the root record is not a directory`);
    const root: ReadNode = {
      name: '',
      path: '',
      kind: 'dir',
      size: 0,
      extents: [],
      mtime: rec.date || epoch,
      children: []
    };
    // SUSP 5.3: the SP entry sits at the start of the root's "." record
    if (!this.joliet) {
      const first = this.src.readSync(
        rec.extent * SECTOR,
        Math.min(SECTOR, rec.size),
        `${this.label} root directory`
      );
      const dot = this.parse(first, 0, first.length, 'root "." record');
      const skip = dot ? spSkip(dot.record.systemUse) : undefined;
      if (dot && skip !== undefined) {
        this.susp = true;
        this.suspSkip = skip;
        const dotEntries = this.systemUse(dot.record, rec.extent, true);
        const px = dotEntries.find(e => e.sig === 'PX');
        const attrs = px && decodePX(px.data);
        if (attrs) root.mode = attrs.mode;
      }
    }
    const namespace: Namespace = this.joliet ? 'joliet' : this.susp ? 'rockridge' : 'iso9660';
    this.sink = this.sinkFor?.(namespace);
    const queue: Pending[] = [{ node: root, extent: rec.extent, size: rec.size, depth: 0 }];
    for (let i = 0; i < queue.length; i++) {
      const p = queue[i];
      this.readDir(p);
      this.drain(queue);
    }
    const keys = this.sink ? { fileKeys: this.fileKeys, sink: this.sink } : {};
    return { root, namespace, dirs: this.dirs, problems: this.problems, dataEnd: this.dataEnd, ...keys };
  }

  /** `what` names the record in an error: made only then (a text per record costs the walk's time). */
  private parse(
    buf: Buffer,
    off: number,
    end: number,
    what: string | (() => string)
  ): { record: DirRecord; length: number } | undefined {
    try {
      return parseDirRecord(buf, off, end);
    } catch (e) {
      if (e instanceof RecordError || e instanceof RangeError)
        throw this.src.fail(`${this.label} ${typeof what === 'string' ? what : what()}: ${e.message}`);
      throw e;
    }
  }

  private readDir(p: Pending): void {
    const where = `${this.label} directory ${quoted(`/${p.node.path}`)} at block ${p.extent}`;
    if (p.depth > LIMITS.depth) throw this.src.fail(`${where}: deeper than ${LIMITS.depth} levels`);
    if (this.dirs.has(p.extent)) {
      throw this.src.fail(
        `${where}: directory loop (block ${p.extent} is also ${quoted(`/${this.dirs.get(p.extent)}`)})`
      );
    }
    this.dirs.set(p.extent, p.node.path);
    if (p.size < 2 * MIN_DIR_RECORD || p.size > LIMITS.dirBytes)
      throw this.src.fail(`${where}: size ${p.size} is not sane`);
    this.charge(Math.ceil(p.size / SECTOR) * SECTOR, where);
    const buf = this.src.readSync(p.extent * SECTOR, Math.ceil(p.size / SECTOR) * SECTOR, where);
    const names = new Set<string>();
    /** this folder's files and links, when they go to the sink (once each file is whole) */
    const files: ReadNode[] = [];
    let prev: { record: DirRecord; node: ReadNode } | undefined;
    let index = 0;
    for (let sector = 0; sector < p.size; sector += SECTOR) {
      const end = Math.min(sector + SECTOR, p.size);
      let off = sector;
      for (;;) {
        const at = off;
        const parsed = this.parse(
          buf,
          off,
          end,
          () => `directory ${quoted(`/${p.node.path}`)} record at byte ${at}`
        );
        if (!parsed) break;
        off += parsed.length;
        const rec = parsed.record;
        if (++this.budget.entries > LIMITS.entries)
          throw this.src.fail(`more than ${LIMITS.entries} directory records`);
        if (index++ < 2) {
          const want = index === 1 ? 0 : 1;
          if (rec.fileId.length !== 1 || rec.fileId[0] !== want) {
            this.problems.push(`${where}: record ${index} is not "${want ? '..' : '.'}"`);
          } else if (want === 0 && rec.extent !== p.extent) {
            this.problems.push(`${where}: "." points to block ${rec.extent}`);
          }
          continue;
        }
        if (rec.fileId.length === 1 && rec.fileId[0] <= 1) {
          this.problems.push(`${where}: a second "." or ".." record`);
          continue;
        }
        // ECMA-119 9.1.6: a multi-extent file continues in the next record with the same identifier
        if (prev && prev.record.flags & FLAG_MULTI_EXTENT) {
          if (!prev.record.fileId.equals(rec.fileId))
            throw this.src.fail(
              `${where}: a multi-extent file ${quoted(prev.node.name)} has no continuation`
            );
          if (prev.node.extents.length >= LIMITS.extents)
            throw this.src.fail(
              `${where}: ${quoted(prev.node.name)} has more than ${LIMITS.extents} extents`
            );
          this.addExtent(prev.node, rec, where);
          prev = { record: rec, node: prev.node };
          continue;
        }
        const node = this.entry(rec, p, where);
        prev = undefined;
        if (!node) continue;
        if (names.has(node.name)) this.problems.push(`${where}: the name ${quoted(node.name)} appears twice`);
        names.add(node.name);
        if (this.sink && node.kind !== 'dir') files.push(node);
        else p.node.children.push(node);
        prev = { record: rec, node };
      }
    }
    if (prev && prev.record.flags & FLAG_MULTI_EXTENT)
      throw this.src.fail(
        `${where}: the multi-extent file ${quoted(prev.node.name)} ends without its last extent`
      );
    for (const f of files) if (f.kind === 'file' && f.size > 0) pushFileKey(this.fileKeys, f);
    if (files.length > 0) this.sink?.add(p.node, files);
  }

  private addExtent(node: ReadNode, rec: DirRecord, where: string): void {
    if (rec.size > 0 && !this.src.inside(rec.extent * SECTOR, rec.size)) {
      throw this.src.fail(
        `${where}: ${quoted(node.name)} has data at block ${rec.extent} (${rec.size} bytes) past the end of the image`
      );
    }
    const e = { lba: rec.extent, size: rec.size };
    this.dataEnd = Math.max(this.dataEnd, rec.extent * SECTOR + rec.size);
    // most files have one extent: an array of one (a push onto [] reserves room for 17)
    if (node.extents.length === 0) node.extents = [e];
    else node.extents.push(e);
    node.size += rec.size;
  }

  private charge(bytes: number, where: string): void {
    this.budget.bytes += bytes;
    if (this.budget.bytes > metadataLimit(this.src.size)) {
      throw this.src.fail(`${where}: directories overlap (more directory data than the image holds)`);
    }
  }

  /** One record (not "." or ".."): a node, or undefined when Rock Ridge hides it (RE). */
  private entry(rec: DirRecord, p: Pending, where: string): ReadNode | undefined {
    const su = this.susp ? this.systemUse(rec, p.extent, false) : [];
    let name = this.joliet ? jolietName(rec.fileId) : isoName(rec.fileId);
    let mode: number | undefined;
    let links: ReadNode['links'];
    let target: string | undefined;
    let relocated: number | undefined;
    let mtime = rec.date;
    const nm: Buffer[] = [];
    let nmBytes = 0;
    const sl = { parts: [] as string[], partial: '' };
    let hasSl = false;
    for (const e of su) {
      switch (e.sig) {
        case 'RE':
          return undefined; // RRIP 4.1.5.3: relocated directory, shown where its CL is
        case 'NM': {
          const part = decodeNM(e.data);
          if (part) {
            nmBytes += part.length;
            if (nmBytes > LIMITS.name)
              throw this.src.fail(`${where}: a Rock Ridge name longer than ${LIMITS.name} bytes`);
            nm.push(part);
          }
          break;
        }
        case 'PX': {
          const px = decodePX(e.data);
          mode = px?.mode ?? mode;
          // one link is no hard link: nothing to keep per file (most files of a big tree)
          if (px) links = px.nlink > 1 ? { count: px.nlink, serial: px.serial } : undefined;
          break;
        }
        case 'TF': {
          const t = decodeTF(e.data).modify;
          if (t !== undefined) mtime = t;
          break;
        }
        case 'SL':
          hasSl = true;
          decodeSLComponents(e.data, sl);
          if (sl.parts.join('/').length + sl.partial.length > LIMITS.name)
            throw this.src.fail(`${where}: a symbolic link target longer than ${LIMITS.name} bytes`);
          break;
        case 'CL':
          relocated = decodeCL(e.data) ?? relocated;
          break;
      }
    }
    if (nm.length > 0) name = Buffer.concat(nm).toString('utf8');
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw this.src.fail(`${where}: an entry has the invalid name ${quoted(name)}`);
    }
    const path = p.node.path ? `${p.node.path}/${name}` : name;
    const isDir = relocated !== undefined || (rec.flags & FLAG_DIRECTORY) !== 0;
    const isLink = !isDir && (hasSl || (mode !== undefined && (mode & S_IFMT) === S_IFLNK));
    const node: ReadNode = {
      name,
      path,
      kind: isDir ? 'dir' : isLink ? 'symlink' : 'file',
      size: 0,
      extents: [],
      mode,
      links,
      mtime,
      children: isDir ? [] : NO_CHILDREN
    };
    if (isLink) {
      if (sl.partial) sl.parts.push(sl.partial);
      target = slTarget(sl.parts);
      node.target = target;
    } else if (isDir) {
      if (mode !== undefined && (mode & S_IFMT) !== S_IFDIR && (mode & S_IFMT) !== 0) {
        this.problems.push(`${where}: ${quoted(name)} is a directory whose PX mode says otherwise`);
      }
      let extent = rec.extent;
      let size = rec.size;
      if (relocated !== undefined) {
        // RRIP 4.1.5.1: the directory lives at the CL block; its size is in its own "." record
        const first = this.src.readSync(
          relocated * SECTOR,
          SECTOR,
          `${where}: relocated directory ${quoted(name)}`
        );
        const dot = this.parse(first, 0, SECTOR, `relocated directory ${quoted(name)}`);
        if (!dot)
          throw this.src.fail(`${where}: relocated directory ${quoted(name)} at block ${relocated} is empty`);
        extent = relocated;
        size = dot.record.size;
      }
      return this.enqueue(node, extent, size, p);
    } else {
      this.addExtent(node, rec, where);
    }
    return node;
  }

  private enqueue(node: ReadNode, extent: number, size: number, p: Pending): ReadNode {
    this.pendingOut.push({ node, extent, size, depth: p.depth + 1 });
    return node;
  }

  /** Children found while reading one directory; read() drains them into its queue. */
  private readonly pendingOut: Pending[] = [];

  /** The record's SUSP entries including CE continuation areas (SUSP 5.1), bounded. */
  private systemUse(rec: DirRecord, dirExtent: number, isRootDot: boolean): SuspEntry[] {
    const out: SuspEntry[] = [];
    let area = rec.systemUse;
    let skip = isRootDot ? 0 : this.suspSkip;
    let total = area.length;
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const entries = parseSusp(area, Math.min(skip, area.length));
      let ce: { block: number; offset: number; length: number } | undefined;
      for (const e of entries) {
        if (e.sig === 'CE') ce = decodeCE(e.data) ?? ce;
        else out.push(e);
      }
      if (!ce || ce.length === 0) return out;
      const where = `${this.label} directory at block ${dirExtent}: continuation area at block ${ce.block}`;
      if (hop >= LIMITS.ceHops)
        throw this.src.fail(`${where}: more than ${LIMITS.ceHops} continuation areas for one record`);
      const key = `${ce.block}:${ce.offset}`;
      if (seen.has(key)) throw this.src.fail(`${where}: the continuation chain cycles`);
      seen.add(key);
      total += ce.length;
      if (total > LIMITS.suspBytes)
        throw this.src.fail(`${where}: more than ${LIMITS.suspBytes} bytes of system use for one record`);
      if (ce.offset >= SECTOR) throw this.src.fail(`${where}: offset ${ce.offset} is not inside the block`);
      this.charge(ce.length, where);
      area = this.src.readSync(ce.block * SECTOR + ce.offset, ce.length, where);
      skip = 0;
    }
  }

  /** Move children found while reading a directory into the walk queue. */
  private drain(queue: Pending[]): void {
    queue.push(...this.pendingOut.splice(0));
  }
}
