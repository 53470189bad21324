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
  type DirNode,
  type FileGroup,
  type TreeNode
} from './tree.js';

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
  const groups = new Map<string, FileGroup>();
  const res: ScanResult = {
    root: {
      kind: 'dir',
      name: '',
      path: '',
      mode: S_IFDIR | permissionBits('dir', st.mode, platform),
      mtime: date(st),
      uid: 0,
      gid: 0,
      serial: 0,
      children: []
    },
    files: 0,
    dirs: 1,
    symlinks: 0,
    bytes: 0
  };

  const visit = async (dir: DirNode, native: string): Promise<void> => {
    let names: string[];
    try {
      names = readdirSync(native);
    } catch (e) {
      throw fsError(e, native, 'cannot read directory');
    }
    names.sort(compareNames);
    for (const name of names) {
      const full = path.join(native, name);
      let s: Stats;
      try {
        s = lstatSync(full);
      } catch (e) {
        throw fsError(e, full, 'cannot read');
      }
      const rel = toImagePath(dir.path === '' ? name : `${dir.path}/${name}`, platform);
      const base = { name, path: rel, mtime: date(s), uid: 0, gid: 0, serial: 0 };
      let node: TreeNode;
      if (s.isDirectory()) {
        node = {
          ...base,
          kind: 'dir',
          mode: S_IFDIR | permissionBits('dir', s.mode, platform),
          children: []
        };
        res.dirs++;
        dir.children.push(node);
        await visit(node, full);
        continue;
      } else if (s.isFile()) {
        node = {
          ...base,
          kind: 'file',
          mode: S_IFREG | permissionBits('file', s.mode, platform),
          size: s.size,
          data: { type: 'file', path: full },
          lba: 0
        };
        if (s.nlink > 1 && platform !== 'win32') {
          const key = `${s.dev}:${s.ino}`;
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { key, members: [] }));
          g.members.push(node);
          node.linkGroup = g;
        }
        res.files++;
        res.bytes += s.size;
      } else if (s.isSymbolicLink()) {
        let target: string;
        try {
          target = readlinkSync(full);
        } catch (e) {
          throw fsError(e, full, 'cannot read link');
        }
        node = { ...base, kind: 'symlink', mode: S_IFLNK | 0o777, target: toImagePath(target, platform) };
        res.symlinks++;
      } else {
        const what = s.isFIFO()
          ? 'FIFO'
          : s.isSocket()
            ? 'socket'
            : s.isBlockDevice()
              ? 'block device'
              : 'character device';
        opts.log.warn(
          `skipping ${what} ${full}: only files, directories and symbolic links go into an image`,
          full
        );
        continue;
      }
      dir.children.push(node);
    }
  };
  await visit(res.root, opts.source);
  return res;
}
