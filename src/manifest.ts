/**
 * The manifest schema (version 1), shared by the builder (src/integrity writes it), the reader
 * (src/read returns it) and the action (summary, baseline diff). Documented in docs/manifest.md.
 */
import type { BootEntryInfo, PartitionInfo } from './image/extension.js';
import type { DigestLookup } from './image/file-digests.js';
import type { VolumeIds } from './image/labels.js';
import { compareNames, type DirNode, type TreeNode } from './image/tree.js';

export const MANIFEST_SCHEMA = 'isoforge-manifest/1';

export interface ManifestEntry {
  /** POSIX path inside the image, no leading slash */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** bytes (0 for directories and symlinks) */
  size: number;
  /** permission bits as 4 octal digits, e.g. "0644" */
  mode: string;
  /** symlinks only */
  target?: string;
  /** files only, hex */
  sha256?: string;
  /** files with data only: first 2048-byte block of the data */
  lba?: number;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  tool: { name: 'isoforge'; version: string };
  volumeId: string;
  /** the PVD's other texts (absent from manifests made before they were options) */
  ids?: VolumeIds;
  /** seconds since 1970 used for the image's dates */
  epoch: number;
  image: { name: string; size: number; sha256?: string; sha512?: string; md5Implanted?: boolean };
  boot: BootEntryInfo[];
  partitions: PartitionInfo[];
  entries: ManifestEntry[];
}

export function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** The empty file's SHA-256. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Entries of the visible tree, sorted by path bytes (the root itself is not listed). */
export function entriesFromTree(root: DirNode, fileDigests?: DigestLookup): ManifestEntry[] {
  return Array.from(treeEntries(root, fileDigests));
}

/**
 * entriesFromTree one entry at a time, made as they are asked for (a manifest of 200,000 files is
 * written without holding its entries). Sorting by path bytes needs no list of all paths: among
 * the children of one directory, a directory's descendants ("name/...") come together, where
 * "name/" sorts, since no other child's name starts with it. So each directory's children are
 * sorted with a "name/" key for every subdirectory's contents, and those are visited in place.
 */
export function* treeEntries(root: DirNode, fileDigests?: DigestLookup): Generator<ManifestEntry> {
  interface Item {
    key: string;
    node: TreeNode;
    /** the node's descendants, not the node */
    inside: boolean;
  }
  const itemsOf = (d: DirNode): Item[] => {
    const items: Item[] = [];
    for (const c of d.children) {
      if (c.hidden) continue;
      items.push({ key: c.name, node: c, inside: false });
      if (c.kind === 'dir') items.push({ key: `${c.name}/`, node: c, inside: true });
    }
    return items.sort((a, b) => compareNames(a.key, b.key));
  };
  const stack: { items: Item[]; next: number }[] = [{ items: itemsOf(root), next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const { node: c, inside } = top.items[top.next++];
    if (inside) {
      stack.push({ items: itemsOf(c as DirNode), next: 0 });
      continue;
    }
    const path = c.path;
    const e: ManifestEntry = {
      path,
      type: c.kind,
      size: c.kind === 'file' ? c.size : 0,
      mode: modeString(c.mode)
    };
    if (c.kind === 'symlink') e.target = c.target;
    if (c.kind === 'file') {
      // a hard link's names share its blocks, so each finds the digest of its data there
      const h = c.size > 0 ? fileDigests?.get(c) : undefined;
      if (h) e.sha256 = h;
      else if (c.size === 0) e.sha256 = EMPTY_SHA256;
      if (c.size > 0) e.lba = c.lba;
    }
    yield e;
  }
}
