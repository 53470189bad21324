/**
 * The FAT builder's view of the source tree: which nodes go in, their short names and how many
 * 32-byte entries each directory takes (their contents stream through source-chunks.ts).
 */
import { cliFlag, optionError } from '../errors.js';
import { compareNames, type DirNode, type FileNode, type TreeNode } from '../image/tree.js';
import type { Logger } from '../log.js';
import { MAX_DIR_ENTRIES, ShortNameTable, entriesFor, longNameProblem, type ShortKey } from './fat-names.js';

/** DIR_FileSize is 32 bits. */
const MAX_FILE_SIZE = 0xffffffff;

export interface FatFile {
  kind: 'file';
  node: FileNode;
  key: ShortKey;
  lfn: boolean;
  /** first cluster, 0 for an empty file (assigned by the builder) */
  cluster: number;
}

export interface FatDir {
  kind: 'dir';
  /** long name ('' for the root) */
  name: string;
  key: ShortKey;
  lfn: boolean;
  children: (FatFile | FatDir)[];
  /** 32-byte entries this directory's listing holds */
  entries: number;
  /** first cluster and cluster count of the listing (assigned by the builder; 0 for a FAT12/16 root) */
  cluster: number;
  clusters: number;
}

export interface FatTree {
  root: FatDir;
  files: FatFile[];
  dirs: FatDir[];
}

/**
 * `entries` as a FAT directory tree, in name order. Symbolic links are left out with a warning;
 * names FAT cannot hold, files over 4 GiB and generated (deferred) files are errors naming the path.
 */
export function collectTree(
  entries: readonly TreeNode[],
  labelKey: ShortKey,
  option: string,
  log: Logger | undefined
): FatTree {
  const files: FatFile[] = [];
  const dirs: FatDir[] = [];
  const fail = (path: string, why: string) => optionError(option, `${path}: ${why}`, { subject: path });

  const collect = (nodes: readonly TreeNode[], where: string, isRoot: boolean): FatDir => {
    const kept: (FileNode | DirNode)[] = [];
    const seen = new Map<string, string>();
    for (const n of [...nodes].sort((a, b) => compareNames(a.name, b.name))) {
      if (n.kind === 'symlink') {
        log?.warn(
          `${cliFlag(option)}: ${n.path} is a symbolic link; FAT has no links, so it is left out`,
          n.path
        );
        continue;
      }
      const problem = longNameProblem(n.name);
      if (problem) throw fail(n.path, `a FAT name cannot hold ${problem}`);
      const fold = n.name.toUpperCase();
      const twin = seen.get(fold);
      if (twin === n.name) throw fail(n.path, 'the name occurs twice');
      if (twin !== undefined)
        log?.warn(
          `${cliFlag(option)}: ${n.path} differs from ${twin} only in case; FAT keeps both, but firmware (case-insensitive) finds only one`,
          n.path
        );
      seen.set(fold, n.name);
      if (n.kind === 'file' && n.size > MAX_FILE_SIZE)
        throw fail(n.path, `${n.size} bytes is over the FAT file size limit (4 GiB - 1)`);
      if (n.kind === 'file' && n.data.type === 'deferred')
        throw fail(n.path, 'a generated file cannot be placed in a FAT image');
      kept.push(n);
    }
    const table = new ShortNameTable();
    if (isRoot) table.reserve(labelKey);
    const names = table.assign(kept.map(n => n.name));
    const dir: FatDir = {
      kind: 'dir',
      name: '',
      key: '',
      lfn: false,
      children: [],
      entries: 0,
      cluster: 0,
      clusters: 0
    };
    dir.entries = isRoot ? 1 : 2; // the volume label, or '.' and '..'
    kept.forEach((n, i) => {
      const { key, lfn } = names[i];
      dir.entries += entriesFor(n.name, lfn);
      if (n.kind === 'file') {
        const f: FatFile = { kind: 'file', node: n, key, lfn, cluster: 0 };
        files.push(f);
        dir.children.push(f);
      } else {
        const sub = collect(n.children, n.path, false);
        Object.assign(sub, { name: n.name, key, lfn });
        dir.children.push(sub);
      }
    });
    if (dir.entries > MAX_DIR_ENTRIES)
      throw fail(where || '/', `${dir.entries} directory entries, more than FAT's ${MAX_DIR_ENTRIES}`);
    dirs.push(dir);
    return dir;
  };
  const root = collect(entries, '', true);
  return { root, files, dirs };
}
