/**
 * GUID partition table: header, entry array, CRC32s and GUIDs, encoder and parser side by side.
 * UEFI 2.10 5.3 "GUID Partition Table (GPT) Disk Layout" (header Table 5-5, entry Table 5-6).
 * The parser treats every byte as hostile: counts are bounded and nothing large is allocated.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';

export const GPT_SIGNATURE = 'EFI PART';
/** UEFI 5.3.2: Revision 1.0. */
export const GPT_REVISION = 0x00010000;
export const GPT_HEADER_SIZE = 92;
export const GPT_ENTRY_SIZE = 128;
/**
 * Entries in the array. 248 fill LBA 2-63 exactly, so the first usable LBA is 64 (the 32 KiB system
 * area), as xorriso writes it; the UEFI minimum is 16384 bytes (128 entries).
 */
export const GPT_ENTRY_COUNT = 248;

/** UEFI 5.3.2 Table 5-5 GPT header fields. */
const H_SIGNATURE = 0;
const H_REVISION = 8;
const H_HEADER_SIZE = 12;
const H_HEADER_CRC = 16;
const H_MY_LBA = 24;
const H_ALTERNATE_LBA = 32;
const H_FIRST_USABLE = 40;
const H_LAST_USABLE = 48;
const H_DISK_GUID = 56;
const H_ENTRIES_LBA = 72;
const H_ENTRY_COUNT = 80;
const H_ENTRY_SIZE = 84;
const H_ENTRIES_CRC = 88;

/** UEFI 5.3.3 Table 5-6 partition entry fields. */
const E_TYPE_GUID = 0;
const E_GUID = 16;
const E_FIRST_LBA = 32;
const E_LAST_LBA = 40;
const E_ATTRIBUTES = 48;
const E_NAME = 56;
const E_NAME_BYTES = 72;

/** Partition type GUIDs (UEFI 5.3.3 Table 5-7; Microsoft basic data). */
export const GPT_TYPE_ESP = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const GPT_TYPE_BASIC_DATA = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';
/** Apple HFS+ (xorriso -hfsplus: grub-mkrescue's "HFSPLUS" entry). */
export const GPT_TYPE_HFS_PLUS = '48465300-0000-11AA-AA11-00306543ECAC';
/** UEFI 5.3.3 Table 5-8 bit 0 "Required Partition"; bit 60 read-only (Microsoft basic data), as xorriso sets. */
export const GPT_ATTR_REQUIRED = 1n;
export const GPT_ATTR_READ_ONLY = 1n << 60n;

/** Bounds for hostile input: at most this many entries and this many bytes of entry array are read. */
const MAX_ENTRY_COUNT = 4096;
const MAX_ARRAY_BYTES = 1024 * 1024;

/** CRC-32 (IEEE 802.3, reflected, as UEFI 5.3.2 requires): zlib's, in Node since 20.15. */
export function crc32(buf: Buffer): number {
  return zlibCrc32(buf);
}

const GUID_RE = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/** UEFI Appendix A: the first three fields little-endian, the last eight bytes in order. */
export function encodeGuid(guid: string): Buffer {
  const m = GUID_RE.exec(guid);
  if (!m) throw new RangeError(`not a GUID: ${guid}`);
  const b = Buffer.alloc(16);
  b.writeUInt32LE(parseInt(m[1], 16), 0);
  b.writeUInt16LE(parseInt(m[2], 16), 4);
  b.writeUInt16LE(parseInt(m[3], 16), 6);
  Buffer.from(m[4] + m[5], 'hex').copy(b, 8);
  return b;
}

export function decodeGuid(b: Buffer, off = 0): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const tail = b.toString('hex', off + 8, off + 16);
  return [
    h(b.readUInt32LE(off), 8),
    h(b.readUInt16LE(off + 4), 4),
    h(b.readUInt16LE(off + 6), 4),
    tail.slice(0, 4),
    tail.slice(4)
  ]
    .join('-')
    .toUpperCase();
}

export interface GptPartition {
  /** 1-based entry number */
  index: number;
  typeGuid: string;
  guid: string;
  firstLba: number;
  lastLba: number;
  name: string;
  attributes: bigint;
}

export interface GptHeader {
  revision: number;
  headerSize: number;
  myLba: number;
  alternateLba: number;
  firstUsableLba: number;
  lastUsableLba: number;
  diskGuid: string;
  entriesLba: number;
  entryCount: number;
  entrySize: number;
  entriesCrc: number;
  headerCrcOk: boolean;
}

/** Where everything goes on a disk of `totalSectors` 512-byte sectors (UEFI 5.3.1). */
export function gptGeometry(totalSectors: number, entryCount = GPT_ENTRY_COUNT, sectorSize = 512) {
  const arraySectors = Math.ceil((entryCount * GPT_ENTRY_SIZE) / sectorSize);
  const backupHeaderLba = totalSectors - 1;
  const backupEntriesLba = backupHeaderLba - arraySectors;
  return {
    arraySectors,
    primaryEntriesLba: 2,
    firstUsableLba: 2 + arraySectors,
    lastUsableLba: backupEntriesLba - 1,
    backupEntriesLba,
    backupHeaderLba
  };
}

/** The entry array; a partition without `index` takes the entry of its position (1-based). */
export function encodeGptEntries(
  parts: (Omit<GptPartition, 'index'> & { index?: number })[],
  entryCount = GPT_ENTRY_COUNT
): Buffer {
  if (parts.length > entryCount) throw new RangeError(`${parts.length} partitions, ${entryCount} entries`);
  const b = Buffer.alloc(entryCount * GPT_ENTRY_SIZE);
  parts.forEach((p, i) => {
    const slot = (p.index ?? i + 1) - 1;
    if (slot < 0 || slot >= entryCount) throw new RangeError(`GPT entry ${slot + 1} of ${entryCount}`);
    const o = slot * GPT_ENTRY_SIZE;
    encodeGuid(p.typeGuid).copy(b, o + E_TYPE_GUID);
    encodeGuid(p.guid).copy(b, o + E_GUID);
    b.writeBigUInt64LE(BigInt(p.firstLba), o + E_FIRST_LBA);
    b.writeBigUInt64LE(BigInt(p.lastLba), o + E_LAST_LBA);
    b.writeBigUInt64LE(p.attributes, o + E_ATTRIBUTES);
    if (p.name.length > E_NAME_BYTES / 2) throw new RangeError(`GPT name too long: ${p.name}`);
    b.write(p.name, o + E_NAME, E_NAME_BYTES, 'utf16le');
  });
  return b;
}

/** One header sector (`sectorSize` bytes) for the array `entries` at `entriesLba`. */
export function encodeGptHeader(
  h: Pick<
    GptHeader,
    'myLba' | 'alternateLba' | 'firstUsableLba' | 'lastUsableLba' | 'diskGuid' | 'entriesLba'
  >,
  entries: Buffer,
  sectorSize = 512
): Buffer {
  const b = Buffer.alloc(sectorSize);
  b.write(GPT_SIGNATURE, H_SIGNATURE, 'latin1');
  b.writeUInt32LE(GPT_REVISION, H_REVISION);
  b.writeUInt32LE(GPT_HEADER_SIZE, H_HEADER_SIZE);
  b.writeBigUInt64LE(BigInt(h.myLba), H_MY_LBA);
  b.writeBigUInt64LE(BigInt(h.alternateLba), H_ALTERNATE_LBA);
  b.writeBigUInt64LE(BigInt(h.firstUsableLba), H_FIRST_USABLE);
  b.writeBigUInt64LE(BigInt(h.lastUsableLba), H_LAST_USABLE);
  encodeGuid(h.diskGuid).copy(b, H_DISK_GUID);
  b.writeBigUInt64LE(BigInt(h.entriesLba), H_ENTRIES_LBA);
  b.writeUInt32LE(entries.length / GPT_ENTRY_SIZE, H_ENTRY_COUNT);
  b.writeUInt32LE(GPT_ENTRY_SIZE, H_ENTRY_SIZE);
  // UEFI 5.3.2: the array CRC covers NumberOfPartitionEntries * SizeOfPartitionEntry bytes (all of it)
  b.writeUInt32LE(crc32(entries), H_ENTRIES_CRC);
  // the header CRC over HeaderSize bytes with the CRC field zero
  b.writeUInt32LE(crc32(b.subarray(0, GPT_HEADER_SIZE)), H_HEADER_CRC);
  return b;
}

function safeNumber(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function parseHeader(b: Buffer): GptHeader | undefined {
  if (b.length < GPT_HEADER_SIZE || b.toString('latin1', H_SIGNATURE, H_SIGNATURE + 8) !== GPT_SIGNATURE)
    return undefined;
  const headerSize = b.readUInt32LE(H_HEADER_SIZE);
  let headerCrcOk = false;
  if (headerSize >= GPT_HEADER_SIZE && headerSize <= b.length) {
    const copy = Buffer.from(b.subarray(0, headerSize));
    copy.writeUInt32LE(0, H_HEADER_CRC);
    headerCrcOk = crc32(copy) === b.readUInt32LE(H_HEADER_CRC);
  }
  return {
    revision: b.readUInt32LE(H_REVISION),
    headerSize,
    myLba: safeNumber(b.readBigUInt64LE(H_MY_LBA)),
    alternateLba: safeNumber(b.readBigUInt64LE(H_ALTERNATE_LBA)),
    firstUsableLba: safeNumber(b.readBigUInt64LE(H_FIRST_USABLE)),
    lastUsableLba: safeNumber(b.readBigUInt64LE(H_LAST_USABLE)),
    diskGuid: decodeGuid(b, H_DISK_GUID),
    entriesLba: safeNumber(b.readBigUInt64LE(H_ENTRIES_LBA)),
    entryCount: b.readUInt32LE(H_ENTRY_COUNT),
    entrySize: b.readUInt32LE(H_ENTRY_SIZE),
    entriesCrc: b.readUInt32LE(H_ENTRIES_CRC),
    headerCrcOk
  };
}

function parseEntries(arr: Buffer, entrySize: number): GptPartition[] {
  const out: GptPartition[] = [];
  for (let i = 0; (i + 1) * entrySize <= arr.length; i++) {
    const o = i * entrySize;
    if (arr.subarray(o, o + 16).every(x => x === 0)) continue; // unused entry (UEFI 5.3.3)
    const nameBytes = arr.subarray(o + E_NAME, o + E_NAME + E_NAME_BYTES);
    let end = 0;
    while (end + 1 < nameBytes.length && (nameBytes[end] !== 0 || nameBytes[end + 1] !== 0)) end += 2;
    out.push({
      index: i + 1,
      typeGuid: decodeGuid(arr, o + E_TYPE_GUID),
      guid: decodeGuid(arr, o + E_GUID),
      firstLba: safeNumber(arr.readBigUInt64LE(o + E_FIRST_LBA)),
      lastLba: safeNumber(arr.readBigUInt64LE(o + E_LAST_LBA)),
      name: nameBytes.toString('utf16le', 0, end),
      attributes: arr.readBigUInt64LE(o + E_ATTRIBUTES)
    });
  }
  return out;
}

export interface GptRead {
  header: GptHeader | undefined;
  backupHeader: GptHeader | undefined;
  partitions: GptPartition[];
  problems: string[];
}

/** What the checks of one GPT read share: the image, its sectors and the problems found. */
interface GptCheck {
  read: (offset: number, length: number) => Buffer;
  sectorSize: number;
  totalSectors: number;
  problems: string[];
}

/** A header's entry array, its bounds and CRC checked; undefined when it cannot be read. */
function readArray(c: GptCheck, h: GptHeader, which: string): Buffer | undefined {
  const { problems } = c;
  if (h.entrySize < GPT_ENTRY_SIZE || h.entrySize % 8 !== 0 || h.entrySize > MAX_ARRAY_BYTES) {
    problems.push(`${which} header: partition entry size ${h.entrySize} is invalid`);
    return undefined;
  }
  if (h.entryCount > MAX_ENTRY_COUNT || h.entryCount * h.entrySize > MAX_ARRAY_BYTES) {
    problems.push(`${which} header: ${h.entryCount} partition entries is more than isoforge reads`);
    return undefined;
  }
  const bytes = h.entryCount * h.entrySize;
  const sectors = Math.ceil(bytes / c.sectorSize);
  if (h.entriesLba < 2 || h.entriesLba + sectors > c.totalSectors) {
    problems.push(`${which} header: entry array at LBA ${h.entriesLba} lies outside the image`);
    return undefined;
  }
  const arr = c.read(h.entriesLba * c.sectorSize, bytes);
  if (arr.length < bytes) {
    problems.push(`${which} entry array: short read`);
    return undefined;
  }
  if (crc32(arr.subarray(0, bytes)) !== h.entriesCrc) problems.push(`${which} entry array: CRC32 mismatch`);
  return arr.subarray(0, bytes);
}

function checkHeader(c: GptCheck, h: GptHeader, which: string, myLba: number, alternate: number): void {
  const { problems } = c;
  if (!h.headerCrcOk) problems.push(`${which} header: CRC32 mismatch or bad header size ${h.headerSize}`);
  if (h.myLba !== myLba) problems.push(`${which} header: MyLBA ${h.myLba}, expected ${myLba}`);
  if (h.alternateLba !== alternate)
    problems.push(`${which} header: AlternateLBA ${h.alternateLba}, expected ${alternate}`);
  if (h.firstUsableLba > h.lastUsableLba || h.lastUsableLba >= c.totalSectors)
    problems.push(`${which} header: usable LBAs ${h.firstUsableLba}-${h.lastUsableLba} outside the image`);
}

/** The backup header and its partitions, checked against the primary where there is one. */
function readBackup(
  c: GptCheck,
  header: GptHeader | undefined,
  primaryArray: Buffer | undefined
): { backupHeader: GptHeader | undefined; backupParts: GptPartition[] | undefined } {
  const { problems, totalSectors } = c;
  const lastLba = totalSectors - 1;
  const backupAt =
    header && header.alternateLba > 1 && header.alternateLba < totalSectors ? header.alternateLba : lastLba;
  const backupHeader = parseHeader(c.read(backupAt * c.sectorSize, c.sectorSize));
  if (!backupHeader) {
    problems.push(`backup header: no "EFI PART" signature at LBA ${backupAt}`);
    return { backupHeader, backupParts: undefined };
  }
  checkHeader(c, backupHeader, 'backup', lastLba, 1);
  const arr = readArray(c, backupHeader, 'backup');
  const backupParts = arr && backupHeader.headerCrcOk ? parseEntries(arr, backupHeader.entrySize) : undefined;
  if (header) {
    if (backupHeader.diskGuid !== header.diskGuid)
      problems.push('backup header: disk GUID differs from the primary');
    if (backupHeader.entryCount !== header.entryCount || backupHeader.entrySize !== header.entrySize)
      problems.push('backup header: entry count or size differs from the primary');
    if (arr && primaryArray && !arr.equals(primaryArray))
      problems.push('backup entry array differs from the primary');
    if (backupHeader.entriesLba <= header.lastUsableLba)
      problems.push('backup entry array overlaps the usable space');
  }
  return { backupHeader, backupParts };
}

/** Partitions inside the usable space, each first LBA before its last, none overlapping. */
function checkPartitions(
  partitions: GptPartition[],
  usable: GptHeader | undefined,
  problems: string[]
): void {
  const sorted = [...partitions].sort((a, b) => a.firstLba - b.firstLba);
  sorted.forEach((p, i) => {
    if (p.firstLba > p.lastLba)
      problems.push(`partition ${p.index}: first LBA ${p.firstLba} after last ${p.lastLba}`);
    if (usable && (p.firstLba < usable.firstUsableLba || p.lastLba > usable.lastUsableLba))
      problems.push(`partition ${p.index}: LBAs ${p.firstLba}-${p.lastLba} outside the usable space`);
    const next = sorted[i + 1];
    if (next && next.firstLba <= p.lastLba) problems.push(`partitions ${p.index} and ${next.index} overlap`);
  });
}

/**
 * Read and check a GPT: signatures, header CRCs, entry-array CRCs, the backup at the last sector,
 * and every bound against `imageSize`. `read(offset, length)` returns the image's bytes (shorter
 * at the end of the image). Partitions come from the primary table, or the backup if that is bad.
 */
export function parseGpt(
  read: (offset: number, length: number) => Buffer,
  imageSize: number,
  sectorSize = 512
): GptRead {
  const problems: string[] = [];
  const totalSectors = Math.floor(imageSize / sectorSize);
  if (imageSize % sectorSize !== 0)
    problems.push(`image size ${imageSize} is not a multiple of ${sectorSize}`);
  if (totalSectors < 3)
    return {
      header: undefined,
      backupHeader: undefined,
      partitions: [],
      problems: ['image too small for a GPT']
    };
  const c: GptCheck = { read, sectorSize, totalSectors, problems };

  const header = parseHeader(read(sectorSize, sectorSize));
  let primaryParts: GptPartition[] | undefined;
  let primaryArray: Buffer | undefined;
  if (!header) problems.push('primary header: no "EFI PART" signature at LBA 1');
  else {
    checkHeader(c, header, 'primary', 1, totalSectors - 1);
    primaryArray = readArray(c, header, 'primary');
    if (primaryArray && header.headerCrcOk) primaryParts = parseEntries(primaryArray, header.entrySize);
  }
  const { backupHeader, backupParts } = readBackup(c, header, primaryArray);
  if (header && header.entryCount * header.entrySize > 0) {
    const arraySectors = Math.ceil((header.entryCount * header.entrySize) / sectorSize);
    if (header.firstUsableLba < header.entriesLba + arraySectors)
      problems.push('primary header: first usable LBA overlaps the entry array');
  }
  const partitions = primaryParts ?? backupParts ?? [];
  checkPartitions(partitions, header ?? backupHeader, problems);
  return { header, backupHeader, partitions, problems };
}
