/**
 * The seam that boot structures, partition tables and checksums plug into (after libisofs'
 * writers): the image writer calls each extension at fixed points and knows nothing of what
 * El Torito, MBR or GPT are.
 */
import type { Logger } from '../log.js';
import type { Platform } from '../platform.js';
import type { DirNode, FileNode, LayoutView, SymlinkNode, TreeNode } from './tree.js';

export interface PrepareContext {
  readonly root: DirNode;
  readonly log: Logger;
  /** seconds; every date of generated content */
  readonly epoch: number;
  readonly platform: Platform;
  /** absolute path of the source directory */
  readonly source: string;
  lookup(path: string): TreeNode | undefined;
  /**
   * Add a generated file at `path` (parents are created as needed). `hidden` keeps it out of the
   * directory trees; `order` places its data before the tree's files (lower first).
   */
  addFile(
    path: string,
    file: Omit<FileNode, 'name' | 'path' | 'lba' | 'uid' | 'gid' | 'serial' | 'mtime' | 'mode'> & {
      mode?: number;
    },
    opts?: { hidden?: boolean; order?: number }
  ): FileNode;
  /** Put an existing file's data before the tree's other files (boot images). */
  setOrder(file: FileNode, order: number): void;
  /**
   * Take a file or symbolic link of the source out of the tree (a generated file replaces it);
   * a hard link's other names keep their data.
   */
  remove(node: FileNode | SymlinkNode): void;
}

/** A region of the image outside the ISO 9660 volume, written after it (appended partitions). */
export interface AppendedRegion {
  name: string;
  bytes: number;
  /** the region's bytes, exactly `bytes` long (shorter is zero-filled) */
  produce(layout: LayoutView): AsyncIterable<Buffer> | Buffer;
  /**
   * A file of the tree whose bytes the region is (stored once: its directory records point at the
   * region, and the volume space size counts the regions, as xorriso's counts its appended
   * partitions); `bytes` is its size and `produce` is not called.
   */
  file?: FileNode;
}

export interface BootEntryInfo {
  platform: 'bios' | 'uefi' | string;
  /** path inside the image, or `partition:N` (an appended partition, all of it) */
  path: string;
  /** a reader's finding: the image file at `path` is exactly partition N too (stored once) */
  partition?: number;
  emulation: 'none' | string;
  /** sector count as written in the catalog (512-byte units) */
  loadSize: number;
  /** LBA (2048-byte blocks) */
  lba: number;
  bootInfoTable?: boolean;
}

export interface PartitionInfo {
  table: 'mbr' | 'gpt';
  number: number;
  type: string;
  name?: string;
  /** in 512-byte sectors */
  start: number;
  sectors: number;
  bootable?: boolean;
}

export interface ImageExtension {
  readonly name: string;
  /** Add or adjust nodes before names and blocks are assigned. */
  prepare?(ctx: PrepareContext): Promise<void> | void;
  /** How many volume descriptors this extension puts right after the PVD (the boot record). */
  readonly volumeDescriptorCount?: number;
  encodeVolumeDescriptors?(layout: LayoutView): Buffer[];
  /** Regions written after the ISO 9660 volume, in order. */
  appendedRegions?(): AppendedRegion[];
  /**
   * Zeros after the volume and the appended regions (the plan's zero writer): at least `bytes`,
   * more to end the image at a multiple of `align` bytes.
   */
  readonly padding?: { bytes: number; align: number };
  /**
   * The image's last bytes (a backup GPT), after every padding; at most one extension has them.
   * `sizeSoFar` is the image size without them. They are produced at write time.
   */
  tail?(sizeSoFar: number): { bytes: number; produce(layout: LayoutView): Buffer } | undefined;
  /** Fill the system area (blocks 0-15, 32 KiB) once the layout is final. */
  systemArea?(layout: LayoutView, area: Buffer): void;
  /** ISO 9660 superblock copy at this many blocks into the image (partition offset), or 0. */
  readonly partitionOffset?: number;
  /** What the manifest records about this extension. */
  describe?(layout: LayoutView): { boot?: BootEntryInfo[]; partitions?: PartitionInfo[] };
}
