/** scan: the source directory → a tree of nodes. Symbolic links are recorded, never followed. */
// Synchronous calls: a scan is thousands of tiny metadata calls, where the promise API's overhead
// dominates; nothing else runs on this thread meanwhile.
import { lstatSync, promises as fs, readdirSync, readlinkSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError, fsError } from '../errors.js';
import type { Logger } from '../log.js';
import { permissionBits, toImagePath, type Platform } from '../platform.js';
import {
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  compareNames,
  type DataSource,
  type DirNode,
  type FileGroup,
  type FileNode,
  type SymlinkNode,
  type TreeNode
} from './tree.js';

/*
 * The scanned nodes. A tree of 200,000 files must stay small: each node keeps only the numbers the
 * image needs (no fs.Stats), and a file's image path and source path are made from its parent's
 * when asked for (directories keep theirs). All nodes of a kind are made by one constructor, so
 * they share one hidden class (object spread would give every node its own). What is the same for
 * every node of a kind (kind, uid, gid; no hidden flag, link group or replaced data) is a property
 * of the prototype, which an assignment to a node shadows.
 */
export class ScannedDir implements DirNode {
  declare readonly kind: 'dir';
  declare uid: number;
  declare gid: number;
  declare hidden?: boolean;
  serial = 0;
  readonly children: TreeNode[] = [];
  constructor(
    public name: string,
    public path: string,
    /** the directory's path on the source file system ('' for a folder of a remaster's image) */
    readonly native: string,
    public mode: number,
    public mtime: number,
    /** names become image paths the platform's way (toImagePath) */
    readonly win32: boolean
  ) {}
}

/** A child's image path: `dir.path` is one already (toImagePath), so only the name is converted. */
export function childPath(dir: ScannedDir, name: string): string {
  const n = dir.win32 ? toImagePath(name, 'win32') : name;
  return dir.path === '' ? n : `${dir.path}/${n}`;
}

export class ScannedFile implements FileNode {
  declare readonly kind: 'file';
  declare uid: number;
  declare gid: number;
  declare hidden?: boolean;
  declare linkGroup?: FileGroup;
  /** data set by an extension (a patched boot image); the source file otherwise */
  declare protected replaced?: DataSource;
  serial = 0;
  lba = 0;
  constructor(
    private readonly parent: ScannedDir,
    public name: string,
    public mode: number,
    public mtime: number,
    public size: number
  ) {}
  get path(): string {
    return childPath(this.parent, this.name);
  }
  get data(): DataSource {
    return this.replaced ?? { type: 'file', path: path.join(this.parent.native, this.name) };
  }
  set data(d: DataSource) {
    this.replaced = d;
  }
}

export class ScannedSymlink implements SymlinkNode {
  declare readonly kind: 'symlink';
  declare uid: number;
  declare gid: number;
  declare hidden?: boolean;
  declare mode: number;
  serial = 0;
  constructor(
    private readonly parent: ScannedDir,
    public name: string,
    public mtime: number,
    public target: string
  ) {}
  get path(): string {
    return childPath(this.parent, this.name);
  }
}

Object.assign(ScannedDir.prototype, { kind: 'dir', uid: 0, gid: 0 });
Object.assign(ScannedFile.prototype, { kind: 'file', uid: 0, gid: 0 });
Object.assign(ScannedSymlink.prototype, { kind: 'symlink', uid: 0, gid: 0, mode: S_IFLNK | 0o777 });

const REPLACEMENT = '\uFFFD';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `bytes` is valid UTF-8 (a name that holds U+FFFD itself is). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A name's bytes for a message: valid UTF-8 as is, every other byte as `\xNN`. */
export function escapeInvalidUtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    // the longest valid sequence starting here (UTF-8 sequences are 1 to 4 bytes)
    let len = Math.min(4, bytes.length - i);
    while (len > 0 && !isUtf8(bytes.subarray(i, i + len))) len--;
    if (len === 0) {
      out += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += Buffer.from(bytes.subarray(i, i + len)).toString('utf8');
      i += len;
    }
  }
  return out;
}

/**
 * Names in ISO 9660, Joliet and Rock Ridge are made from Unicode text, so a name that is not valid
 * UTF-8 (Latin-1 bytes from an old archive) is refused, naming the folder and showing the bytes.
 */
function refuseInvalidUtf8(folder: string): void {
  let raw: Buffer[];
  try {
    raw = readdirSync(folder, { encoding: 'buffer' });
  } catch (e) {
    throw fsError(e, folder, 'cannot read directory');
  }
  const bad = raw.find(b => !isUtf8(b));
  if (bad === undefined) return;
  throw new IsoforgeError(
    `source folder ${folder}: the name "${escapeInvalidUtf8(bad)}" is not valid UTF-8; rename it (e.g. convmv -f latin1 -t utf8)`,
    { subject: folder }
  );
}

export interface ScanOptions {
  source: string;
  /** every date becomes this (seconds) when set */
  epoch?: number;
  log: Logger;
  platform?: Platform;
}

export interface ScanResult {
  root: DirNode;
  files: number;
  dirs: number;
  symlinks: number;
  bytes: number;
}

/**
 * A hard link's group, made only once the tree holds a second name of the inode: a file whose
 * other names are outside the tree is no hard link of the image (and costs no group).
 */
function joinLinkGroup(linked: Map<number, Map<number, ScannedFile>>, s: Stats, file: ScannedFile): void {
  let byIno = linked.get(s.dev);
  if (!byIno) linked.set(s.dev, (byIno = new Map()));
  const first = byIno.get(s.ino);
  if (!first) byIno.set(s.ino, file);
  else {
    const g = (first.linkGroup ??= { key: `${s.dev}:${s.ino}`, members: [first] });
    g.members.push(file);
    file.linkGroup = g;
  }
}

/** What a node that is no file, directory or link is, for the warning that skips it. */
function specialKind(s: Stats): string {
  if (s.isFIFO()) return 'FIFO';
  if (s.isSocket()) return 'socket';
  return s.isBlockDevice() ? 'block device' : 'character device';
}

/** A folder's names in the image's order (compareNames); a name that is not UTF-8 is refused. */
function readNames(native: string): string[] {
  let names: string[];
  try {
    names = readdirSync(native);
  } catch (e) {
    throw fsError(e, native, 'cannot read directory');
  }
  // Linux names are bytes; Node decodes them as UTF-8 with U+FFFD for what is not. Only a name
  // showing U+FFFD is worth a second look at the bytes, so a scan of valid names costs nothing.
  if (names.some(n => n.includes(REPLACEMENT))) refuseInvalidUtf8(native);
  return names.sort(compareNames);
}

export async function scanTree(opts: ScanOptions): Promise<ScanResult> {
  const platform = opts.platform ?? process.platform;
  let st: Stats;
  try {
    st = await fs.stat(opts.source);
  } catch (e) {
    throw fsError(e, opts.source, 'source');
  }
  if (!st.isDirectory())
    throw new IsoforgeError(`source ${opts.source}: not a directory`, { subject: opts.source });
  const date = (s: Stats) => opts.epoch ?? Math.floor(s.mtimeMs / 1000);
  const linked = new Map<number, Map<number, ScannedFile>>();
  const res: ScanResult = {
    root: new ScannedDir(
      '',
      '',
      opts.source,
      S_IFDIR | permissionBits('dir', st.mode, platform),
      date(st),
      platform === 'win32'
    ),
    files: 0,
    dirs: 1,
    symlinks: 0,
    bytes: 0
  };

  const visit = async (dir: ScannedDir): Promise<void> => {
    const native = dir.native;
    for (const name of readNames(native)) {
      const full = path.join(native, name);
      let s: Stats;
      try {
        s = lstatSync(full);
      } catch (e) {
        throw fsError(e, full, 'cannot read');
      }
      let node: TreeNode;
      if (s.isDirectory()) {
        const mode = S_IFDIR | permissionBits('dir', s.mode, platform);
        const sub = new ScannedDir(name, childPath(dir, name), full, mode, date(s), dir.win32);
        res.dirs++;
        dir.children.push(sub);
        await visit(sub);
        continue;
      } else if (s.isFile()) {
        const mode = S_IFREG | permissionBits('file', s.mode, platform);
        const file = new ScannedFile(dir, name, mode, date(s), s.size);
        if (s.nlink > 1 && platform !== 'win32') joinLinkGroup(linked, s, file);
        node = file;
        res.files++;
        res.bytes += s.size;
      } else if (s.isSymbolicLink()) {
        let target: string;
        try {
          target = readlinkSync(full);
        } catch (e) {
          throw fsError(e, full, 'cannot read link');
        }
        node = new ScannedSymlink(dir, name, date(s), toImagePath(target, platform));
        res.symlinks++;
      } else {
        const what = specialKind(s);
        opts.log.warn(
          `skipping ${what} ${full}: only files, directories and symbolic links go into an image`,
          full
        );
        continue;
      }
      dir.children.push(node);
    }
  };
  await visit(res.root as ScannedDir);
  // as actions/upload-artifact warns when no files were found: the image is still valid
  if (res.root.children.length === 0)
    opts.log.warn(`source ${opts.source}: is empty; the image holds an empty root directory`, opts.source);
  return res;
}
