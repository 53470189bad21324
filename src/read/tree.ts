/**
 * Walk one directory hierarchy (ISO 9660 with or without Rock Ridge, or Joliet) with the shared
 * codecs of src/image. Hostile input is bounded: each directory is read once (a second visit is a
 * loop), depth, entry count, name length, extents per file, CE hops and SUSP bytes are capped.
 * Synchronous, as the folder scan is: a walk is thousands of small reads and records, where the
 * promise API's overhead was a third of its time; nothing else runs on this thread meanwhile.
 */
import { SECTOR, readRecordDate } from '../image/bytes.js';
import {
  FLAG_DIRECTORY,
  FLAG_MULTI_EXTENT,
  MIN_DIR_RECORD,
  RecordError,
  newRecordView,
  viewDirRecord,
  type DirRecordView
} from '../image/dirrec.js';
import { spSkipAt } from '../image/rockridge.js';
import { S_IFDIR, S_IFLNK, S_IFMT } from '../image/tree.js';
import { quoted } from '../text.js';
import { FileKeys } from './file-keys.js';
import { isoName, jolietName } from './names.js';
import { named, type ImageSource, type Named } from './source.js';
import { SystemUseReader } from './system-use.js';

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
  /** each file's first block and size, as the walk found them (the trees are compared by them); released with the trees (releaseTrees) */
  fileKeys?: FileKeys;
  /** the FileSink its files went to: `root` then holds its directories alone (a tree of many files is not held twice) */
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
  private susp = false;
  private readonly su: SystemUseReader;
  /** the record read last (every record of the walk is read into it) */
  private readonly rec: DirRecordView = newRecordView();

  constructor(
    private readonly src: ImageSource,
    private readonly budget: Budget,
    private readonly joliet: boolean,
    private readonly label: string,
    /** where the files go instead of the tree, by the tree's namespace (none: the tree keeps them) */
    private readonly sinkFor?: (namespace: Namespace) => FileSink | undefined
  ) {
    this.su = new SystemUseReader(src, LIMITS, label, (bytes, where) => this.charge(bytes, where));
  }
  private readonly fileKeys = new FileKeys();
  private sink?: FileSink;
  private dataEnd = 0;
  /** the directories to read, in the walk's order (breadth first) */
  private readonly queue: Pending[] = [];

  read(rootRecord: Buffer, epoch: number): TreeResult {
    const rec = this.rec;
    if (!this.parse(rootRecord, 0, rootRecord.length, rec, 'root directory record'))
      throw this.src.fail(`${this.label}: empty root directory record`);
    if (!(rec.flags & FLAG_DIRECTORY))
      throw this.src.fail(`${this.label}: the root record is not a directory`);
    const root: ReadNode = {
      name: '',
      path: '',
      kind: 'dir',
      size: 0,
      extents: [],
      mtime: readRecordDate(rootRecord, rec.dateAt) || epoch,
      children: []
    };
    const [extent, size] = [rec.extent, rec.size];
    // SUSP 5.3: the SP entry sits at the start of the root's "." record
    if (!this.joliet) {
      const first = this.src.readSync(
        extent * SECTOR,
        Math.min(SECTOR, size),
        `${this.label} root directory`
      );
      const dot = this.parse(first, 0, first.length, rec, 'root "." record') > 0;
      const skip = dot ? spSkipAt(first, rec.suStart, rec.suEnd) : undefined;
      if (skip !== undefined) {
        this.susp = true;
        this.su.skip = skip;
        const mode = this.su.rootMode(first, rec.suStart, rec.suEnd, extent);
        if (mode !== undefined) root.mode = mode;
      }
    }
    const namespace: Namespace = this.joliet ? 'joliet' : this.susp ? 'rockridge' : 'iso9660';
    this.sink = this.sinkFor?.(namespace);
    this.queue.push({ node: root, extent, size, depth: 0 });
    for (let i = 0; i < this.queue.length; i++) this.readDir(this.queue[i]);
    const { dirs, problems, fileKeys, sink, dataEnd } = this;
    return { root, namespace, dirs, problems, fileKeys, dataEnd, ...(sink ? { sink } : {}) };
  }

  /**
   * The record at `off` into `v`: its length, 0 at padding. `what` names the record in an error (a
   * directory's record by its byte: the text is made only then, a text per record costs the walk's time).
   */
  private parse(buf: Buffer, off: number, end: number, v: DirRecordView, what: string | Pending): number {
    try {
      return viewDirRecord(buf, off, end, v);
    } catch (e) {
      if (e instanceof RecordError || e instanceof RangeError) {
        const record =
          typeof what === 'string' ? what : `directory ${quoted(`/${what.node.path}`)} record at byte ${off}`;
        throw this.src.fail(`${this.label} ${record}: ${e.message}`);
      }
      throw e;
    }
  }

  /** The directory `p` in a message. */
  private where(p: Pending): string {
    return `${this.label} directory ${quoted(`/${p.node.path}`)} at block ${p.extent}`;
  }

  private readDir(p: Pending): void {
    let whereText: string | undefined;
    /** the directory in a message, made only for one */
    const where = () => (whereText ??= this.where(p));
    if (p.depth > LIMITS.depth) throw this.src.fail(`${where()}: deeper than ${LIMITS.depth} levels`);
    if (this.dirs.has(p.extent)) {
      throw this.src.fail(
        `${where()}: directory loop (block ${p.extent} is also ${quoted(`/${this.dirs.get(p.extent)}`)})`
      );
    }
    this.dirs.set(p.extent, p.node.path);
    if (p.size < 2 * MIN_DIR_RECORD || p.size > LIMITS.dirBytes)
      throw this.src.fail(`${where()}: size ${p.size} is not sane`);
    this.charge(Math.ceil(p.size / SECTOR) * SECTOR, where);
    const buf = this.src.fillSync(
      this.dirBuffer(Math.ceil(p.size / SECTOR) * SECTOR),
      p.extent * SECTOR,
      where
    );
    const names = new Set<string>();
    /** the paths of its entries begin with this (one string a path, not two) */
    const prefix = p.node.path ? `${p.node.path}/` : '';
    /** this folder's files and links, when they go to the sink (once each file is whole) */
    const files: ReadNode[] = [];
    const rec = this.rec;
    // the record before: its node (when it made one), flags and identifier (in `buf`)
    let prev: ReadNode | undefined;
    let prevFlags = 0;
    let prevId = 0;
    let prevIdLength = 0;
    let index = 0;
    for (let sector = 0; sector < p.size; sector += SECTOR) {
      const end = Math.min(sector + SECTOR, p.size);
      for (let off = sector, len: number; (len = this.parse(buf, off, end, rec, p)) > 0; off += len) {
        if (++this.budget.entries > LIMITS.entries)
          throw this.src.fail(`more than ${LIMITS.entries} directory records`);
        const dotLike = rec.idLength === 1 && buf[rec.idStart] <= 1;
        if (index++ < 2) {
          const want = index === 1 ? 0 : 1;
          if (rec.idLength !== 1 || buf[rec.idStart] !== want) {
            this.problems.push(`${where()}: record ${index} is not "${want ? '..' : '.'}"`);
          } else if (want === 0 && rec.extent !== p.extent) {
            this.problems.push(`${where()}: "." points to block ${rec.extent}`);
          }
          continue;
        }
        if (dotLike) {
          this.problems.push(`${where()}: a second "." or ".." record`);
          continue;
        }
        // ECMA-119 9.1.6: a multi-extent file continues in the next record with the same identifier
        if (prev && prevFlags & FLAG_MULTI_EXTENT) {
          if (buf.compare(buf, prevId, prevId + prevIdLength, rec.idStart, rec.idStart + rec.idLength) !== 0)
            throw this.src.fail(`${where()}: a multi-extent file ${quoted(prev.name)} has no continuation`);
          if (prev.extents.length >= LIMITS.extents)
            throw this.src.fail(`${where()}: ${quoted(prev.name)} has more than ${LIMITS.extents} extents`);
          this.addExtent(prev, rec.extent, rec.size, where);
        } else {
          prev = this.entry(buf, rec, p, prefix, where);
          if (!prev) continue;
          const known = names.size;
          if (names.add(prev.name).size === known)
            this.problems.push(`${where()}: the name ${quoted(prev.name)} appears twice`);
          if (this.sink && prev.kind !== 'dir') files.push(prev);
          else p.node.children.push(prev);
        }
        prevFlags = rec.flags;
        prevId = rec.idStart;
        prevIdLength = rec.idLength;
      }
    }
    if (prev && prevFlags & FLAG_MULTI_EXTENT)
      throw this.src.fail(
        `${where()}: the multi-extent file ${quoted(prev.name)} ends without its last extent`
      );
    const made = this.sink ? files : p.node.children;
    for (let i = 0; i < made.length; i++)
      if (made[i].kind === 'file' && made[i].size > 0)
        this.fileKeys.add(made[i].extents[0].lba, made[i].size);
    if (files.length > 0) this.sink?.add(p.node, files);
  }

  /**
   * `bytes` of the buffer every directory is read into in turn (a buffer each was a new ArrayBuffer
   * per directory); nothing read from it is kept but copies (names, numbers).
   */
  private dirBuffer(bytes: number): Buffer {
    if (this.dirBytes.length < bytes)
      this.dirBytes = Buffer.allocUnsafe(Math.max(bytes, 2 * this.dirBytes.length));
    return this.dirBytes.subarray(0, bytes);
  }
  private dirBytes = Buffer.allocUnsafe(64 * 1024);

  private addExtent(node: ReadNode, extent: number, size: number, where: () => string): void {
    if (size > 0 && !this.src.inside(extent * SECTOR, size)) {
      throw this.src.fail(
        `${where()}: ${quoted(node.name)} has data at block ${extent} (${size} bytes) past the end of the image`
      );
    }
    const e = { lba: extent, size };
    this.dataEnd = Math.max(this.dataEnd, extent * SECTOR + size);
    // most files have one extent: an array of one (a push onto [] reserves room for 17)
    if (node.extents.length === 0) node.extents = [e];
    else node.extents.push(e);
    node.size += size;
  }

  private charge(bytes: number, where: Named): void {
    this.budget.bytes += bytes;
    if (this.budget.bytes > metadataLimit(this.src.size)) {
      throw this.src.fail(`${named(where)}: directories overlap (more directory data than the image holds)`);
    }
  }

  /** One record (not "." or ".." nor a continuation) of `buf`: a node, or undefined when Rock Ridge hides it (RE). */
  private entry(
    buf: Buffer,
    rec: DirRecordView,
    p: Pending,
    prefix: string,
    where: () => string
  ): ReadNode | undefined {
    const rr = this.susp ? this.su.read(buf, rec.suStart, rec.suEnd, p.extent, where) : undefined;
    if (rr?.relocatedHere) return undefined; // RRIP 4.1.5.3: relocated directory, shown where its CL is
    const name =
      rr?.name ??
      (this.joliet
        ? jolietName(buf, rec.idStart, rec.idStart + rec.idLength)
        : isoName(buf, rec.idStart, rec.idStart + rec.idLength));
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw this.src.fail(`${where()}: an entry has the invalid name ${quoted(name)}`);
    }
    const mode = rr?.mode;
    const relocated = rr?.relocated;
    const isDir = relocated !== undefined || (rec.flags & FLAG_DIRECTORY) !== 0;
    const isLink =
      !isDir && (rr?.target !== undefined || (mode !== undefined && (mode & S_IFMT) === S_IFLNK));
    const node: ReadNode = {
      name,
      path: prefix + name,
      kind: isDir ? 'dir' : isLink ? 'symlink' : 'file',
      size: 0,
      extents: [],
      mode,
      links: rr?.links,
      mtime: rr?.mtime ?? readRecordDate(buf, rec.dateAt),
      children: isDir ? [] : NO_CHILDREN
    };
    if (isLink) {
      node.target = rr?.target ?? '';
    } else if (isDir) {
      if (mode !== undefined && (mode & S_IFMT) !== S_IFDIR && (mode & S_IFMT) !== 0) {
        this.problems.push(`${where()}: ${quoted(name)} is a directory whose PX mode says otherwise`);
      }
      let extent = rec.extent;
      let size = rec.size;
      if (relocated !== undefined) {
        // RRIP 4.1.5.1: the directory lives at the CL block; its size is in its own "." record
        const first = this.src.readSync(
          relocated * SECTOR,
          SECTOR,
          `${where()}: relocated directory ${quoted(name)}`
        );
        const dot = newRecordView();
        if (!this.parse(first, 0, SECTOR, dot, `relocated directory ${quoted(name)}`))
          throw this.src.fail(
            `${where()}: relocated directory ${quoted(name)} at block ${relocated} is empty`
          );
        extent = relocated;
        size = dot.size;
      }
      this.queue.push({ node, extent, size, depth: p.depth + 1 });
    } else {
      this.addExtent(node, rec.extent, rec.size, where);
    }
    return node;
  }
}
