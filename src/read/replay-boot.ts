/**
 * A remaster's boot replay: the source image's boot setup as the boot options a user could have
 * typed (the same values `inspect --as-options` prints), so that the build boots as the source
 * did. Its El Torito entries in order become `--boot` entries (an image of the tree, or an
 * appended partition); the partitions after the ISO volume become appended partitions whose bytes
 * are the source image's range; the MBR boot code (bytes 0-431) is kept with the kind its boot
 * address (bytes 432-439) says; the layout is hybrid when the source had an MBR partition table.
 * What the options cannot say (an Apple partition map, unless dropped, a platform other than
 * BIOS/UEFI, an entry pointing to no file and no appended partition) is an error naming it.
 */
import { FIRST_APPENDED, LAST_APPENDED, type AppendedRange } from '../boot/appended.js';
import {
  BOOT_INFO_TABLE,
  GRUB2_BOOT_INFO,
  grub2BootInfoFor,
  parseBootInfoTable,
  readGrub2BootInfo
} from '../boot/bootinfo.js';
import {
  MBR_BOOT_ADDRESS_OFFSET,
  MBR_CODE_BYTES,
  MBR_SECTOR,
  MBR_TYPE_GPT_PROTECTIVE,
  mbrBootAddress,
  mbrTypeText
} from '../boot/mbr.js';
import { GPT_TYPE_HFS_PLUS } from '../boot/gpt.js';
import type { BuildConfig } from '../config.js';
import { optionError } from '../errors.js';
import { SECTOR } from '../image/bytes.js';
import type { BootEntryInfo, PartitionInfo } from '../image/extension.js';
import type { ImageFile } from '../image/tree.js';
import { VD_SET_LBA } from '../image/voldesc.js';
import { shown } from '../text.js';
import type { IsoImage } from './image.js';

/** The boot options replayBoot sets (every boot option: the replay replaces them all). */
export type BootOptions = Pick<
  BuildConfig,
  | 'biosBoot'
  | 'uefiBoot'
  | 'boot'
  | 'appendPartition'
  | 'appendedRanges'
  | 'bootCatalog'
  | 'bootCatalogHide'
  | 'hybrid'
  | 'mbrTemplate'
  | 'mbrCode'
  | 'mbrKind'
>;

/**
 * Apple Partition Map (Inside Macintosh: Devices, 3-12): a driver descriptor map ('ER' and the
 * block size, big-endian, at byte 2) in block 0, and the map's first entry ('PM') in block 1.
 */
const APM = { ddm: 'ER', blockSize: 2, entry: 'PM', largestBlock: SECTOR } as const;

function hasApm(head: Buffer): boolean {
  if (head.toString('latin1', 0, 2) !== APM.ddm) return false;
  const size = head.readUInt16BE(APM.blockSize);
  if (size < MBR_SECTOR || size > APM.largestBlock || head.length < size + 2) return false;
  return head.toString('latin1', size, size + 2) === APM.entry;
}

/** A GPT entry over HFS+ data (xorriso -hfsplus writes one beside its APM). */
const isHfsPlus = (p: PartitionInfo) => p.table === 'gpt' && p.type === GPT_TYPE_HFS_PLUS;

/**
 * The source image's Apple boot structures in words, undefined when it has no APM: the map and the
 * HFS+ file system it points to (xorriso -hfsplus, always with grub-mkrescue), with the GPT entries
 * that cover the HFS+ data. Neither is replayed: `--replay-boot without-apm` drops them.
 */
function appleText(img: IsoImage, head: Buffer): string | undefined {
  if (!hasApm(head)) return undefined;
  const hfs = img.partitions
    .filter(isHfsPlus)
    .map(p => `GPT partition ${p.number}${p.name ? ` ${shown(p.name)}` : ''}`);
  return `the Apple partition map (APM) and its HFS+ file system${hfs.length ? ` (${hfs.join(', ')})` : ''}`;
}

/** xorriso names the GPT entries that only cover padding Gap0, Gap1… (libisofs system_area.c). */
const XORRISO_GAP_NAME = /^Gap\d+$/;
/** Sectors (512 bytes) per ISO 9660 block. */
const SECTORS_PER_BLOCK = SECTOR / MBR_SECTOR;

const cannot = (img: IsoImage, what: string, ways = 'give boot options, or --replay-boot false') =>
  optionError('replay-boot', `cannot replay ${what} of ${img.path}; ${ways}`);

/**
 * The partitions after the tree's data (xorriso's -append_partition): the GPT's entries when there
 * is a GPT (Ubuntu, archiso, -appended_part_as_gpt), else the MBR's (memtest86+). Not "after the
 * volume": xorriso's volume space size counts the appended partitions too. `dataEnd`: the first
 * 512-byte sector after every file of the tree.
 */
function appendedRanges(img: IsoImage, image: ImageFile, dataEnd: number): AppendedRange[] {
  const gpt = img.partitions.filter(p => p.table === 'gpt');
  const table = gpt.length > 0 ? gpt : img.partitions.filter(p => p.table === 'mbr');
  const after = (p: PartitionInfo) =>
    p.start >= dataEnd &&
    p.sectors > 0 &&
    p.type !== mbrTypeText(MBR_TYPE_GPT_PROTECTIVE) &&
    !XORRISO_GAP_NAME.test(p.name ?? '');
  return table.filter(after).map(p => {
    if (p.number < FIRST_APPENDED || p.number > LAST_APPENDED)
      throw cannot(img, `${p.table} partition ${p.number} after the volume (appended partitions are 2-4)`);
    return {
      number: p.number,
      type: p.type,
      image,
      offset: p.start * MBR_SECTOR,
      length: p.sectors * MBR_SECTOR
    };
  });
}

/** Whether the BIOS image at `lba` carries a boot info table, and GRUB2 boot info, for its place. */
async function patched(
  img: IsoImage,
  lba: number,
  size: number
): Promise<{ table: boolean; grub2: boolean }> {
  const head = await img.source.read(lba * SECTOR, Math.min(size, GRUB2_BOOT_INFO.end), 'boot image');
  const info = head.length >= BOOT_INFO_TABLE.end ? parseBootInfoTable(head) : undefined;
  const table = info !== undefined && info.pvdLba === VD_SET_LBA && info.fileLba === lba;
  const grub2 = head.length >= GRUB2_BOOT_INFO.end && readGrub2BootInfo(head) === grub2BootInfoFor(lba);
  return { table, grub2 };
}

/** The reader's emulation name (`floppy-1.44M`) as --boot's (`floppy`). */
const emulationOf = (e: BootEntryInfo) =>
  e.emulation.startsWith('floppy') ? 'floppy' : e.emulation === 'hard-disk' ? 'hard-disk' : 'none';

/** The first appended partition number neither `taken` nor GPT entry 1 (the ISO 9660 data). */
function freePartition(taken: ReadonlySet<number>): number | undefined {
  for (let n = FIRST_APPENDED; n <= LAST_APPENDED; n++) if (!taken.has(n)) return n;
  return undefined;
}

/**
 * The UEFI entries whose image, a file of the tree, is stored once as an appended partition
 * (`image=PATH partition=N`), by entry: one that a partition of the source is exactly (the
 * reader's BootEntryInfo.partition: Debian's -isohybrid-gpt-basdat, grub-mkrescue) keeps its
 * number; a hybrid source with no partition for its UEFI image and none appended (iPXE) has its
 * first one become the first free number, so that the image boots from a disk under UEFI too.
 */
function inTreePartitions(
  img: IsoImage,
  files: ReadonlyMap<string, number>,
  ranges: readonly AppendedRange[],
  hybrid: boolean
): Map<BootEntryInfo, number> {
  const taken = new Set(ranges.map(r => r.number));
  const out = new Map<BootEntryInfo, number>();
  const uefi = (img.boot?.entries ?? []).filter(
    e => e.platform === 'uefi' && emulationOf(e) === 'none' && files.has(e.path)
  );
  for (const e of uefi) {
    if (e.partition === undefined) continue;
    const n =
      e.partition >= FIRST_APPENDED && e.partition <= LAST_APPENDED && !taken.has(e.partition)
        ? e.partition
        : freePartition(taken);
    if (n === undefined) continue;
    taken.add(n);
    out.set(e, n);
  }
  const first = freePartition(taken);
  if (hybrid && out.size === 0 && ranges.length === 0 && uefi.length > 0 && first !== undefined)
    out.set(uefi[0], first);
  return out;
}

/** One catalog entry as a `--boot` text; `partition`: its tree image is that appended partition too. */
async function entryText(
  img: IsoImage,
  e: BootEntryInfo,
  i: number,
  files: ReadonlyMap<string, number>,
  ranges: readonly AppendedRange[],
  partition: number | undefined
): Promise<string> {
  const which = `boot entry ${i + 1} (${e.platform}, ${e.path})`;
  if (e.platform !== 'bios' && e.platform !== 'uefi') throw cannot(img, `${which}: platform ${e.platform}`);
  const emulation = emulationOf(e);
  const size = files.get(e.path);
  const keys = [`platform=${e.platform}`];
  if (size !== undefined) {
    if (/\s/.test(e.path)) throw cannot(img, `${which}: a path with white space in a --boot entry`);
    keys.push(`image=${e.path}`);
    if (partition !== undefined) keys.push(`partition=${partition}`);
  } else {
    const range = ranges.find(r => r.offset === e.lba * SECTOR);
    if (!range) throw cannot(img, `${which}: its image is no file of the tree and no appended partition`);
    keys.push(`partition=${range.number}`);
  }
  if (emulation !== 'none') keys.push(`emulation=${emulation}`);
  if (e.loadSize > 0) keys.push(`load-size=${e.loadSize}`);
  if (size !== undefined && e.platform === 'bios' && emulation === 'none') {
    const found = await patched(img, e.lba, size);
    keys.push(`info-table=${found.table}`, `grub2-boot-info=${found.grub2}`);
  }
  return keys.join(' ');
}

/** The MBR kind whose boot address (bytes 432-439) the source's MBR holds for its BIOS image. */
function mbrKindOf(head: Buffer, lba: number | undefined): BuildConfig['mbrKind'] {
  if (lba === undefined) return 'auto';
  const address = head.readBigUInt64LE(MBR_BOOT_ADDRESS_OFFSET);
  if (address === mbrBootAddress('grub2', lba)) return 'grub2';
  if (address === mbrBootAddress('isohybrid', lba)) return 'isohybrid';
  return 'auto';
}

/**
 * The source image's boot setup as boot options; undefined when it has no El Torito catalog.
 * `image`: the source image as the build reads it (the appended partitions' bytes). An Apple
 * partition map is an error, unless `dropApm` is given (`--replay-boot without-apm`, `inspect
 * --as-options`): then it and its HFS+ file system are left out and `dropApm` is told what they are.
 */
export async function replayBoot(
  img: IsoImage,
  image: ImageFile,
  dropApm?: (apple: string) => void
): Promise<BootOptions | undefined> {
  const boot = img.boot;
  if (!boot || boot.entries.length === 0) return undefined;
  const head = await img.source.read(0, Math.min(img.size, 2 * SECTOR), 'system area');
  const apple = appleText(img, head);
  if (apple) {
    const ways = 'give --replay-boot without-apm (drops it), boot options, or --replay-boot false';
    if (!dropApm) throw cannot(img, apple, ways);
    dropApm(apple);
    // its HFS+ entries go with it wherever they lie (grub-mkrescue's is inside the tree's data)
    img = { ...img, partitions: img.partitions.filter(p => !isHfsPlus(p)) };
  }
  // the entries' images that are files of the tree, with their sizes
  const files = new Map<string, number>();
  for (const e of boot.entries) {
    const f = img.fileAt(e.lba);
    if (f?.path === e.path) files.set(f.path, f.size);
  }
  const catalog = img.fileAt(boot.catalogLba)?.path;
  const dataEnd = Math.max(
    (boot.catalogLba + 1) * SECTORS_PER_BLOCK,
    Math.ceil(img.tree.dataEnd / MBR_SECTOR)
  );
  const ranges = appendedRanges(img, image, dataEnd);
  const mbr = img.partitions.some(p => p.table === 'mbr');
  const inTree = inTreePartitions(img, files, ranges, mbr);
  const texts: string[] = [];
  for (const [i, e] of boot.entries.entries())
    texts.push(await entryText(img, e, i, files, ranges, inTree.get(e)));
  // the MBR code starts the first BIOS no-emulation image of the tree, else the first emulated one
  const biosImages = boot.entries.filter(e => e.platform === 'bios' && files.has(e.path));
  const biosImage = biosImages.find(e => e.emulation === 'none') ?? biosImages[0];
  const code = head.subarray(0, MBR_CODE_BYTES);
  const keepCode = mbr && biosImage !== undefined && code.some(b => b !== 0);
  return {
    biosBoot: [],
    uefiBoot: [],
    boot: texts,
    appendPartition: [],
    appendedRanges: ranges,
    bootCatalog: catalog ?? 'boot.catalog',
    bootCatalogHide: catalog === undefined,
    hybrid: mbr,
    mbrTemplate: undefined,
    mbrCode: keepCode ? Buffer.from(code) : undefined,
    mbrKind: keepCode ? mbrKindOf(head, biosImage.lba) : 'auto'
  };
}

/** What a replay would have set, in a few words (the log line of a replay not done). */
export function bootSummary(img: IsoImage): string {
  const entries = img.boot?.entries ?? [];
  const parts = img.partitions.map(p => `${p.table} ${p.number}`);
  return [
    `${entries.length} El Torito entr${entries.length === 1 ? 'y' : 'ies'}${entries.length ? ` (${entries.map(e => `${shown(e.platform)} ${shown(e.path)}`).join(', ')})` : ''}`,
    ...(parts.length ? [`partitions ${parts.join(', ')}`] : [])
  ].join(', ');
}
