/**
 * The manifest schema (version 1), shared by the builder (src/integrity writes it), the reader
 * (src/read returns it) and the action (summary, baseline diff). Documented in docs/manifest.md.
 */
import type { BootEntryInfo, PartitionInfo } from './image/extension.js';
import { compareNames, type DirNode } from './image/tree.js';

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

/** Entries of the visible tree, sorted by path bytes (the root itself is not listed). */
export function entriesFromTree(root: DirNode, fileDigests?: ReadonlyMap<string, string>): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const visit = (d: DirNode) => {
    for (const c of d.children) {
      if (c.hidden) continue;
      const e: ManifestEntry = {
        path: c.path,
        type: c.kind,
        size: c.kind === 'file' ? c.size : 0,
        mode: modeString(c.mode)
      };
      if (c.kind === 'symlink') e.target = c.target;
      if (c.kind === 'file') {
        const linked = c.linkGroup ? c.linkGroup.members.find(m => fileDigests?.has(m.path)) : undefined;
        const h = fileDigests?.get(c.path) ?? (linked ? fileDigests?.get(linked.path) : undefined);
        if (h) e.sha256 = h;
        else if (c.size === 0) e.sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
        if (c.size > 0) e.lba = c.lba;
      }
      out.push(e);
      if (c.kind === 'dir') visit(c);
    }
  };
  visit(root);
  return out.sort((a, b) => compareNames(a.path, b.path));
}
