/** The tree of nodes that scan produces and plan/write consume. Plain data. */

/** Where a file's bytes come from at write time. */
export type DataSource =
  | { type: 'file'; path: string }
  | { type: 'memory'; bytes: Buffer }
  /** a file of another image (a remaster's input): its extents, in order, read from that image */
  | { type: 'image'; image: ImageFile; extents: readonly ImageExtent[] }
  /** produced once the layout is final (boot catalog, patched boot images) */
  | { type: 'deferred'; produce: (layout: LayoutView) => Buffer };

/** An image whose files are read by their extents (a remaster's input), opened once, read only. */
export interface ImageFile {
  readonly path: string;
  readonly fd: number;
  /** bytes when opened: every extent lies inside */
  readonly size: number;
}

/** A run of a file's bytes in an ImageFile (ECMA-119 9.1.6: a file may have several extents). */
export interface ImageExtent {
  readonly offset: number;
  readonly length: number;
}

export interface NodeBase {
  /** exact original name (UTF-8 string); '' for the root */
  name: string;
  /** POSIX path relative to the image root, without leading slash ('' for root) */
  path: string;
  /** POSIX permission and type bits (S_IFREG | 0644, ...) */
  mode: number;
  /** seconds since 1970 */
  mtime: number;
  uid: number;
  gid: number;
  /** deterministic Rock Ridge serial number (assigned by plan) */
  serial: number;
  /** kept out of the directory trees (e.g. a hidden boot catalog) */
  hidden?: boolean;
}

export interface FileNode extends NodeBase {
  kind: 'file';
  size: number;
  data: DataSource;
  /** hard links: all names of one source inode share `extentOwner`'s blocks */
  linkGroup?: FileGroup;
  /** assigned by plan */
  lba: number;
}

export interface FileGroup {
  key: string;
  members: FileNode[];
}

export interface DirNode extends NodeBase {
  kind: 'dir';
  children: TreeNode[];
}

export interface SymlinkNode extends NodeBase {
  kind: 'symlink';
  target: string;
}

export type TreeNode = FileNode | DirNode | SymlinkNode;

/** What extensions and deferred sources may know of the final layout. */
export interface LayoutView {
  /** ISO 9660 volume space size in 2048-byte blocks (what the PVD says) */
  readonly volumeBlocks: number;
  /** whole image size in bytes, including appended partitions and tail */
  readonly imageSize: number;
  /** LBA of the primary volume descriptor as readers of the disc find it (16) */
  readonly pvdLba: number;
  /** regions reserved by extensions, by name */
  region(name: string): { lba: number; blocks: number };
  /** a file by its image path */
  file(path: string): FileNode | undefined;
}

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

export function walk(dir: DirNode, fn: (n: TreeNode, depth: number) => void, depth = 0): void {
  fn(dir, depth);
  for (const c of dir.children) {
    if (c.kind === 'dir') walk(c, fn, depth + 1);
    else fn(c, depth + 1);
  }
}

/**
 * Find a node by POSIX path relative to the root (no `..`, no symlink following). `key` folds names
 * the way the platform's file system does (see platform.ts nameKey), so `ISOLINUX/isolinux.bin`
 * finds `isolinux/isolinux.bin` on Windows and macOS, as the file system itself would.
 */
export function lookup(root: DirNode, path: string, key?: (name: string) => string): TreeNode | undefined {
  const parts = path.split('/').filter(p => p !== '' && p !== '.');
  let cur: TreeNode = root;
  for (const p of parts) {
    if (cur.kind !== 'dir') return undefined;
    let next: TreeNode | undefined = cur.children.find(c => c.name === p);
    if (!next && key) next = cur.children.find(c => key(c.name) === key(p));
    if (!next) return undefined;
    cur = next;
  }
  return cur;
}

/**
 * The file node whose `path` is exactly `path`, or undefined. Found by its names; a path that is
 * not its names joined by '/' (a name holding a backslash, scanned as on Windows) is searched for.
 */
export function fileAt(root: DirNode, path: string): FileNode | undefined {
  const hit = lookup(root, path);
  if (hit?.kind === 'file' && hit.path === path) return hit;
  let found: FileNode | undefined;
  walk(root, n => {
    if (n.kind === 'file' && n.path === path) found = n;
  });
  return found;
}

const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;

/**
 * Compare names by their UTF-8 bytes: a total order that does not depend on locale. Without
 * surrogates where the names first differ, UTF-8 byte order is the order of the UTF-16 code units
 * (both are code point order), so no bytes need encoding; otherwise (astral characters, lone
 * surrogates, which UTF-8 writes as U+FFFD) the bytes are compared.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i < n) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (!isSurrogate(x) && !isSurrogate(y)) return x < y ? -1 : 1;
  } else if (a.length === b.length) return 0;
  else if (i === 0 || !isSurrogate(a.charCodeAt(i - 1))) return a.length < b.length ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
