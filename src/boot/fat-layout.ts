/**
 * FAT geometry (type, cluster size, region sizes), the boot sector, FSInfo and the FAT itself.
 * Sections cited are of the Microsoft FAT specification ("fatgen103", version 1.03, 2000).
 */
import { BOOT_SIGNATURE } from './mbr.js';

export type FatType = 12 | 16 | 32;

export const BYTES_PER_SECTOR = 512;
/** fatgen103 "BPB_Media": 0xF8 for fixed (non-removable) media; FAT[0] repeats it. */
export const MEDIA_DESCRIPTOR = 0xf8;
const NUM_FATS = 2;
/** fatgen103 "BPB_RsvdSecCnt": 1 for FAT12/16; 32 is the usual FAT32 value. */
const RESERVED_FAT16 = 1;
const RESERVED_FAT32 = 32;
/** FAT32 BPB_FSInfo and BPB_BkBootSec: FSInfo in sector 1, boot sector copy in 6 (FSInfo copy in 7). */
export const FSINFO_SECTOR = 1;
export const BACKUP_BOOT_SECTOR = 6;
/** fatgen103 "BPB_RootEntCnt": 512 is the value for FAT16 compatibility (16 sectors). */
const ROOT_ENTRIES_MIN = 512;
/**
 * fatgen103 "FAT Type Determination": the type is decided by the count of data clusters alone.
 * Like mkfs.fat we stay 16 clusters away from both boundaries, where some drivers miscount.
 */
const FAT12_MAX_CLUSTERS = 4084;
const FAT16_MAX_CLUSTERS = 65524;
const BOUNDARY_MARGIN = 16;
const FAT32_MAX_CLUSTERS = 0x0ffffff5 - 2;
/** BPB_TotSec32 is 32 bits; kept a whole number of 2048-byte blocks. */
export const MAX_TOTAL_SECTORS = 0xfffffffc;
/** 32 KiB clusters at most: larger ones are not understood by every implementation. */
const MAX_SECTORS_PER_CLUSTER = 64;

export interface FatGeometry {
  fatType: FatType;
  totalSectors: number;
  sectorsPerCluster: number;
  clusterBytes: number;
  reservedSectors: number;
  /** BPB_RootEntCnt (0 on FAT32, whose root directory is a cluster chain) */
  rootEntries: number;
  rootDirSectors: number;
  /** sectors of ONE copy of the FAT */
  fatSectors: number;
  firstDataSector: number;
  /** data clusters, numbered 2 .. clusterCount+1 */
  clusterCount: number;
}

/** fatgen103 "FAT Type Determination". */
export function fatTypeOf(clusterCount: number): FatType {
  return clusterCount < FAT12_MAX_CLUSTERS + 1 ? 12 : clusterCount < FAT16_MAX_CLUSTERS + 1 ? 16 : 32;
}

/** The count lies in `type`'s range and at least BOUNDARY_MARGIN clusters from either boundary. */
function withinType(type: FatType, count: number): boolean {
  if (count < 1 || count > FAT32_MAX_CLUSTERS || fatTypeOf(count) !== type) return false;
  const fromBoundary = Math.min(
    Math.abs(count - (FAT12_MAX_CLUSTERS + 0.5)),
    Math.abs(count - (FAT16_MAX_CLUSTERS + 0.5))
  );
  return fromBoundary > BOUNDARY_MARGIN;
}

/** Lay out one candidate; the FAT size is iterated to a fixed point (it may end up a sector large). */
function layout(
  type: FatType,
  totalSectors: number,
  spc: number,
  rootEntries: number
): FatGeometry | undefined {
  const reservedSectors = type === 32 ? RESERVED_FAT32 : RESERVED_FAT16;
  const rootEnt = type === 32 ? 0 : rootEntries;
  const rootDirSectors = Math.ceil((rootEnt * 32) / BYTES_PER_SECTOR);
  let fatSectors = 1;
  let clusterCount: number;
  for (;;) {
    const data = totalSectors - reservedSectors - NUM_FATS * fatSectors - rootDirSectors;
    if (data < spc) return undefined;
    clusterCount = Math.floor(data / spc);
    const need = Math.ceil(((clusterCount + 2) * type) / 8 / BYTES_PER_SECTOR);
    if (need <= fatSectors) break;
    fatSectors = need;
  }
  if (!withinType(type, clusterCount)) return undefined;
  return {
    fatType: type,
    totalSectors,
    sectorsPerCluster: spc,
    clusterBytes: spc * BYTES_PER_SECTOR,
    reservedSectors,
    rootEntries: rootEnt,
    rootDirSectors,
    fatSectors,
    firstDataSector: reservedSectors + NUM_FATS * fatSectors + rootDirSectors,
    clusterCount
  };
}

/** Cluster size per fatgen103's tables "DskTableFAT16" and "DskTableFAT32" (512-byte sectors). */
function preferredSpc(type: FatType, n: number): number {
  if (type === 16) return n <= 32680 ? 2 : n <= 262144 ? 4 : n <= 524288 ? 8 : n <= 1048576 ? 16 : 32;
  if (type === 32) return n <= 532480 ? 1 : n <= 16777216 ? 8 : n <= 67108864 ? 16 : n <= 134217728 ? 32 : 64;
  return 1; // FAT12: the smallest cluster that keeps the count under the FAT12 limit
}

/**
 * Candidate geometries for `totalSectors`, best first: the type fatgen103's tables give for the size
 * (FAT12 under 8400 sectors, FAT16 under 532480, FAT32 above), at its preferred cluster size, then
 * the other cluster sizes and types. `rootEntriesNeeded` sizes the fixed FAT12/16 root directory.
 */
export function* candidateGeometries(
  totalSectors: number,
  rootEntriesNeeded: number
): Generator<FatGeometry> {
  const types: FatType[] =
    totalSectors < 8400 ? [12, 16, 32] : totalSectors < 532480 ? [16, 12, 32] : [32, 16, 12];
  if (totalSectors > MAX_TOTAL_SECTORS) return;
  const rootEntries = Math.max(ROOT_ENTRIES_MIN, Math.ceil(rootEntriesNeeded / 16) * 16);
  for (const type of types) {
    if (type !== 32 && rootEntries > 0xfff0) continue;
    const first = preferredSpc(type, totalSectors);
    const spcs = [first];
    for (let s = 1; s <= MAX_SECTORS_PER_CLUSTER; s *= 2) if (s !== first) spcs.push(s);
    for (const spc of spcs) {
      const g = layout(type, totalSectors, spc, rootEntries);
      if (g) yield g;
    }
  }
}

/** Boot sector offsets shared by all types (fatgen103 "Boot Sector and BPB Structure"). */
const BS_JMP_BOOT = 0;
const BS_OEM_NAME = 3;
const BPB_BYTS_PER_SEC = 11;
const BPB_SEC_PER_CLUS = 13;
const BPB_RSVD_SEC_CNT = 14;
const BPB_NUM_FATS = 16;
const BPB_ROOT_ENT_CNT = 17;
const BPB_TOT_SEC16 = 19;
const BPB_MEDIA = 21;
const BPB_FAT_SZ16 = 22;
const BPB_SEC_PER_TRK = 24;
const BPB_NUM_HEADS = 26;
const BPB_HIDD_SEC = 28;
const BPB_TOT_SEC32 = 32;
/** FAT32 only (fatgen103 "FAT32 Structure Starting at Offset 36"). */
const BPB_FAT_SZ32 = 36;
const BPB_EXT_FLAGS = 40;
const BPB_FS_VER = 42;
const BPB_ROOT_CLUS = 44;
const BPB_FS_INFO = 48;
const BPB_BK_BOOT_SEC = 50;
/** The extended boot record starts at 36 (FAT12/16) or 64 (FAT32): DrvNum, Reserved1, BootSig, VolID, VolLab, FilSysType. */
const EBR_FAT16 = 36;
const EBR_FAT32 = 64;
const EBR_DRV_NUM = 0;
const EBR_BOOT_SIG = 2;
const EBR_VOL_ID = 3;
const EBR_VOL_LAB = 7;
const EBR_FIL_SYS_TYPE = 18;
const EBR_SIZE = 26;
const EXTENDED_BOOT_SIGNATURE = 0x29;
const OEM_NAME = 'ISOFORGE';

/**
 * A harmless boot code stub, run only if a BIOS boots this FAT directly: `int 0x18` asks the BIOS
 * to try the next boot device; should it return, `cli; hlt` and loop on the `hlt` forever.
 */
// prettier-ignore
const BOOT_STUB = Buffer.from([
  0xcd, 0x18, // int 0x18
  0xfa, //       cli
  0xf4, //       hlt
  0xeb, 0xfd //  jmp short -3 (back to hlt)
]);

/** Geometry fields for BIOS INT 13h: whatever divides the total evenly (mtools checks this). */
function sectorsPerTrack(totalSectors: number): number {
  for (const s of [32, 16, 8, 4, 2]) if (totalSectors % s === 0) return s;
  return 1;
}

export function encodeBootSector(g: FatGeometry, serial: number, labelKey: string): Buffer {
  const b = Buffer.alloc(BYTES_PER_SECTOR);
  const ebr = g.fatType === 32 ? EBR_FAT32 : EBR_FAT16;
  const code = ebr + EBR_SIZE;
  // fatgen103 BS_jmpBoot: EB xx 90, a short jump over the BPB to the boot code
  b[BS_JMP_BOOT] = 0xeb;
  b[BS_JMP_BOOT + 1] = code - 2;
  b[BS_JMP_BOOT + 2] = 0x90;
  b.write(OEM_NAME, BS_OEM_NAME, 8, 'latin1');
  b.writeUInt16LE(BYTES_PER_SECTOR, BPB_BYTS_PER_SEC);
  b[BPB_SEC_PER_CLUS] = g.sectorsPerCluster;
  b.writeUInt16LE(g.reservedSectors, BPB_RSVD_SEC_CNT);
  b[BPB_NUM_FATS] = NUM_FATS;
  b.writeUInt16LE(g.rootEntries, BPB_ROOT_ENT_CNT);
  const small = g.fatType !== 32 && g.totalSectors < 0x10000;
  b.writeUInt16LE(small ? g.totalSectors : 0, BPB_TOT_SEC16);
  b[BPB_MEDIA] = MEDIA_DESCRIPTOR;
  b.writeUInt16LE(g.fatType === 32 ? 0 : g.fatSectors, BPB_FAT_SZ16);
  b.writeUInt16LE(sectorsPerTrack(g.totalSectors), BPB_SEC_PER_TRK);
  b.writeUInt16LE(64, BPB_NUM_HEADS);
  b.writeUInt32LE(0, BPB_HIDD_SEC);
  b.writeUInt32LE(small ? 0 : g.totalSectors, BPB_TOT_SEC32);
  if (g.fatType === 32) {
    b.writeUInt32LE(g.fatSectors, BPB_FAT_SZ32);
    b.writeUInt16LE(0, BPB_EXT_FLAGS); // FAT mirrored to both copies
    b.writeUInt16LE(0, BPB_FS_VER); // version 0.0
    b.writeUInt32LE(2, BPB_ROOT_CLUS); // the root directory is the first cluster
    b.writeUInt16LE(FSINFO_SECTOR, BPB_FS_INFO);
    b.writeUInt16LE(BACKUP_BOOT_SECTOR, BPB_BK_BOOT_SEC);
  }
  b[ebr + EBR_DRV_NUM] = 0x80;
  b[ebr + EBR_BOOT_SIG] = EXTENDED_BOOT_SIGNATURE;
  b.writeUInt32LE(serial >>> 0, ebr + EBR_VOL_ID);
  b.write(labelKey, ebr + EBR_VOL_LAB, 11, 'latin1');
  b.write(`FAT${g.fatType}   `, ebr + EBR_FIL_SYS_TYPE, 8, 'latin1');
  BOOT_STUB.copy(b, code);
  b.writeUInt16LE(BOOT_SIGNATURE.value, BOOT_SIGNATURE.offset);
  return b;
}

/** fatgen103 "FAT32 FSInfo Sector Structure and Backup Boot Sector". */
const FSI_LEAD_SIG = 0x41615252;
const FSI_STRUC_SIG = 0x61417272;
const FSI_TRAIL_SIG = 0xaa550000;
const FSI_STRUC_SIG_OFFSET = 484;
const FSI_FREE_COUNT = 488;
const FSI_NXT_FREE = 492;
const FSI_TRAIL_SIG_OFFSET = 508;

export function encodeFsInfo(freeCount: number, nextFree: number): Buffer {
  const b = Buffer.alloc(BYTES_PER_SECTOR);
  b.writeUInt32LE(FSI_LEAD_SIG, 0);
  b.writeUInt32LE(FSI_STRUC_SIG, FSI_STRUC_SIG_OFFSET);
  b.writeUInt32LE(freeCount >>> 0, FSI_FREE_COUNT);
  b.writeUInt32LE(nextFree >>> 0, FSI_NXT_FREE);
  b.writeUInt32LE(FSI_TRAIL_SIG, FSI_TRAIL_SIG_OFFSET);
  return b;
}

/** End-of-chain marks (fatgen103 "FAT Data Structure"); FAT[1] = EOC also says "clean, no errors". */
const EOC: Record<FatType, number> = { 12: 0xfff, 16: 0xffff, 32: 0x0fffffff };

/**
 * One copy of the FAT (fatSectors * 512 bytes) for contiguous `chains` of clusters: each cluster
 * points at the next, the last holds end-of-chain. FAT[0] holds the media byte, FAT[1] EOC.
 */
export function encodeFat(g: FatGeometry, chains: readonly { first: number; count: number }[]): Buffer {
  const b = Buffer.alloc(g.fatSectors * BYTES_PER_SECTOR);
  const eoc = EOC[g.fatType];
  const set = (n: number, v: number): void => {
    if (g.fatType === 32) b.writeUInt32LE(v & 0x0fffffff, n * 4);
    else if (g.fatType === 16) b.writeUInt16LE(v & 0xffff, n * 2);
    else {
      // FAT12: two 12-bit entries share three bytes; even entries take the low 12 bits
      const o = n + (n >> 1);
      if (n % 2 === 0) {
        b[o] = v & 0xff;
        b[o + 1] = (b[o + 1] & 0xf0) | ((v >> 8) & 0x0f);
      } else {
        b[o] = (b[o] & 0x0f) | ((v & 0x0f) << 4);
        b[o + 1] = (v >> 4) & 0xff;
      }
    }
  };
  set(0, (eoc & ~0xff) | MEDIA_DESCRIPTOR);
  set(1, eoc);
  for (const c of chains) {
    for (let i = 0; i < c.count - 1; i++) set(c.first + i, c.first + i + 1);
    if (c.count > 0) set(c.first + c.count - 1, eoc);
  }
  return b;
}
