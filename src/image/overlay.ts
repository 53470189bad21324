/**
 * Editing a tree before it is planned (a remaster): removing paths, and laying another tree (an
 * overlay folder's scan) over it. A file replaces the file or link of the same path and folders
 * merge; a file where the base has a folder (or a folder where it has a file) is an error naming
 * the path: silently dropping a whole folder for a file, or a file for a folder, is more likely a
 * mistake than a wish, and `--remove` says it when it is one.
 */
import { IsoforgeError, optionError } from '../errors.js';
import { compareNames, lookup, walk, type DirNode, type TreeNode } from './tree.js';

/** Take `node` (and, for a folder, everything below it) out of its hard-link groups. */
function unlink(node: TreeNode): void {
  const drop = (n: TreeNode) => {
    if (n.kind === 'file' && n.linkGroup) n.linkGroup.members = n.linkGroup.members.filter(m => m !== n);
  };
  if (node.kind === 'dir') walk(node, drop);
  else drop(node);
}

/** Remove the node at image path `p` (a file, link or whole folder); a missing path is an error. */
export function removePath(root: DirNode, p: string, option: string, where: string): void {
  const node = p === '' ? undefined : lookup(root, p);
  const slash = p.lastIndexOf('/');
  const parent = slash < 0 ? root : lookup(root, p.slice(0, slash));
  if (!node || parent?.kind !== 'dir')
    throw optionError(option, `/${p} does not exist in ${where}`, { subject: p });
  unlink(node);
  parent.children.splice(parent.children.indexOf(node), 1);
}

const kindName = (n: TreeNode) => (n.kind === 'dir' ? 'a folder' : n.kind === 'file' ? 'a file' : 'a link');

/** Lay `top`'s children over `base`'s (same paths: both trees' folders are at the same paths). */
export function overlayTree(base: DirNode, top: DirNode, topName: string, baseName: string): void {
  for (const t of top.children) {
    const i = base.children.findIndex(b => b.name === t.name);
    const b = i < 0 ? undefined : base.children[i];
    if (!b) base.children.push(t);
    else if (b.kind === 'dir' && t.kind === 'dir') overlayTree(b, t, topName, baseName);
    else if (b.kind === 'dir' || t.kind === 'dir') {
      throw new IsoforgeError(
        `/${t.path}: ${kindName(t)} in ${topName} but ${kindName(b)} in ${baseName}; remove it from one (--remove /${t.path})`,
        { subject: t.path }
      );
    } else {
      unlink(b);
      base.children[i] = t;
    }
  }
  base.children.sort((x, y) => compareNames(x.name, y.name));
}
