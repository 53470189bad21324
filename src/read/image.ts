/**
 * Read any ISO 9660 image: volume descriptors, path tables, the trees (ISO 9660 / Rock Ridge,
 * Joliet), El Torito, MBR/GPT and the implanted MD5. Fatal damage (nothing sensible can be read)
 * throws a one-line IsoforgeError; inconsistencies are collected in `problems`, which fail the
 * structure check of verify.
 */
import { SECTOR } from '../image/bytes.js';
import type { PartitionInfo } from '../image/extension.js';
import { parsePathTable, type PathTableEntry } from '../image/pathtable.js';
import {
  VD_SET_LBA,
  STANDARD_ID,
  VD_TYPE_BOOT,
  VD_TYPE_PRIMARY,
  VD_TYPE_SUPPLEMENTARY,
  VD_TYPE_TERMINATOR,
  parseVolumeDescriptor,
  type ParsedVolumeDescriptor
} from '../image/voldesc.js';
import { parseBootRecord } from '../boot/eltorito.js';
import { MBR_SECTOR, MBR_TYPE_GPT_PROTECTIVE, mbrTypeText } from '../boot/mbr.js';
import { readElTorito, type BootRead } from './eltorito.js';
import { parseImplantedMd5, type ImplantedMd5 } from '../integrity/isomd5.js';
import { FileKeys } from './file-keys.js';
import { readPartitions } from './partitions.js';
import { ImageSource } from './source.js';
import {
  KEYS_ONLY,
  TreeReader,
  type Budget,
  type FileSink,
  type Namespace,
  type ReadNode,
  type TreeResult
} from './tree.js';

/** ECMA-119 6.2: the volume descriptor set starts at block 16. */
const FIRST_DESCRIPTOR = VD_SET_LBA;
/** More descriptors than this before a terminator is not an image anyone made. */
const MAX_DESCRIPTORS = 64;

export interface IsoImage {
  path: string;
  /** file size in bytes */
  size: number;
  pvd: ParsedVolumeDescriptor;
  jolietVd?: ParsedVolumeDescriptor;
  volumeBlocks: number;
  primary: TreeResult;
  joliet?: TreeResult;
  /** the tree the manifest describes: Rock Ridge, else Joliet, else plain ISO 9660 */
  tree: TreeResult;
  boot?: BootRead;
  partitions: PartitionInfo[];
  md5?: ImplantedMd5;
  problems: string[];
  /** oddities that are not damage (shown by inspect, logged by verify) */
  notes: string[];
  source: ImageSource;
  /** the file of `tree` whose data starts at block `lba` (the first in its walk) */
  fileAt(lba: number): { path: string; size: number } | undefined;
}

/**
 * How much of an image to read. `joliet`: with Rock Ridge, the Joliet tree is read to be compared
 * with the primary ('compare', the default: verify and inspect report what differs), or not at all
 * ('unused': a remaster takes the Rock Ridge tree and writes Joliet names of its own).
 */
export interface ReadOptions {
  joliet?: 'compare' | 'unused';
}

/**
 * Open and read the structures of an image. The caller closes `source` (or uses withImage).
 * `files`: a sink for the files of the tree the manifest describes (`tree`), which then holds its
 * directories alone (a remaster makes its nodes as the walk goes). `opts`: ReadOptions.
 */
export async function readImage(
  path: string,
  files?: (src: ImageSource) => FileSink,
  opts: ReadOptions = {}
): Promise<IsoImage> {
  const src = await ImageSource.open(path);
  try {
    return await readStructures(src, files?.(src), opts);
  } catch (e) {
    await src.close();
    throw e;
  }
}

export async function withImage<T>(path: string, fn: (img: IsoImage) => Promise<T>): Promise<T> {
  const img = await readImage(path);
  try {
    return await fn(img);
  } finally {
    await img.source.close();
  }
}

/** Read the structures of an open image (a file or ImageSource.fromBuffer); `files` as readImage's. */
export async function readStructures(
  src: ImageSource,
  files?: FileSink,
  opts: ReadOptions = {}
): Promise<IsoImage> {
  const problems: string[] = [];
  if (src.size < (FIRST_DESCRIPTOR + 2) * SECTOR) {
    throw src.fail(`${src.size} bytes is too small for an ISO 9660 image (truncated?)`);
  }
  let pvdSector: Buffer | undefined;
  let pvd: ParsedVolumeDescriptor | undefined;
  let jolietVd: ParsedVolumeDescriptor | undefined;
  let catalogLba: number | undefined;
  let terminated = false;
  for (let i = 0; i < MAX_DESCRIPTORS; i++) {
    const lba = FIRST_DESCRIPTOR + i;
    if (!src.inside(lba * SECTOR, SECTOR)) break;
    const b = await src.read(lba * SECTOR, SECTOR, `volume descriptor at block ${lba}`);
    if (b.toString('latin1', 1, 6) !== STANDARD_ID) {
      if (i === 0) throw src.fail('not an ISO 9660 image (no CD001 volume descriptor at block 16)');
      problems.push(
        `volume descriptor set: block ${lba} is not a descriptor and no terminator came before it`
      );
      break;
    }
    const type = b[0];
    if (type === VD_TYPE_TERMINATOR) {
      terminated = true;
      break;
    }
    if (type === VD_TYPE_BOOT) {
      const br = parseBootRecord(b);
      if (br && catalogLba === undefined) catalogLba = br.catalogLba;
    } else if (type === VD_TYPE_PRIMARY && !pvd) {
      pvd = parseVolumeDescriptor(b);
      pvdSector = b;
    } else if (type === VD_TYPE_SUPPLEMENTARY && !jolietVd) {
      const svd = parseVolumeDescriptor(b);
      if (svd.joliet) jolietVd = svd;
    }
  }
  if (!pvd || !pvdSector) throw src.fail('no primary volume descriptor');
  if (!terminated) problems.push('volume descriptor set: no terminator');
  if (pvd.logicalBlockSize !== SECTOR) {
    throw src.fail(`logical block size ${pvd.logicalBlockSize} (only 2048 is supported)`);
  }
  const volumeBlocks = pvd.volumeSpaceSize;
  if (volumeBlocks * SECTOR > src.size) {
    throw src.fail(
      `the volume is ${volumeBlocks * SECTOR} bytes but the file has only ${src.size} (truncated?)`
    );
  }
  if (volumeBlocks < FIRST_DESCRIPTOR + 2)
    throw src.fail(`volume space size ${volumeBlocks} blocks is too small`);

  const budget: Budget = { entries: 0, bytes: 0 };
  const epoch = pvd.created ?? 0;
  // the primary is the tree with Rock Ridge, or without a Joliet tree
  const toPrimary = (ns: Namespace) => (ns === 'rockridge' || !jolietVd ? files : undefined);
  const primary = new TreeReader(src, budget, false, 'ISO 9660', toPrimary).read(pvd.rootRecord, epoch);
  problems.push(...primary.problems);
  await checkPathTables(src, pvd, primary, 'ISO 9660', problems);
  let joliet: TreeResult | undefined;
  if (jolietVd && !(opts.joliet === 'unused' && primary.namespace === 'rockridge')) {
    // with Rock Ridge, the Joliet tree is only compared with it: its files' keys are enough
    const sink = primary.namespace === 'rockridge' ? KEYS_ONLY : files;
    joliet = new TreeReader(src, budget, true, 'Joliet', () => sink).read(jolietVd.rootRecord, epoch);
    problems.push(...joliet.problems);
    await checkPathTables(src, jolietVd, joliet, 'Joliet', problems);
    compareTrees(primary, joliet, problems);
  }
  const tree = primary.namespace === 'rockridge' ? primary : (joliet ?? primary);

  let boot: BootRead | undefined;
  let named: Pick<FileSink, 'at'> | undefined = tree.sink;
  // the tree's files by block, made when first asked (for a boot image's path, mostly)
  const fileAt = (lba: number) => (named ??= filesByBlock(tree.root)).at(lba);
  if (catalogLba !== undefined) {
    boot = await readElTorito(src, catalogLba, lba => fileAt(lba)?.path);
    problems.push(...boot.problems);
  }
  const parts = await readPartitions(src);
  problems.push(...parts.problems);
  if (boot) {
    // a boot image outside the tree (an appended ESP): name the smallest partition holding it,
    // `partition:N`, as the writer's manifest does
    for (const e of boot.entries) {
      const sector = e.lba * (SECTOR / MBR_SECTOR);
      // a file of the tree that a partition is exactly (an ESP stored once, Debian's layout); the
      // GPT's number first, as the hybrid layout numbers its appended partitions
      const at = fileAt(e.lba);
      const size = at?.path === e.path ? at.size : undefined;
      if (size !== undefined) {
        const same = [...parts.partitions]
          .sort(gptFirst)
          .find(
            q =>
              q.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
              q.start === sector &&
              q.sectors === Math.ceil(size / MBR_SECTOR)
          );
        if (same) e.partition = same.number;
      }
      if (!e.path.startsWith('lba:')) continue;
      const holders = parts.partitions
        .filter(
          q =>
            q.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
            sector >= q.start &&
            sector < q.start + q.sectors
        )
        .sort((a, b) => a.sectors - b.sectors);
      if (holders.length > 0) e.path = `partition:${holders[0].number}`;
    }
  }
  return {
    path: src.path,
    size: src.size,
    pvd,
    jolietVd,
    volumeBlocks,
    primary,
    joliet,
    tree,
    boot,
    partitions: parts.partitions,
    md5: parseImplantedMd5(pvdSector),
    problems,
    notes: parts.notes,
    source: src,
    fileAt
  };
}

/** The files of a tree by the block their data starts at (the first in the walk's order). */
function filesByBlock(root: ReadNode): Pick<FileSink, 'at'> {
  const byLba = new Map<number, ReadNode>();
  forEachNode(root, n => {
    if (n.kind === 'file' && n.extents.length > 0 && n.size > 0 && !byLba.has(n.extents[0].lba))
      byLba.set(n.extents[0].lba, n);
  });
  return { at: lba => byLba.get(lba) };
}

const gptFirst = (a: PartitionInfo, b: PartitionInfo) =>
  a.table === b.table ? 0 : a.table === 'gpt' ? -1 : 1;

/**
 * Empty the image's trees and their files' keys (a remaster that has made the build's nodes from
 * them): a tree of many files is then held once while the image is written, not three times. The
 * rest stays as read.
 */
export function releaseTrees(img: IsoImage): void {
  for (const t of [img.primary, img.joliet])
    if (t) {
      t.root.children = [];
      t.fileKeys = undefined;
    }
}

export function forEachNode(root: ReadNode, fn: (n: ReadNode) => void): void {
  const stack: ReadNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as ReadNode;
    fn(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** ECMA-119 9.4: both path tables list exactly the directories of the tree, with valid parents. */
async function checkPathTables(
  src: ImageSource,
  vd: ParsedVolumeDescriptor,
  tree: TreeResult,
  label: string,
  problems: string[]
): Promise<void> {
  const size = vd.pathTableSize;
  const read = async (lba: number, big: boolean): Promise<PathTableEntry[] | undefined> => {
    const what = `${label} ${big ? 'M' : 'L'} path table at block ${lba}`;
    if (!src.inside(lba * SECTOR, size)) {
      problems.push(`${what} (${size} bytes) lies past the end of the image`);
      return undefined;
    }
    try {
      return parsePathTable(await src.read(lba * SECTOR, size, what), big, tree.dirs.size + 1);
    } catch (e) {
      if (e instanceof RangeError) {
        problems.push(`${what}: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  };
  const l = await read(vd.lPathTable, false);
  const m = await read(vd.mPathTable, true);
  for (const [t, name] of [
    [l, 'L'],
    [m, 'M']
  ] as const) {
    if (!t) continue;
    const where = `${label} ${name} path table`;
    if (t.length !== tree.dirs.size) {
      problems.push(`${where} lists ${t.length} directories, the tree has ${tree.dirs.size}`);
      continue;
    }
    for (let i = 0; i < t.length; i++) {
      const e = t[i];
      if (!tree.dirs.has(e.extent)) {
        problems.push(
          `${where}: entry ${i + 1} points to block ${e.extent}, which is no directory of the tree`
        );
        break;
      }
      if (e.parent < 1 || e.parent > i + 1) {
        problems.push(`${where}: entry ${i + 1} has parent ${e.parent}`);
        break;
      }
    }
  }
  if (l && m && l.length === m.length) {
    const differ = l.findIndex(
      (e, i) => e.extent !== m[i].extent || e.parent !== m[i].parent || !e.id.equals(m[i].id)
    );
    if (differ >= 0) problems.push(`${label} L and M path tables disagree at entry ${differ + 1}`);
  }
}

/** The Joliet tree should hold the same files (same data) as the ISO 9660 tree. */
function compareTrees(a: TreeResult, b: TreeResult, problems: string[]): void {
  const [fa, fb] = [a.fileKeys ?? new FileKeys(), b.fileKeys ?? new FileKeys()];
  if (!fa.same(fb)) {
    problems.push(
      `the Joliet tree (${fb.count} files with data) disagrees with the ISO 9660 tree (${fa.count})`
    );
  }
}
