/**
 * What extensions see while they prepare (PrepareContext): the scanned tree, a lookup that folds
 * names as the platform's file system does, and the adding of generated files (their folders made
 * as needed) and of data order.
 */
import { IsoforgeError } from '../errors.js';
import type { Logger } from '../log.js';
import { nameKey, type Platform } from '../platform.js';
import type { PrepareContext } from './extension.js';
import { S_IFDIR, S_IFREG, compareNames, lookup, type DirNode, type FileNode } from './tree.js';

function ensureDir(root: DirNode, parts: string[], epoch: number): DirNode {
  let cur = root;
  for (const p of parts) {
    let next = cur.children.find(c => c.name === p);
    if (!next) {
      next = {
        kind: 'dir',
        name: p,
        path: cur.path ? `${cur.path}/${p}` : p,
        mode: S_IFDIR | 0o755,
        mtime: epoch,
        uid: 0,
        gid: 0,
        serial: 0,
        children: []
      };
      cur.children.push(next);
      cur.children.sort((a, b) => compareNames(a.name, b.name));
    }
    if (next.kind !== 'dir')
      throw new IsoforgeError(`${next.path}: exists and is not a directory`, { subject: next.path });
    cur = next;
  }
  return cur;
}

export function prepareContext(
  root: DirNode,
  env: { log: Logger; epoch: number; platform: Platform; source: string },
  order: Map<FileNode, number>
): PrepareContext {
  const { epoch, platform } = env;
  return {
    root,
    ...env,
    lookup: p => lookup(root, p, name => nameKey(name, platform)),
    addFile(p, file, opts = {}) {
      const parts = p.split('/').filter(Boolean);
      const name = parts.pop()!;
      const dir = ensureDir(root, parts, epoch);
      if (dir.children.some(c => c.name === name)) {
        throw new IsoforgeError(`${p}: already exists in the source tree`, { subject: p });
      }
      const node: FileNode = {
        ...file,
        kind: 'file',
        name,
        path: dir.path ? `${dir.path}/${name}` : name,
        mode: file.mode ?? S_IFREG | 0o444,
        mtime: epoch,
        uid: 0,
        gid: 0,
        serial: 0,
        lba: 0,
        hidden: opts.hidden
      };
      dir.children.push(node);
      dir.children.sort((a, b) => compareNames(a.name, b.name));
      if (opts.order !== undefined) order.set(node, opts.order);
      return node;
    },
    setOrder(file, n) {
      order.set(file, n);
    },
    remove(node) {
      const parent = node.path.includes('/')
        ? lookup(root, node.path.slice(0, node.path.lastIndexOf('/')))
        : root;
      if (parent?.kind !== 'dir' || !parent.children.includes(node))
        throw new Error(`internal: ${node.path} is not in the tree`);
      parent.children = parent.children.filter(c => c !== node);
      if (node.kind === 'file') {
        order.delete(node);
        if (node.linkGroup) node.linkGroup.members = node.linkGroup.members.filter(m => m !== node);
      }
    }
  };
}
