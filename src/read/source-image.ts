/**
 * A remaster's base tree: an image read back (src/read/image.ts, hostile-safe) turned into the
 * same tree nodes the folder scan makes, each file's data its extents in the image. Rock Ridge
 * names, modes, symbolic links and dates where the image has them; Joliet names where it has no
 * Rock Ridge; plain ISO 9660 names last (the reader chose the tree). Files that share their data
 * (hard links, which writers store once) become one link group, so the writer stores them once too.
 */
import { SECTOR } from '../image/bytes.js';
import type { ScanResult } from '../image/scan.js';
import {
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  compareNames,
  type DirNode,
  type FileGroup,
  type FileNode,
  type ImageFile,
  type TreeNode
} from '../image/tree.js';
import { quoted } from '../text.js';
import type { IsoImage } from './image.js';
import type { ReadNode } from './tree.js';

/** Permissions of an image without Rock Ridge (a read-only medium's, as Linux shows them). */
const PLAIN_FILE_MODE = S_IFREG | 0o444;
const PLAIN_DIR_MODE = S_IFDIR | 0o555;

/** The permission bits of a PX mode under the node's own type (a hostile PX cannot change it). */
function modeOf(n: ReadNode, type: number, plain: number): number {
  return n.mode === undefined ? plain : type | (n.mode & ~S_IFMT & 0o7777);
}

/**
 * The image's tree as scan nodes. `epoch`: every date, as the scan does; `skip`: the blocks of
 * files left out (the old boot catalog, which the build regenerates).
 */
export function imageTree(
  img: IsoImage,
  image: ImageFile,
  epoch: number | undefined,
  skip: ReadonlySet<number>
): ScanResult {
  const res: ScanResult = { root: dirNode(img.tree.root, epoch), files: 0, dirs: 1, symlinks: 0, bytes: 0 };
  const shared = new Map<string, FileNode>();
  const visit = (from: ReadNode, to: DirNode): void => {
    const sorted = [...from.children].sort((a, b) => compareNames(a.name, b.name));
    sorted.forEach((c, i) => {
      if (i > 0 && sorted[i - 1].name === c.name)
        throw img.source.fail(`the name ${quoted(`/${c.path}`)} appears twice in its folder`);
    });
    for (const c of sorted) {
      let node: TreeNode;
      if (c.kind === 'dir') {
        const d = dirNode(c, epoch);
        res.dirs++;
        visit(c, d);
        node = d;
      } else if (c.kind === 'symlink') {
        node = { ...base(c, epoch, S_IFLNK | 0o777), kind: 'symlink', target: c.target ?? '' };
        res.symlinks++;
      } else {
        if (c.size > 0 && skip.has(c.extents[0].lba)) continue;
        const f = fileNode(c, image, epoch);
        linkShared(shared, f, c);
        node = f;
        res.files++;
        res.bytes += c.size;
      }
      to.children.push(node);
    }
  };
  visit(img.tree.root, res.root);
  return res;
}

function base(n: ReadNode, epoch: number | undefined, mode: number) {
  return { name: n.name, path: n.path, mode, mtime: epoch ?? n.mtime, uid: 0, gid: 0, serial: 0 };
}

function dirNode(n: ReadNode, epoch: number | undefined): DirNode {
  return { ...base(n, epoch, modeOf(n, S_IFDIR, PLAIN_DIR_MODE)), kind: 'dir', children: [] };
}

function fileNode(n: ReadNode, image: ImageFile, epoch: number | undefined): FileNode {
  const extents = n.extents.filter(e => e.size > 0).map(e => ({ offset: e.lba * SECTOR, length: e.size }));
  return {
    ...base(n, epoch, modeOf(n, S_IFREG, PLAIN_FILE_MODE)),
    kind: 'file',
    size: n.size,
    data: { type: 'image', image, extents },
    lba: 0
  };
}

/** Files whose data starts at the same block with the same size are one file under several names. */
function linkShared(shared: Map<string, FileNode>, f: FileNode, n: ReadNode): void {
  if (n.size === 0) return;
  const key = `${n.extents[0].lba}:${n.size}`;
  const first = shared.get(key);
  if (!first) {
    shared.set(key, f);
    return;
  }
  const g: FileGroup = (first.linkGroup ??= { key: `image:${key}`, members: [first] });
  g.members.push(f);
  f.linkGroup = g;
}
