/**
 * Rock Ridge file serial numbers and link counts (RRIP 4.1.1, PX "POSIX File Serial Number" and
 * "POSIX File Links"), from the tree alone: the first step of the plan, since every PX the plan
 * sizes and the writer makes carries them.
 */
import { walk, type DirNode, type FileGroup, type TreeNode } from './tree.js';

const isLinkFollower = (n: TreeNode) => n.kind === 'file' && !!n.linkGroup && n.linkGroup.members[0] !== n;

/** Numbers the nodes in tree order; the members of a hard-link group share the first one's. */
export function assignSerials(root: DirNode): void {
  let serial = 1;
  walk(root, n => {
    if (!isLinkFollower(n)) n.serial = serial++;
  });
  walk(root, n => {
    if (n.kind === 'file' && n.linkGroup && isLinkFollower(n)) n.serial = n.linkGroup.members[0].serial;
  });
}

/** A node's link count as PX records it. */
export type LinkCount = (n: TreeNode) => number;

/**
 * Link counts, each counted once: a directory's is asked once per child (their ".."), a hard-link
 * group's once per member.
 */
export function linkCounter(): LinkCount {
  const dirLinks = new Map<DirNode, number>();
  const groupLinks = new Map<FileGroup, number>();
  return n => {
    if (n.kind === 'dir') {
      let k = dirLinks.get(n);
      if (k === undefined) {
        k = 2;
        for (const c of n.children) if (c.kind === 'dir' && !c.hidden) k++;
        dirLinks.set(n, k);
      }
      return k;
    }
    if (n.kind === 'file' && n.linkGroup) {
      let k = groupLinks.get(n.linkGroup);
      if (k === undefined) {
        k = n.linkGroup.members.filter(m => !m.hidden).length;
        groupLinks.set(n.linkGroup, k);
      }
      return k;
    }
    return 1;
  };
}
