/**
 * The FAT builder: nodes of the scanned source tree → a FAT12/16/32 file system image, in pure
 * TypeScript, so `--uefi-boot EFI` (a folder) becomes an EFI system partition without mkfs.vfat or
 * mtools. Metadata (directories, FAT) is built in memory; file contents are streamed from disk by
 * produce(). Deterministic: every date and the volume serial derive from `epoch` alone.
 *
 * Layout (fatgen103): reserved sectors (boot sector; on FAT32 also FSInfo and their backups at
 * sectors 6 and 7) · FAT #1 · FAT #2 · root directory (FAT12/16 only) · data clusters. Clusters are
 * handed out contiguously: the FAT32 root first, then for each directory (pre-order) its
 * subdirectories' listings and its files, in name order; free space is all at the end.
 */
import { createHash } from 'node:crypto';
import { cliFlag, optionError } from '../errors.js';
import { SECTOR } from '../image/bytes.js';
import type { TreeNode } from '../image/tree.js';
import type { Logger } from '../log.js';
import {
  BACKUP_BOOT_SECTOR,
  BYTES_PER_SECTOR,
  FSINFO_SECTOR,
  MAX_TOTAL_SECTORS,
  candidateGeometries,
  encodeBootSector,
  encodeFat,
  encodeFsInfo,
  type FatGeometry
} from './fat-layout.js';
import {
  ATTR_ARCHIVE,
  ATTR_DIRECTORY,
  ATTR_VOLUME_ID,
  DIR_ENTRY_SIZE,
  dosStamp,
  labelKey,
  writeLongEntries,
  writeShortEntry,
  type DosStamp
} from './fat-names.js';
import { collectTree, type FatDir, type FatFile } from './fat-tree.js';
import { readFileChunks } from './source-chunks.js';

export interface FatImage {
  size: number; // total bytes, a multiple of 2048
  fatType: 12 | 16 | 32;
  produce(): AsyncIterable<Buffer>; // streams exactly `size` bytes, reading file contents from disk as it goes
}

export interface FatOptions {
  epoch: number; // seconds: every date, and the volume serial, derive from it (deterministic)
  size?: number; // bytes (the `uefi-boot-size` option); default: content + a little slack
  label?: string; // volume label, default 'EFIBOOT'
  log?: Logger;
  option?: string; // option name for error messages, default 'uefi-boot'
}

/** The image size is a whole number of 2048-byte blocks (El Torito and the ISO address it so). */
/** The image's block: the FAT image is sized in whole ISO 9660 blocks. */
const BLOCK = SECTOR;
const MIB = 1 << 20;
/**
 * Default size: the content counted in 4 KiB clusters, plus 10% and 256 KiB of slack (room for the
 * FATs, the root directory, and a little for whoever mounts it), rounded up to a whole MiB; grown a
 * MiB at a time in the rare case the chosen cluster size wastes more than that.
 */
const SLACK_FRACTION = 0.1;
const SLACK_BYTES = 256 * 1024;
const ESTIMATE_CLUSTER = 4096;

const clustersFor = (bytes: number, cb: number) => Math.ceil(bytes / cb);

interface Content {
  root: FatDir;
  files: FatFile[];
  dirs: FatDir[];
}

/** Data clusters the content takes; the root directory is in the data region on FAT32 only. */
function need(c: Content, clusterBytes: number, rootInData: boolean): number {
  let n = 0;
  for (const f of c.files) n += clustersFor(f.node.size, clusterBytes);
  for (const d of c.dirs)
    if (d !== c.root || rootInData) n += Math.max(1, clustersFor(d.entries * DIR_ENTRY_SIZE, clusterBytes));
  return n;
}

/** The first candidate geometry of `totalSectors` that holds the content, if any. */
function fits(c: Content, totalSectors: number): FatGeometry | undefined {
  for (const g of candidateGeometries(totalSectors, c.root.entries))
    if (need(c, g.clusterBytes, g.fatType === 32) <= g.clusterCount) return g;
  return undefined;
}

/** The smallest size in whole 2048-byte blocks that holds the content (a binary search), in bytes. */
function smallestFit(c: Content, tooSmall: number, estimate: number): number {
  let lo = tooSmall / BLOCK;
  let hi = Math.max(lo + 1, defaultSize(estimate) / BLOCK);
  while (!fits(c, (hi * BLOCK) / BYTES_PER_SECTOR) && hi * BLOCK < MAX_TOTAL_SECTORS * BYTES_PER_SECTOR)
    hi *= 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(c, (mid * BLOCK) / BYTES_PER_SECTOR)) hi = mid;
    else lo = mid;
  }
  return hi * BLOCK;
}

/** Geometry: the given size (which must hold the content), or the content plus slack. */
function chooseGeometry(c: Content, opts: FatOptions, option: string): FatGeometry {
  const estimate = need(c, ESTIMATE_CLUSTER, true) * ESTIMATE_CLUSTER;
  if (opts.size === undefined) {
    for (let size = defaultSize(estimate); ; size += MIB) {
      if (size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
        throw optionError(option, `${estimate} bytes of content do not fit a FAT image`);
      const g = fits(c, size / BYTES_PER_SECTOR);
      if (g) return g;
    }
  }
  const sizeName = `${option}-size`;
  const sizeOption = cliFlag(sizeName);
  const size = Math.ceil(opts.size / BLOCK) * BLOCK;
  if (!Number.isFinite(size) || size <= 0 || size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
    throw optionError(sizeName, `${opts.size} bytes is not a FAT size (up to 2 TiB)`);
  if (size !== opts.size)
    opts.log?.info(
      `${sizeOption}: ${opts.size} bytes rounded up to ${size} (a whole number of 2048-byte blocks)`
    );
  const g = fits(c, size / BYTES_PER_SECTOR);
  if (g) return g;
  throw optionError(
    sizeName,
    `a FAT image of ${size} bytes cannot hold the ${plural(c.files.length, 'file')} and ${plural(c.dirs.length - 1, 'folder')} of ${cliFlag(option)}; they need at least ${smallestFit(c, size, estimate)} bytes (or leave ${sizeOption} unset)`
  );
}

/** A run of clusters: one chain in the FAT. */
type Extent = { first: number; count: number; file?: FatFile; dir?: FatDir };

/** Clusters, contiguous, in a fixed order (the FAT32 root, then each directory's children). */
function allocateClusters(root: FatDir, g: FatGeometry): { extents: Extent[]; next: number } {
  const cb = g.clusterBytes;
  const extents: Extent[] = [];
  let next = 2;
  const take = (count: number, item: Pick<Extent, 'file' | 'dir'>): number => {
    if (count === 0) return 0;
    extents.push({ first: next, count, ...item });
    next += count;
    return next - count;
  };
  const dirClusters = (d: FatDir) => Math.max(1, clustersFor(d.entries * DIR_ENTRY_SIZE, cb));
  if (g.fatType === 32) {
    root.clusters = dirClusters(root);
    root.cluster = take(root.clusters, { dir: root });
  }
  const place = (d: FatDir): void => {
    for (const c of d.children) {
      if (c.kind === 'dir') {
        c.clusters = dirClusters(c);
        c.cluster = take(c.clusters, { dir: c });
      } else c.cluster = take(clustersFor(c.node.size, cb), { file: c });
    }
    for (const c of d.children) if (c.kind === 'dir') place(c);
  };
  place(root);
  return { extents, next };
}

/** Every directory's listing; `parentCluster` 0 for directories in the root, also on FAT32 (fatgen103). */
function encodeListings(root: FatDir, g: FatGeometry, label: string, stamp: DosStamp): Map<FatDir, Buffer> {
  const listings = new Map<FatDir, Buffer>();
  const encodeDir = (d: FatDir, parentCluster: number | undefined): void => {
    const isRoot = parentCluster === undefined;
    const bytes =
      isRoot && g.fatType !== 32 ? g.rootDirSectors * BYTES_PER_SECTOR : d.clusters * g.clusterBytes;
    const buf = Buffer.alloc(bytes);
    let off = 0;
    if (isRoot) {
      writeShortEntry(buf, off, label, ATTR_VOLUME_ID, 0, 0, stamp);
      off += DIR_ENTRY_SIZE;
    } else {
      writeShortEntry(buf, off, '.'.padEnd(11), ATTR_DIRECTORY, d.cluster, 0, stamp);
      writeShortEntry(buf, off + DIR_ENTRY_SIZE, '..'.padEnd(11), ATTR_DIRECTORY, parentCluster, 0, stamp);
      off += 2 * DIR_ENTRY_SIZE;
    }
    for (const c of d.children) {
      const name = c.kind === 'dir' ? c.name : c.node.name;
      if (c.lfn) off = writeLongEntries(buf, off, name, c.key);
      if (c.kind === 'dir') writeShortEntry(buf, off, c.key, ATTR_DIRECTORY, c.cluster, 0, stamp);
      else writeShortEntry(buf, off, c.key, ATTR_ARCHIVE, c.cluster, c.node.size, stamp);
      off += DIR_ENTRY_SIZE;
    }
    listings.set(d, buf);
    for (const c of d.children) if (c.kind === 'dir') encodeDir(c, isRoot ? 0 : d.cluster);
  };
  encodeDir(root, undefined);
  return listings;
}

/** The image's bytes in order: reserved region, both FATs, the FAT12/16 root, the clusters. */
async function* produceFat(
  g: FatGeometry,
  meta: {
    boot: Buffer;
    fsInfo: Buffer | undefined;
    fat: Buffer;
    listings: Map<FatDir, Buffer>;
    root: FatDir;
  },
  extents: readonly Extent[],
  option: string
): AsyncGenerator<Buffer> {
  const size = g.totalSectors * BYTES_PER_SECTOR;
  const zero = Buffer.alloc(Math.min(MIB, size)); // shared by the zero runs of this pass; never written to
  function* zeros(bytes: number): Generator<Buffer> {
    for (let left = bytes; left > 0; left -= zero.length) yield zero.subarray(0, Math.min(left, zero.length));
  }
  let emitted = 0;
  const emit = function* (parts: Iterable<Buffer>): Generator<Buffer> {
    for (const p of parts) {
      emitted += p.length;
      yield p;
    }
  };
  const { boot, fsInfo, fat, listings } = meta;
  const reserved = Buffer.alloc(g.reservedSectors * BYTES_PER_SECTOR);
  boot.copy(reserved, 0);
  if (fsInfo) {
    fsInfo.copy(reserved, FSINFO_SECTOR * BYTES_PER_SECTOR);
    boot.copy(reserved, BACKUP_BOOT_SECTOR * BYTES_PER_SECTOR);
    fsInfo.copy(reserved, (BACKUP_BOOT_SECTOR + FSINFO_SECTOR) * BYTES_PER_SECTOR);
  }
  yield* emit([reserved, fat, fat]);
  if (g.fatType !== 32) yield* emit([listings.get(meta.root) as Buffer]);
  for (const e of extents) {
    if (e.dir) yield* emit([listings.get(e.dir) as Buffer]);
    else if (e.file) {
      for await (const chunk of readFileChunks(e.file.node, option)) yield* emit([chunk]);
      yield* emit(zeros(e.count * g.clusterBytes - e.file.node.size));
    }
  }
  yield* emit(zeros(size - emitted));
  if (emitted !== size) throw new Error(`FAT builder: wrote ${emitted} bytes instead of ${size}`);
}

/** `entries` become the FAT root: for `--uefi-boot EFI` that is [the EFI DirNode], so the FAT holds /EFI/BOOT/BOOTX64.EFI. */
export async function buildFat(entries: readonly TreeNode[], opts: FatOptions): Promise<FatImage> {
  const option = opts.option ?? 'uefi-boot';
  if (!Number.isFinite(opts.epoch))
    throw optionError(option, `the epoch ${opts.epoch} is not a number of seconds`);
  const label = labelKey(opts.label ?? 'EFIBOOT');
  if (label === undefined)
    throw optionError(
      option,
      `volume label ${JSON.stringify(opts.label)} is not 1-11 FAT short-name characters`
    );
  const stamp = dosStamp(opts.epoch);
  // the volume serial (BS_VolID): the first 4 bytes of SHA-256 over the epoch, so a pure function of it
  const serial = createHash('sha256').update(`isoforge-fat-serial/${opts.epoch}`).digest().readUInt32LE(0);

  // 1. the directory tree with short names and entry counts; 2. the geometry; 3. the clusters;
  // 4. the metadata sectors; then the bytes, streamed
  const content = collectTree(entries, label, option, opts.log);
  const g = chooseGeometry(content, opts, option);
  const { extents, next } = allocateClusters(content.root, g);
  const used = next - 2;
  const listings = encodeListings(content.root, g, label, stamp);
  const fat = encodeFat(g, extents);
  const boot = encodeBootSector(g, serial, label);
  const free = g.clusterCount - used;
  const fsInfo = g.fatType === 32 ? encodeFsInfo(free, free > 0 ? next : 0xffffffff) : undefined;
  const size = g.totalSectors * BYTES_PER_SECTOR;
  opts.log?.debug(
    `FAT${g.fatType}: ${size} bytes, ${g.clusterCount} clusters of ${g.clusterBytes} bytes, ${used} used by ${content.files.length} files and ${content.dirs.length} directories`
  );
  const meta = { boot, fsInfo, fat, listings, root: content.root };
  return { size, fatType: g.fatType, produce: () => produceFat(g, meta, extents, option) };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function defaultSize(contentBytes: number): number {
  return Math.max(MIB, Math.ceil((contentBytes * (1 + SLACK_FRACTION) + SLACK_BYTES) / MIB) * MIB);
}
