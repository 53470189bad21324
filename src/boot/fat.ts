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
import { IsoforgeError } from '../errors.js';
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
  writeShortEntry
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

/** `entries` become the FAT root: for `--uefi-boot EFI` that is [the EFI DirNode], so the FAT holds /EFI/BOOT/BOOTX64.EFI. */
export async function buildFat(entries: readonly TreeNode[], opts: FatOptions): Promise<FatImage> {
  const option = opts.option ?? 'uefi-boot';
  const log = opts.log;
  if (!Number.isFinite(opts.epoch))
    throw new IsoforgeError(`--${option}: the epoch ${opts.epoch} is not a number of seconds`, {
      subject: `--${option}`
    });
  const label = labelKey(opts.label ?? 'EFIBOOT');
  if (label === undefined)
    throw new IsoforgeError(
      `--${option}: volume label ${JSON.stringify(opts.label)} is not 1-11 FAT short-name characters`,
      { subject: `--${option}` }
    );
  const stamp = dosStamp(opts.epoch);
  // the volume serial (BS_VolID): the first 4 bytes of SHA-256 over the epoch, so a pure function of it
  const serial = createHash('sha256').update(`isoforge-fat-serial/${opts.epoch}`).digest().readUInt32LE(0);

  // 1. The directory tree with short names and entry counts.
  const { root, files, dirs } = collectTree(entries, label, option, log);

  // 2. Geometry: the given size, or the content plus slack.
  const clustersFor = (bytes: number, cb: number) => Math.ceil(bytes / cb);
  /** data clusters the content takes; the root directory is in the data region on FAT32 only */
  const need = (clusterBytes: number, rootInData: boolean): number => {
    let n = 0;
    for (const f of files) n += clustersFor(f.node.size, clusterBytes);
    for (const d of dirs)
      if (d !== root || rootInData) n += Math.max(1, clustersFor(d.entries * DIR_ENTRY_SIZE, clusterBytes));
    return n;
  };
  const fits = (totalSectors: number): FatGeometry | undefined => {
    for (const g of candidateGeometries(totalSectors, root.entries))
      if (need(g.clusterBytes, g.fatType === 32) <= g.clusterCount) return g;
    return undefined;
  };
  const estimate = need(ESTIMATE_CLUSTER, true) * ESTIMATE_CLUSTER;
  let geometry: FatGeometry | undefined;
  if (opts.size !== undefined) {
    const sizeOption = `--${option}-size`;
    const size = Math.ceil(opts.size / BLOCK) * BLOCK;
    if (!Number.isFinite(size) || size <= 0 || size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
      throw new IsoforgeError(`${sizeOption}: ${opts.size} bytes is not a FAT size (up to 2 TiB)`, {
        subject: sizeOption
      });
    if (size !== opts.size)
      log?.info(
        `${sizeOption}: ${opts.size} bytes rounded up to ${size} (a whole number of 2048-byte blocks)`
      );
    geometry = fits(size / BYTES_PER_SECTOR);
    if (!geometry) {
      // the smallest size that holds the content (binary search over whole 2048-byte blocks)
      let lo = size / BLOCK;
      let hi = Math.max(lo + 1, defaultSize(estimate) / BLOCK);
      while (!fits((hi * BLOCK) / BYTES_PER_SECTOR) && hi * BLOCK < MAX_TOTAL_SECTORS * BYTES_PER_SECTOR)
        hi *= 2;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits((mid * BLOCK) / BYTES_PER_SECTOR)) hi = mid;
        else lo = mid;
      }
      throw new IsoforgeError(
        `${sizeOption}: a FAT image of ${size} bytes cannot hold the ${plural(files.length, 'file')} and ${plural(dirs.length - 1, 'folder')} of --${option}; they need at least ${hi * BLOCK} bytes (or leave ${sizeOption} unset)`,
        { subject: sizeOption }
      );
    }
  } else {
    for (let size = defaultSize(estimate); !geometry; size += MIB) {
      if (size / BYTES_PER_SECTOR > MAX_TOTAL_SECTORS)
        throw new IsoforgeError(`--${option}: ${estimate} bytes of content do not fit a FAT image`, {
          subject: `--${option}`
        });
      geometry = fits(size / BYTES_PER_SECTOR);
    }
  }
  const g = geometry;
  const cb = g.clusterBytes;

  // 3. Clusters, contiguous, in a fixed order; each extent is one chain in the FAT.
  type Extent = { first: number; count: number; file?: FatFile; dir?: FatDir };
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
  const used = next - 2;

  // 4. Metadata sectors.
  const listings = new Map<FatDir, Buffer>();
  /** `parentCluster` undefined for the root; 0 for directories in the root, also on FAT32 (fatgen103). */
  const encodeDir = (d: FatDir, parentCluster: number | undefined): void => {
    const isRoot = parentCluster === undefined;
    const bytes = isRoot && g.fatType !== 32 ? g.rootDirSectors * BYTES_PER_SECTOR : d.clusters * cb;
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
  const fat = encodeFat(g, extents);
  const boot = encodeBootSector(g, serial, label);
  const free = g.clusterCount - used;
  const fsInfo = g.fatType === 32 ? encodeFsInfo(free, free > 0 ? next : 0xffffffff) : undefined;
  const size = g.totalSectors * BYTES_PER_SECTOR;
  log?.debug(
    `FAT${g.fatType}: ${size} bytes, ${g.clusterCount} clusters of ${cb} bytes, ${used} used by ${files.length} files and ${dirs.length} directories`
  );

  async function* produce(): AsyncGenerator<Buffer> {
    const zero = Buffer.alloc(Math.min(MIB, size)); // shared by the zero runs of this pass; never written to
    function* zeros(bytes: number): Generator<Buffer> {
      for (let left = bytes; left > 0; left -= zero.length)
        yield zero.subarray(0, Math.min(left, zero.length));
    }
    let emitted = 0;
    const emit = function* (parts: Iterable<Buffer>): Generator<Buffer> {
      for (const p of parts) {
        emitted += p.length;
        yield p;
      }
    };
    // reserved region
    const reserved = Buffer.alloc(g.reservedSectors * BYTES_PER_SECTOR);
    boot.copy(reserved, 0);
    if (fsInfo) {
      fsInfo.copy(reserved, FSINFO_SECTOR * BYTES_PER_SECTOR);
      boot.copy(reserved, BACKUP_BOOT_SECTOR * BYTES_PER_SECTOR);
      fsInfo.copy(reserved, (BACKUP_BOOT_SECTOR + FSINFO_SECTOR) * BYTES_PER_SECTOR);
    }
    yield* emit([reserved, fat, fat]);
    if (g.fatType !== 32) yield* emit([listings.get(root) as Buffer]);
    for (const e of extents) {
      if (e.dir) yield* emit([listings.get(e.dir) as Buffer]);
      else if (e.file) {
        for await (const chunk of readFileChunks(e.file.node, option)) yield* emit([chunk]);
        yield* emit(zeros(e.count * cb - e.file.node.size));
      }
    }
    yield* emit(zeros(size - emitted));
    if (emitted !== size) throw new Error(`FAT builder: wrote ${emitted} bytes instead of ${size}`);
  }

  return { size, fatType: g.fatType, produce };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function defaultSize(contentBytes: number): number {
  return Math.max(MIB, Math.ceil((contentBytes * (1 + SLACK_FRACTION) + SLACK_BYTES) / MIB) * MIB);
}
