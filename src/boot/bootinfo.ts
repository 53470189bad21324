/**
 * Patches that BIOS CD loaders expect in their own image, written into the IMAGE's copy only
 * (genisoimage patches the source file; we never do):
 * - the boot info table (mkisofs `-boot-info-table`, libisofs doc/boot_sectors.txt "Boot Info
 *   Table"): bytes 8-63 of the boot image;
 * - GRUB2's boot info (`--grub2-boot-info`): the 512-byte sector address of the image's core,
 *   LBA × 4 + 5, as a 64-bit LE value at bytes 2548-2555.
 * When both apply, GRUB2's patch goes first and the table's checksum covers it (as xorriso does).
 */

/** Boot info table field offsets in the boot image (all 32-bit LE). */
export const BOOT_INFO_TABLE = {
  pvdLba: 8, // LBA of the primary volume descriptor
  fileLba: 12, // LBA of the boot image
  fileLength: 16, // byte length of the boot image
  checksum: 20, // 32-bit sum of the LE words from byte 64 to the end
  reserved: 24, // 40 bytes, zero
  end: 64
} as const;

/** GRUB2 boot info: 64-bit LE at bytes 2548-2555 (grub-core/boot/i386/pc/diskboot + cdboot). */
export const GRUB2_BOOT_INFO = { offset: 2548, end: 2556, add: 5 } as const;

/** Sum of the 32-bit LE words from byte 64 to the end; a trailing partial word is zero-padded. */
export function bootInfoChecksum(image: Buffer): number {
  let sum = 0;
  const whole = image.length - ((image.length - BOOT_INFO_TABLE.end) % 4);
  for (let i = BOOT_INFO_TABLE.end; i + 4 <= whole; i += 4) sum = (sum + image.readUInt32LE(i)) >>> 0;
  if (whole < image.length) {
    const tail = Buffer.alloc(4);
    image.copy(tail, 0, whole);
    sum = (sum + tail.readUInt32LE(0)) >>> 0;
  }
  return sum;
}

/** A copy of `image` with its boot info table filled in. */
export function patchBootInfoTable(image: Buffer, pvdLba: number, imageLba: number): Buffer {
  if (image.length < BOOT_INFO_TABLE.end)
    throw new RangeError(`boot image of ${image.length} bytes has no room for a boot info table (64 bytes)`);
  if (image.length > 0xffffffff) throw new RangeError('boot image longer than a 32-bit length');
  const out = Buffer.from(image);
  out.fill(0, BOOT_INFO_TABLE.pvdLba, BOOT_INFO_TABLE.end);
  out.writeUInt32LE(pvdLba >>> 0, BOOT_INFO_TABLE.pvdLba);
  out.writeUInt32LE(imageLba >>> 0, BOOT_INFO_TABLE.fileLba);
  out.writeUInt32LE(image.length >>> 0, BOOT_INFO_TABLE.fileLength);
  out.writeUInt32LE(bootInfoChecksum(out), BOOT_INFO_TABLE.checksum);
  return out;
}

export interface BootInfoTable {
  pvdLba: number;
  fileLba: number;
  fileLength: number;
  checksum: number;
  /** the stored checksum matches the image's bytes */
  checksumOk: boolean;
}

export function parseBootInfoTable(image: Buffer): BootInfoTable {
  if (image.length < BOOT_INFO_TABLE.end)
    throw new RangeError(`boot image of ${image.length} bytes is too short for a boot info table`);
  const checksum = image.readUInt32LE(BOOT_INFO_TABLE.checksum);
  return {
    pvdLba: image.readUInt32LE(BOOT_INFO_TABLE.pvdLba),
    fileLba: image.readUInt32LE(BOOT_INFO_TABLE.fileLba),
    fileLength: image.readUInt32LE(BOOT_INFO_TABLE.fileLength),
    checksum,
    checksumOk: checksum === bootInfoChecksum(image)
  };
}

/** GRUB2's boot info for an image at `imageLba`: the 512-byte sector of its second 512 bytes + 4 (× 4 + 5). */
export const grub2BootInfoFor = (imageLba: number): bigint =>
  BigInt(imageLba) * 4n + BigInt(GRUB2_BOOT_INFO.add);

/** A copy of `image` with GRUB2's boot info (imageLba × 4 + 5) at bytes 2548-2555. */
export function patchGrub2BootInfo(image: Buffer, imageLba: number): Buffer {
  if (image.length < GRUB2_BOOT_INFO.end)
    throw new RangeError(`boot image of ${image.length} bytes has no room for GRUB2 boot info (2556 bytes)`);
  const out = Buffer.from(image);
  out.writeBigUInt64LE(grub2BootInfoFor(imageLba), GRUB2_BOOT_INFO.offset);
  return out;
}

export function readGrub2BootInfo(image: Buffer): bigint {
  if (image.length < GRUB2_BOOT_INFO.end)
    throw new RangeError(`boot image of ${image.length} bytes is too short for GRUB2 boot info`);
  return image.readBigUInt64LE(GRUB2_BOOT_INFO.offset);
}
