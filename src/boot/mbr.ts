/**
 * The master boot record of a hybrid image: boot code (an isohybrid or GRUB template, patched with
 * the BIOS boot image's address), disk identifier and the four primary partition entries.
 * Encoder and parser side by side. Layout: UEFI 2.10 5.2.1 "Legacy Master Boot Record" (Table 5-1),
 * plus the 8-byte boot-image address field that syslinux isohdpfx.bin and GRUB boot_hybrid.img read.
 */

export const MBR_SECTOR = 512;
/** Boot code area: bytes 0-431 (UEFI 5.2.1 BootCode is 0-439; the isohybrid loaders keep 432-439). */
export const MBR_CODE_BYTES = 432;
/** isohdpfx.bin / boot_hybrid.img: 64-bit LE address of the boot image in 512-byte sectors. */
export const MBR_BOOT_ADDRESS_OFFSET = 432;
/** UEFI 5.2.1 UniqueMBRDiskSignature, 4 bytes LE. */
export const MBR_DISK_ID_OFFSET = 440;
/** UEFI 5.2.1 PartitionRecord[4], 16 bytes each. */
export const MBR_TABLE_OFFSET = 446;
export const MBR_ENTRY_SIZE = 16;
export const MBR_ENTRIES = 4;
/**
 * UEFI 5.2.1 Signature 0xAA55 at 510: the boot sector signature, which an MBR and every FAT
 * volume's boot sector (fatgen103 "Signature_word") carry.
 */
export const BOOT_SIGNATURE = { offset: 510, value: 0xaa55 } as const;

/** Partition record fields (UEFI 5.2.1 Table 5-2). */
const PR_BOOT_INDICATOR = 0;
const PR_START_CHS = 1;
const PR_OS_TYPE = 4;
const PR_END_CHS = 5;
const PR_STARTING_LBA = 8;
const PR_SIZE_IN_LBA = 12;
const BOOTABLE = 0x80;

/** UEFI 5.2.3 protective MBR OSType for a GPT disk; 0xEF is the EFI system partition. */
export const MBR_TYPE_GPT_PROTECTIVE = 0xee;
export const MBR_TYPE_EFI = 0xef;

/** A partition type as the manifest and `inspect` write it: `0xef`. */
export function mbrTypeText(type: number): string {
  return `0x${type.toString(16).padStart(2, '0')}`;
}

/** The CHS geometry xorriso uses for isohybrid images (64 heads, 32 sectors per track: 1 MiB cylinders). */
export const MBR_HEADS = 64;
export const MBR_SECTORS_PER_TRACK = 32;
const MAX_CYLINDER = 1023;

export interface MbrPartition {
  /** 1-4 */
  index: number;
  bootable: boolean;
  type: number;
  startLba: number;
  sectors: number;
}

export interface MbrRead {
  diskId: number;
  partitions: MbrPartition[];
  signatureOk: boolean;
}

/** The 3 CHS bytes of `lba` (head, sector | cylinder bits 8-9 << 6, cylinder bits 0-7); clamped past 1023 cylinders. */
export function chs(lba: number): [number, number, number] {
  const perCyl = MBR_HEADS * MBR_SECTORS_PER_TRACK;
  let c = Math.floor(lba / perCyl);
  let h = Math.floor((lba % perCyl) / MBR_SECTORS_PER_TRACK);
  let s = (lba % MBR_SECTORS_PER_TRACK) + 1;
  if (c > MAX_CYLINDER) {
    c = MAX_CYLINDER;
    h = MBR_HEADS - 1;
    s = MBR_SECTORS_PER_TRACK;
  }
  return [h, s | ((c >> 8) << 6), c & 0xff];
}

/** The value the MBR template expects at byte 432 for a boot image at `lba` (2048-byte blocks). */
export function mbrBootAddress(kind: 'isohybrid' | 'grub2', lba: number): bigint {
  // isohdpfx.bin reads isolinux.bin from 512-byte sector LBA*4; GRUB's boot_hybrid.img loads
  // core.img from sector LBA*4 + 4 (the 2 KiB after cdboot.img). Checked against xorriso's output.
  return BigInt(lba) * 4n + (kind === 'grub2' ? 4n : 0n);
}

export interface MbrSpec {
  /** boot code; only bytes 0-431 are used (zero without a template) */
  code?: Buffer;
  /** the template's boot-image address (mbrBootAddress), written at 432 */
  bootAddress?: bigint;
  diskId: number;
  partitions: MbrPartition[];
}

export function encodeMbr(spec: MbrSpec): Buffer {
  const b = Buffer.alloc(MBR_SECTOR);
  if (spec.code) spec.code.copy(b, 0, 0, Math.min(MBR_CODE_BYTES, spec.code.length));
  if (spec.bootAddress !== undefined) b.writeBigUInt64LE(spec.bootAddress, MBR_BOOT_ADDRESS_OFFSET);
  b.writeUInt32LE(spec.diskId >>> 0, MBR_DISK_ID_OFFSET);
  if (spec.partitions.length > MBR_ENTRIES) throw new RangeError('an MBR holds at most 4 partitions');
  for (const p of spec.partitions) {
    if (p.index < 1 || p.index > MBR_ENTRIES) throw new RangeError(`MBR partition index ${p.index}`);
    if (p.startLba > 0xffffffff || p.sectors > 0xffffffff) throw new RangeError('MBR partition beyond 2 TiB');
    const o = MBR_TABLE_OFFSET + (p.index - 1) * MBR_ENTRY_SIZE;
    b[o + PR_BOOT_INDICATOR] = p.bootable ? BOOTABLE : 0;
    Buffer.from(chs(p.startLba)).copy(b, o + PR_START_CHS);
    b[o + PR_OS_TYPE] = p.type;
    Buffer.from(chs(p.startLba + Math.max(p.sectors, 1) - 1)).copy(b, o + PR_END_CHS);
    b.writeUInt32LE(p.startLba, o + PR_STARTING_LBA);
    b.writeUInt32LE(p.sectors, o + PR_SIZE_IN_LBA);
  }
  b.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
  return b;
}

/** Read an MBR; entries with type 0 and no sectors are empty and left out. */
export function parseMbr(sector0: Buffer): MbrRead {
  if (sector0.length < MBR_SECTOR) return { diskId: 0, partitions: [], signatureOk: false };
  const partitions: MbrPartition[] = [];
  for (let i = 0; i < MBR_ENTRIES; i++) {
    const o = MBR_TABLE_OFFSET + i * MBR_ENTRY_SIZE;
    const type = sector0[o + PR_OS_TYPE];
    const startLba = sector0.readUInt32LE(o + PR_STARTING_LBA);
    const sectors = sector0.readUInt32LE(o + PR_SIZE_IN_LBA);
    const bootable = sector0[o + PR_BOOT_INDICATOR] === BOOTABLE;
    if (type === 0 && sectors === 0 && !bootable) continue;
    partitions.push({ index: i + 1, bootable, type, startLba, sectors });
  }
  return {
    diskId: sector0.readUInt32LE(MBR_DISK_ID_OFFSET),
    partitions,
    signatureOk: sector0.readUInt16LE(BOOT_SIGNATURE.offset) === BOOT_SIGNATURE.value
  };
}
