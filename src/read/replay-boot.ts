/**
 * A remaster's boot replay: the source image's boot setup as the boot options a user could have
 * typed, so that the build boots as the source did. For now it covers what today's options say:
 * no-emulation BIOS entries (one load size, with or without a boot info table and GRUB2 boot
 * info), UEFI entries whose image is a file of the tree, the MBR boot code (bytes 0-431) and the
 * hybrid layout. What they cannot say (emulation, an image outside the tree such as one inside an
 * appended partition, an Apple partition map) is an error naming it.
 */
import { BOOT_INFO_TABLE, GRUB2_BOOT_INFO } from '../boot/bootinfo.js';
import { MBR_CODE_BYTES, MBR_SECTOR } from '../boot/mbr.js';
import type { BuildConfig } from '../config.js';
import { optionError } from '../errors.js';
import { SECTOR } from '../image/bytes.js';
import type { BootEntryInfo } from '../image/extension.js';
import { VD_SET_LBA } from '../image/voldesc.js';
import { quoted } from '../text.js';
import { forEachNode, type IsoImage } from './image.js';

/** The boot options replayBoot sets. */
export type BootOptions = Pick<
  BuildConfig,
  | 'biosBoot'
  | 'biosBootLoadSize'
  | 'bootInfoTable'
  | 'grub2BootInfo'
  | 'uefiBoot'
  | 'bootCatalog'
  | 'bootCatalogHide'
  | 'hybrid'
  | 'mbrCode'
>;

/** Apple Partition Map (Inside Macintosh: Devices, 3-12): the 'PM' signature of block 1's entry. */
const APM_SIGNATURE = { offset: MBR_SECTOR, text: 'PM' } as const;

const cannot = (img: IsoImage, what: string) =>
  optionError(
    'replay-boot',
    `cannot replay ${what} of ${img.path}; give boot options, or --replay-boot false`
  );

/** The entry's file, as the replay names it (`--bios-boot PATH`), or an error saying why not. */
function entryPath(img: IsoImage, e: BootEntryInfo, i: number): string {
  const which = `boot entry ${i + 1} (${e.platform}, ${e.path})`;
  if (e.platform !== 'bios' && e.platform !== 'uefi') throw cannot(img, `${which}: platform ${e.platform}`);
  if (e.emulation !== 'none') throw cannot(img, `${which}: ${e.emulation} emulation`);
  if (e.path.startsWith('appended:'))
    throw cannot(img, `${which}: its image lies inside an appended partition`);
  if (e.path.startsWith('lba:')) throw cannot(img, `${which}: its image is no file of the tree`);
  return e.path;
}

/** Whether the BIOS image at `lba` carries a boot info table, and GRUB2 boot info, for its place. */
async function patched(
  img: IsoImage,
  lba: number,
  size: number
): Promise<{ table: boolean; grub2: boolean }> {
  const head = await img.source.read(lba * SECTOR, Math.min(size, GRUB2_BOOT_INFO.end), 'boot image');
  const table =
    head.length >= BOOT_INFO_TABLE.end &&
    head.readUInt32LE(BOOT_INFO_TABLE.pvdLba) === VD_SET_LBA &&
    head.readUInt32LE(BOOT_INFO_TABLE.fileLba) === lba;
  const grub2 =
    head.length >= GRUB2_BOOT_INFO.end &&
    head.readBigUInt64LE(GRUB2_BOOT_INFO.offset) === BigInt(lba) * 4n + BigInt(GRUB2_BOOT_INFO.add);
  return { table, grub2 };
}

/** The source image's boot setup as boot options; undefined when it has no El Torito catalog. */
export async function replayBoot(img: IsoImage): Promise<BootOptions | undefined> {
  const boot = img.boot;
  if (!boot || boot.entries.length === 0) return undefined;
  const head = await img.source.read(0, SECTOR, 'system area');
  if (head.toString('latin1', APM_SIGNATURE.offset, APM_SIGNATURE.offset + 2) === APM_SIGNATURE.text)
    throw cannot(img, 'the Apple partition map (APM/HFS+)');
  const sizes = new Map<string, number>();
  let catalog: string | undefined;
  forEachNode(img.tree.root, n => {
    if (n.kind !== 'file' || n.extents.length === 0) return;
    sizes.set(n.path, n.size);
    if (n.extents[0].lba === boot.catalogLba) catalog ??= n.path;
  });
  const bios: string[] = [];
  const uefi: string[] = [];
  const loads = new Set<number>();
  const tables = new Set<boolean>();
  const grub2 = new Set<boolean>();
  for (const [i, e] of boot.entries.entries()) {
    const p = entryPath(img, e, i);
    if (e.platform === 'uefi') {
      uefi.push(p);
      continue;
    }
    bios.push(p);
    loads.add(e.loadSize);
    const found = await patched(img, e.lba, sizes.get(p) ?? 0);
    tables.add(found.table);
    grub2.add(found.grub2);
  }
  if (loads.size > 1 || tables.size > 1 || grub2.size > 1)
    throw cannot(
      img,
      `BIOS entries that differ in load size or patching (${bios.map(p => quoted(p)).join(', ')})`
    );
  const mbr = img.partitions.some(p => p.table === 'mbr');
  const code = head.subarray(0, MBR_CODE_BYTES);
  return {
    biosBoot: bios,
    biosBootLoadSize: [...loads][0] ?? 4,
    bootInfoTable: [...tables][0] ?? false,
    grub2BootInfo: [...grub2][0] ?? false,
    uefiBoot: uefi,
    bootCatalog: catalog ?? 'boot.catalog',
    bootCatalogHide: catalog === undefined,
    hybrid: mbr,
    mbrCode: mbr && bios.length > 0 && code.some(b => b !== 0) ? Buffer.from(code) : undefined
  };
}
