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
  type ImageFile
} from '../image/tree.js';
import { quoted } from '../text.js';
import type { IsoImage } from './image.js';
import type { FileSink, ReadNode } from './tree.js';

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
    private readonly at: number | readonly ImageExtent[],
    /** the block of its first extent, as the reader found it */
    readonly block: number
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
 * The reader's sink for the image's files (readImage): each folder's files and links become scan
 * nodes as the walk reads them, so the reader's nodes for them die young instead of surviving the
 * walk beside these (a 20,000-file tree grew V8's young generation to 32 MB). `tree` then joins
 * them under the folders the reader kept.
 */
export class ImageNodes implements FileSink {
  private readonly dirs = new Map<ReadNode, ScannedDir>();
  /** at's answers (a few blocks: the boot entries' and the catalog's) */
  private readonly found = new Map<number, ImageFileNode | undefined>();
  private made = false;
  constructor(private readonly image: ImageFile) {}

  add(dir: ReadNode, files: readonly ReadNode[]): void {
    const to = this.dirOf(dir);
    for (const c of files) {
      if (c.kind === 'symlink') {
        to.children.push(new ScannedSymlink(to, c.name, c.mtime, c.target ?? ''));
        continue;
      }
      const f = fileNode(to, c, this.image);
      to.children.push(f);
    }
  }

  /** By a walk over the files in the order added, asked for a few blocks: no map of every file. */
  at(lba: number): ImageFileNode | undefined {
    if (!this.found.has(lba)) this.found.set(lba, this.firstAt(lba));
    return this.found.get(lba);
  }

  private firstAt(lba: number): ImageFileNode | undefined {
    for (const d of this.dirs.values())
      for (const c of d.children) if (c instanceof ImageFileNode && c.size > 0 && c.block === lba) return c;
    return undefined;
  }

  /**
   * The image's tree as scan nodes, in name order. `epoch`: every date, as the scan does; `skip`:
   * the blocks of files left out (the old boot catalog, which the build regenerates).
   */
  tree(img: IsoImage, epoch: number | undefined, skip: ReadonlySet<number>): ScanResult {
    if (img.tree.sink !== this || this.made)
      throw new Error('internal: the image was not read into these nodes, or they were joined already');
    this.made = true;
    const root = this.dirOf(img.tree.root);
    if (epoch !== undefined) root.mtime = epoch;
    const res: ScanResult = { root, files: 0, dirs: 1, symlinks: 0, bytes: 0 };
    const shared = new LinkGroups();
    const visit = (from: ReadNode, to: ScannedDir): void => {
      const sub = new Map(from.children.map(d => [this.dirOf(d), d]));
      const kids = [...to.children, ...sub.keys()].sort((a, b) => compareNames(a.name, b.name));
      kids.forEach((c, i) => {
        if (i > 0 && kids[i - 1].name === c.name)
          throw img.source.fail(`the name ${quoted(`/${c.path}`)} appears twice in its folder`);
      });
      to.children.length = 0;
      for (const c of kids) {
        if (c instanceof ImageFileNode && c.size > 0 && skip.has(c.block)) continue;
        if (epoch !== undefined) c.mtime = epoch;
        if (c instanceof ScannedDir) {
          res.dirs++;
          visit(sub.get(c)!, c);
        } else if (c instanceof ImageFileNode) {
          shared.add(c);
          res.files++;
          res.bytes += c.size;
        } else res.symlinks++;
        to.children.push(c);
      }
    };
    visit(img.tree.root, root);
    // made once: the reader's folders are not held while the image is written
    this.dirs.clear();
    return res;
  }

  private dirOf(n: ReadNode): ScannedDir {
    let d = this.dirs.get(n);
    if (!d) {
      d = new ScannedDir(n.name, n.path, '', modeOf(n, S_IFDIR, PLAIN_DIR_MODE), n.mtime, false);
      this.dirs.set(n, d);
    }
    return d;
  }
}

function fileNode(parent: ScannedDir, n: ReadNode, image: ImageFile): ImageFileNode {
  const extents = n.extents.filter(e => e.size > 0).map(e => ({ offset: e.lba * SECTOR, length: e.size }));
  const at = extents.length === 1 ? extents[0].offset : extents;
  const mode = modeOf(n, S_IFREG, PLAIN_FILE_MODE);
  const block = n.extents.length > 0 ? n.extents[0].lba : 0;
  return new ImageFileNode(parent, n.name, mode, n.mtime, n.size, image, at, block);
}

/**
 * Files whose data starts at the same block with the same size are one file under several names.
 * The first file of each block is found by the block (a number: no key text made per file, which
 * would survive the young generation); another size at that block by `block:size`.
 */
class LinkGroups {
  private readonly byBlock = new Map<number, FileNode>();
  private readonly bySize = new Map<string, FileNode>();
  add(f: ImageFileNode): void {
    if (f.size === 0) return;
    let first = this.byBlock.get(f.block);
    if (!first) {
      this.byBlock.set(f.block, f);
      return;
    }
    const key = `${f.block}:${f.size}`;
    if (first.size !== f.size) {
      first = this.bySize.get(key);
      if (!first) {
        this.bySize.set(key, f);
        return;
      }
    }
    const g: FileGroup = (first.linkGroup ??= { key: `image:${key}`, members: [first] });
    g.members.push(f);
    f.linkGroup = g;
  }
}
