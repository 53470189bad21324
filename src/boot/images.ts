/**
 * The checks of one El Torito entry's image in the tree (a BIOS no-emulation image, a FAT image,
 * an emulated floppy or hard disk) and the boot-info patches. Each returns what the catalog needs
 * (media type, system type) or throws an IsoforgeError naming the entry.
 */
import { SECTOR, blocksFor } from '../image/bytes.js';
import { IsoforgeError, fsError, optionError } from '../errors.js';
import { LIMITS, openRegularFile, readSmallFile } from '../files.js';
import { readImageData } from '../image/image-data.js';
import type { PrepareContext } from '../image/extension.js';
import type { DirNode, FileNode, TreeNode } from '../image/tree.js';
import { patchBootInfoTable, patchGrub2BootInfo, BOOT_INFO_TABLE, GRUB2_BOOT_INFO } from './bootinfo.js';
import { MEDIA_FLOPPY, MEDIA_HARD_DISK, MEDIA_NO_EMULATION, VIRTUAL_SECTOR } from './eltorito.js';
import { entryError, type BootEntry } from './entries.js';
import { BOOT_SIGNATURE, MBR_SECTOR, parseMbr } from './mbr.js';

/**
 * The largest BIOS no-emulation image: the BIOS loads it at 0000:7C00 (El Torito 2.2, load segment
 * 0 = 0x7C0) in real mode, and conventional memory ends at the extended BIOS data area (0x9FC00
 * at the latest): 0x9FC00 - 0x7C00 = 608 KiB. Neither the BIOS (load size) nor the loader itself
 * (boot info table) can place a larger image there.
 */
export const MAX_BIOS_IMAGE = 0x9fc00 - 0x7c00;

/** An error about the entry: a shorthand's names `option` (as before), a `--boot` entry its text. */
export const fail = (e: BootEntry, option: string, text: string) =>
  e.option === 'boot' ? entryError(e, text) : optionError(option, text);

/** The first `n` bytes of a file node's data (fewer when it is shorter). */
async function headOf(node: FileNode, n: number): Promise<Buffer> {
  const d = node.data;
  if (d.type === 'memory') return d.bytes.subarray(0, n);
  if (d.type === 'image') return readImageData(d.image, d.extents, Math.min(n, node.size));
  if (d.type !== 'file') return Buffer.alloc(0);
  try {
    const fh = (await openRegularFile(d.path, { what: 'cannot read' })).handle;
    try {
      const head = Buffer.alloc(Math.min(n, node.size));
      await fh.read(head, 0, head.length, 0);
      return head;
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw fsError(e, d.path, 'cannot read');
  }
}

export function checkBiosImage(e: BootEntry, node: FileNode, loadSize: number): void {
  const p = node.path;
  if (node.size === 0) throw fail(e, 'bios-boot', `${p} is empty`);
  if (node.size > MAX_BIOS_IMAGE) {
    throw fail(
      e,
      'bios-boot',
      `${p} is ${node.size} bytes; a BIOS boot image is loaded at 0x7C00 in real mode and must fit in ${MAX_BIOS_IMAGE} bytes (608 KiB)`
    );
  }
  checkLoadSize(e, node, loadSize);
}

/** The sectors the firmware loads must lie inside the image's blocks. */
export function checkLoadSize(e: BootEntry, node: FileNode, loadSize: number): void {
  const loadBytes = loadSize * VIRTUAL_SECTOR;
  const room = blocksFor(node.size) * SECTOR;
  if (loadBytes > room) {
    throw fail(
      e,
      'bios-boot-load-size',
      `${loadSize} sectors (${loadBytes} bytes) read past the end of ${node.path} (${node.size} bytes, ${room} with its last block)`
    );
  }
}

/** El Torito 2.4 media types of the floppy sizes it emulates. */
const FLOPPY_MEDIA: ReadonlyMap<number, number> = new Map([
  [1_228_800, MEDIA_FLOPPY.f1200],
  [1_474_560, MEDIA_FLOPPY.f1440],
  [2_949_120, MEDIA_FLOPPY.f2880]
]);

/** The catalog's media and system type bytes of the entry's image (El Torito 2.2). */
export async function emulationOf(
  e: BootEntry,
  node: FileNode
): Promise<{ media: number; systemType: number }> {
  if (e.emulation === 'none') return { media: MEDIA_NO_EMULATION, systemType: 0 };
  if (e.emulation === 'floppy') {
    const media = FLOPPY_MEDIA.get(node.size);
    if (media === undefined)
      throw entryError(
        e,
        `${node.path} is ${node.size} bytes; a floppy image is 1228800, 1474560 or 2949120 bytes (1.2, 1.44, 2.88 MB)`
      );
    return { media, systemType: 0 };
  }
  // hard-disk: the system type is the type byte of the image's one MBR partition (El Torito 2.2)
  const mbr = parseMbr(await headOf(node, MBR_SECTOR));
  if (!mbr.signatureOk || mbr.partitions.length !== 1)
    throw entryError(
      e,
      `${node.path} has ${mbr.signatureOk ? `${mbr.partitions.length} MBR partitions` : 'no MBR'}; a hard-disk image holds an MBR with exactly one partition`
    );
  return { media: MEDIA_HARD_DISK, systemType: mbr.partitions[0].type };
}

export function checkPatchRoom(e: BootEntry, node: FileNode): void {
  if (e.infoTable && node.size < BOOT_INFO_TABLE.end)
    throw fail(
      e,
      'bios-boot',
      `${node.path} is ${node.size} bytes, too short for a boot info table (64); use --boot-info-table false`
    );
  if (e.grub2BootInfo && node.size < GRUB2_BOOT_INFO.end)
    throw fail(
      e,
      'grub2-boot-info',
      `${node.path} is ${node.size} bytes, too short for GRUB2 boot info (2556)`
    );
}

async function readWhole(node: FileNode): Promise<Buffer> {
  const d = node.data;
  if (d.type === 'memory') return d.bytes;
  if (d.type === 'image') {
    if (node.size > LIMITS.patchedBootImage)
      throw new IsoforgeError(`${node.path}: a boot image with a boot info table of ${node.size} bytes`, {
        subject: node.path
      });
    return readImageData(d.image, d.extents, node.size);
  }
  if (d.type !== 'file') throw new Error(`internal: ${node.path} has generated data`);
  const bytes = await readSmallFile(d.path, {
    limit: LIMITS.patchedBootImage,
    what: 'cannot read',
    kind: 'a boot image with a boot info table'
  });
  if (bytes.length !== node.size)
    throw new IsoforgeError(`${d.path}: changed size during the build`, { subject: d.path });
  return bytes;
}

/** Replace the node's data by a patched copy made once the layout is known; the source stays as is. */
export async function patchInImage(node: FileNode, e: BootEntry): Promise<void> {
  const original = await readWhole(node);
  node.data = {
    type: 'deferred',
    produce: layout => {
      let b = original;
      if (e.grub2BootInfo) b = patchGrub2BootInfo(b, node.lba);
      if (e.infoTable) b = patchBootInfoTable(b, layout.pvdLba, node.lba);
      return b;
    }
  };
}

export async function checkFatImage(e: BootEntry, node: FileNode): Promise<void> {
  const head = node.size >= 512 ? await headOf(node, 512) : Buffer.alloc(0);
  const bps = head.length === 512 ? head.readUInt16LE(11) : 0; // FAT BPB: bytes per sector at 11
  if (
    head.length < 512 ||
    head.readUInt16LE(BOOT_SIGNATURE.offset) !== BOOT_SIGNATURE.value ||
    ![512, 1024, 2048, 4096].includes(bps)
  ) {
    throw fail(
      e,
      'uefi-boot',
      `${node.path} is not a FAT image (no FAT boot sector); give a FAT image or a folder holding EFI/BOOT/BOOT*.EFI`
    );
  }
}

const isBootEfi = (n: TreeNode) => n.kind === 'file' && /^BOOT.*\.EFI$/i.test(n.name);
const childDir = (d: DirNode, name: string) =>
  d.children.find((c): c is DirNode => c.kind === 'dir' && c.name.toUpperCase() === name);
const hasBootEfi = (efi: DirNode | undefined) => {
  const boot = efi && childDir(efi, 'BOOT');
  return !!boot && boot.children.some(isBootEfi);
};

/**
 * What goes at the root of the FAT image: the folder itself when it is the `EFI` folder, or its
 * contents when it is the ESP's root (holding `EFI`). Either way the firmware must find
 * \EFI\BOOT\BOOT<arch>.EFI (UEFI specification, "Removable Media Boot Behavior").
 */
export function espRoot(e: BootEntry, node: DirNode): TreeNode[] {
  if (node.name.toUpperCase() === 'EFI' && hasBootEfi(node)) return [node];
  if (hasBootEfi(childDir(node, 'EFI'))) return node.children.filter(c => !c.hidden);
  throw fail(
    e,
    'uefi-boot',
    `${e.image} holds no EFI/BOOT/BOOT*.EFI (e.g. EFI/BOOT/BOOTX64.EFI), which UEFI firmware boots`
  );
}

/** The file node of an entry's image: there, and neither a folder nor a symbolic link. */
export function bootFile(ctx: PrepareContext, e: BootEntry): FileNode {
  const p = e.image!;
  const node = ctx.lookup(p);
  if (!node) throw fail(e, e.option, `${p} does not exist in the source ${ctx.source}`);
  if (node.kind === 'dir') throw fail(e, e.option, `${p} is a directory; give the boot image file`);
  if (node.kind === 'symlink') throw fail(e, e.option, `${p} is a symbolic link; give the file it points to`);
  return node;
}
