/**
 * A remaster's base tree: an image read back (src/read/image.ts, hostile-safe) turned into the
 * same tree nodes the folder scan makes, each file's data its extents in the image. Rock Ridge
 * names, modes, symbolic links and dates where the image has them; Joliet names where it has no
 * Rock Ridge; plain ISO 9660 names last (the reader chose the tree). Files that share their data
 * (hard links, which writers store once) become one link group, so the writer stores them once too.
 */
import { SECTOR } from '../image/bytes.js';
import { ScannedDir, ScannedFile, ScannedSymlink, type ScanResult } from '../image/scan.js';
import {
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  compareNames,
  type FileGroup,
  type DataSource,
  type FileNode,
  type ImageExtent,
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

/*
 * The image's nodes, made small as the folder scan's are: its ScannedDir (a folder with no native
 * path) and ScannedSymlink, and its ScannedFile whose data source, made when asked for, is the
 * image at its one extent's offset (or at its extents, when it has several).
 */
class ImageFileNode extends ScannedFile {
  constructor(
    parent: ScannedDir,
    name: string,
    mode: number,
    mtime: number,
    size: number,
    private readonly image: ImageFile,
    /** the byte offset of its one extent in the image, or its extents */
    private readonly at: number | readonly ImageExtent[]
  ) {
    super(parent, name, mode, mtime, size);
  }
  override get data(): DataSource {
    if (this.replaced) return this.replaced;
    const extents = typeof this.at === 'number' ? [{ offset: this.at, length: this.size }] : this.at;
    return { type: 'image', image: this.image, extents };
  }
  override set data(d: DataSource) {
    this.replaced = d;
  }
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
  const root = dirNode(img.tree.root, epoch);
  const res: ScanResult = { root, files: 0, dirs: 1, symlinks: 0, bytes: 0 };
  const shared = new Map<string, FileNode>();
  const visit = (from: ReadNode, to: ScannedDir): void => {
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
        node = new ScannedSymlink(to, c.name, epoch ?? c.mtime, c.target ?? '');
        res.symlinks++;
      } else {
        if (c.size > 0 && skip.has(c.extents[0].lba)) continue;
        const f = fileNode(to, c, image, epoch);
        linkShared(shared, f, c);
        node = f;
        res.files++;
        res.bytes += c.size;
      }
      to.children.push(node);
    }
  };
  visit(img.tree.root, root);
  return res;
}

function dirNode(n: ReadNode, epoch: number | undefined): ScannedDir {
  return new ScannedDir(n.name, n.path, '', modeOf(n, S_IFDIR, PLAIN_DIR_MODE), epoch ?? n.mtime, false);
}

function fileNode(parent: ScannedDir, n: ReadNode, image: ImageFile, epoch: number | undefined): FileNode {
  const extents = n.extents.filter(e => e.size > 0).map(e => ({ offset: e.lba * SECTOR, length: e.size }));
  const at = extents.length === 1 ? extents[0].offset : extents;
  const mode = modeOf(n, S_IFREG, PLAIN_FILE_MODE);
  return new ImageFileNode(parent, n.name, mode, epoch ?? n.mtime, n.size, image, at);
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
