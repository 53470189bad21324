/** The tree of nodes that scan produces and plan/write consume. Plain data. */

/** Where a file's bytes come from at write time. */
export type DataSource =
  | { type: 'file'; path: string }
  | { type: 'memory'; bytes: Buffer }
  /** produced once the layout is final (boot catalog, patched boot images) */
  | { type: 'deferred'; produce: (layout: LayoutView) => Buffer };

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

/** Compare names by their UTF-8 bytes: a total order that does not depend on locale. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
