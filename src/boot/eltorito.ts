/**
 * El Torito ("El Torito" Bootable CD-ROM Format Specification 1.0, 1995): the boot record volume
 * descriptor and the boot catalog, each with its encoder and its parser side by side.
 *
 * Catalog shape, as xorriso writes it: validation entry, default entry (= the first boot image),
 * then the further images grouped into sections of consecutive images of one platform (header
 * 0x90, the last one 0x91).
 */
import { SECTOR } from '../image/bytes.js';
import { STANDARD_ID, VD_TYPE_BOOT } from '../image/voldesc.js';

/** El Torito 2.0: platform IDs (0xEF from the UEFI specification, "ISO-9660 and El Torito"). */
export const PLATFORM_X86 = 0x00;
export const PLATFORM_PPC = 0x01;
export const PLATFORM_MAC = 0x02;
export const PLATFORM_EFI = 0xef;

/** El Torito 2.2 / 2.4: boot indicator, media type. */
export const BOOTABLE = 0x88;
export const NOT_BOOTABLE = 0x00;
export const MEDIA_NO_EMULATION = 0;
export const MEDIA_FLOPPY = { f1200: 1, f1440: 2, f2880: 3 } as const;
export const MEDIA_HARD_DISK = 4;
/** The media types by name, as the manifest, `verify` and `inspect` write them. */
export const MEDIA_NAMES = ['none', 'floppy-1.2M', 'floppy-1.44M', 'floppy-2.88M', 'hard-disk'];
/** El Torito 2.4: bit 5 of the media byte: an extension entry follows. */
const MEDIA_EXTENSION_FOLLOWS = 0x20;
const MEDIA_TYPE_MASK = 0x0f;

/** El Torito 2.3 / 2.4: section header indicators. */
export const SECTION_HEADER_MORE = 0x90;
export const SECTION_HEADER_LAST = 0x91;
/** El Torito 2.5: section entry extension. */
export const SECTION_ENTRY_EXTENSION = 0x44;

export const ENTRY_SIZE = 32;
/** A catalog of one sector holds this many 32-byte entries. */
export const CATALOG_SLOTS = SECTOR / ENTRY_SIZE;

/** El Torito 2.0: boot record volume descriptor. */
export const BOOT_RECORD = {
  type: 0, // ECMA-119 8.2: volume descriptor type 0 = boot record
  standardId: 1, // "CD001"
  version: 6, // 1
  systemId: 7, // 32 bytes, "EL TORITO SPECIFICATION" zero-padded
  catalogLba: 71 // 32-bit LE: absolute pointer to the first sector of the boot catalog
} as const;
export const EL_TORITO_ID = 'EL TORITO SPECIFICATION';

/** El Torito 2.1: validation entry. */
const VALIDATION = {
  headerId: 0,
  platform: 1,
  idString: 4,
  idLength: 24,
  checksum: 28,
  key55: 30,
  keyAA: 31
};
/** El Torito 2.2 (default entry) and 2.4 (section entry). */
const ENTRY = {
  indicator: 0,
  media: 1,
  loadSegment: 2, // 16-bit LE; 0 means the traditional 0x7C0
  systemType: 4,
  sectorCount: 6, // 16-bit LE, 512-byte virtual sectors
  lba: 8, // 32-bit LE, relative block address of the image
  criteriaType: 12
};
/** El Torito 2.3: section header. */
const SECTION = { indicator: 0, platform: 1, count: 2, idString: 4, idLength: 28 };

/** El Torito 2.2: the sector count's unit, a 512-byte virtual sector. */
export const VIRTUAL_SECTOR = 512;
/** Largest 16-bit sector count (512-byte units). */
export const MAX_SECTOR_COUNT = 0xffff;

export function encodeBootRecord(catalogLba: number): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[BOOT_RECORD.type] = VD_TYPE_BOOT;
  b.write(STANDARD_ID, BOOT_RECORD.standardId, 'latin1');
  b[BOOT_RECORD.version] = 1;
  b.write(EL_TORITO_ID, BOOT_RECORD.systemId, 'latin1');
  b.writeUInt32LE(catalogLba >>> 0, BOOT_RECORD.catalogLba);
  return b;
}

/** The catalog address of a boot record sector, or undefined when the sector is not one. */
export function parseBootRecord(sector: Buffer): { catalogLba: number } | undefined {
  if (sector.length < BOOT_RECORD.catalogLba + 4) return undefined;
  if (sector[BOOT_RECORD.type] !== VD_TYPE_BOOT) return undefined;
  const idEnd = BOOT_RECORD.standardId + STANDARD_ID.length;
  if (sector.toString('latin1', BOOT_RECORD.standardId, idEnd) !== STANDARD_ID) return undefined;
  const id = sector.toString('latin1', BOOT_RECORD.systemId, BOOT_RECORD.systemId + 32).replace(/\0+$/, '');
  if (id !== EL_TORITO_ID) return undefined;
  return { catalogLba: sector.readUInt32LE(BOOT_RECORD.catalogLba) };
}

/**
 * Sector count (512-byte units) for an image of `bytes`, as libisofs computes it
 * (eltorito.c write_section_load_size): whole 2048-byte blocks × 4. Above 65535 a UEFI entry gets 0,
 * which the UEFI specification ("ISO-9660 and El Torito") reads as "to the end of the medium"; other platforms 65535.
 */
export function loadSizeFor(bytes: number, platform: number): number {
  const count = Math.ceil(bytes / SECTOR) * (SECTOR / VIRTUAL_SECTOR);
  if (count > MAX_SECTOR_COUNT) return platform === PLATFORM_EFI ? 0 : MAX_SECTOR_COUNT;
  return count;
}

export interface CatalogEntrySpec {
  platform: number;
  /** 512-byte units */
  sectorCount: number;
  lba: number;
  /** default no emulation */
  media?: number;
  /** default 0 (= 0x7C0) */
  loadSegment?: number;
  /** El Torito 2.2: the partition type of an emulated hard disk image; default 0 */
  systemType?: number;
}

/** How many 32-byte slots the catalog of these entries needs (validation, default, headers, entries). */
export function catalogSlots(platforms: readonly number[]): number {
  if (platforms.length === 0) return 0;
  return 2 + sectionsOf(platforms.slice(1)).reduce((n, s) => n + 1 + s.count, 0);
}

function sectionsOf(platforms: readonly number[]): { platform: number; start: number; count: number }[] {
  const out: { platform: number; start: number; count: number }[] = [];
  platforms.forEach((p, i) => {
    const last = out[out.length - 1];
    if (last && last.platform === p) last.count++;
    else out.push({ platform: p, start: i, count: 1 });
  });
  return out;
}

/** El Torito 2.1: the word that makes the 16 LE words of the validation entry sum to 0. */
export function validationChecksum(entry: Buffer): number {
  let sum = 0;
  for (let i = 0; i < ENTRY_SIZE; i += 2) if (i !== VALIDATION.checksum) sum += entry.readUInt16LE(i);
  return (0x10000 - (sum & 0xffff)) & 0xffff;
}

function writeEntry(b: Buffer, off: number, e: CatalogEntrySpec): void {
  b[off + ENTRY.indicator] = BOOTABLE;
  b[off + ENTRY.media] = e.media ?? MEDIA_NO_EMULATION;
  b.writeUInt16LE(e.loadSegment ?? 0, off + ENTRY.loadSegment);
  b[off + ENTRY.systemType] = e.systemType ?? 0;
  b.writeUInt16LE(e.sectorCount, off + ENTRY.sectorCount);
  b.writeUInt32LE(e.lba >>> 0, off + ENTRY.lba);
}

/** One 2048-byte catalog; the first entry is the default. Header ID strings are empty, as xorriso's. */
export function encodeBootCatalog(entries: readonly CatalogEntrySpec[], idString = ''): Buffer {
  if (entries.length === 0) throw new RangeError('boot catalog: no boot entries');
  const slots = catalogSlots(entries.map(e => e.platform));
  if (slots > CATALOG_SLOTS)
    throw new RangeError(`boot catalog: ${entries.length} entries need ${slots} of ${CATALOG_SLOTS} slots`);
  for (const e of entries) {
    if (!Number.isInteger(e.sectorCount) || e.sectorCount < 0 || e.sectorCount > MAX_SECTOR_COUNT)
      throw new RangeError(`boot catalog: sector count ${e.sectorCount} does not fit 16 bits`);
  }
  const b = Buffer.alloc(SECTOR);
  b[VALIDATION.headerId] = 1;
  b[VALIDATION.platform] = entries[0].platform;
  b.write(idString.slice(0, VALIDATION.idLength), VALIDATION.idString, 'latin1');
  b[VALIDATION.key55] = 0x55;
  b[VALIDATION.keyAA] = 0xaa;
  b.writeUInt16LE(validationChecksum(b.subarray(0, ENTRY_SIZE)), VALIDATION.checksum);
  writeEntry(b, ENTRY_SIZE, entries[0]);
  let off = 2 * ENTRY_SIZE;
  const rest = entries.slice(1);
  const sections = sectionsOf(rest.map(e => e.platform));
  sections.forEach((s, i) => {
    b[off + SECTION.indicator] = i === sections.length - 1 ? SECTION_HEADER_LAST : SECTION_HEADER_MORE;
    b[off + SECTION.platform] = s.platform;
    b.writeUInt16LE(s.count, off + SECTION.count);
    off += ENTRY_SIZE;
    for (let k = 0; k < s.count; k++) {
      writeEntry(b, off, rest[s.start + k]);
      off += ENTRY_SIZE;
    }
  });
  return b;
}

export interface ParsedBootEntry {
  platform: number;
  bootable: boolean;
  media: number;
  loadSegment: number;
  systemType: number;
  sectorCount: number;
  lba: number;
}

export interface ParsedBootCatalog {
  validation: { platform: number; idString: string; checksumOk: boolean };
  entries: ParsedBootEntry[];
}

function readEntry(buf: Buffer, off: number, platform: number): ParsedBootEntry {
  const ind = buf[off + ENTRY.indicator];
  if (ind !== BOOTABLE && ind !== NOT_BOOTABLE)
    throw new RangeError(`boot catalog: entry at byte ${off} has boot indicator 0x${hex(ind)}`);
  return {
    platform,
    bootable: ind === BOOTABLE,
    media: buf[off + ENTRY.media] & MEDIA_TYPE_MASK,
    loadSegment: buf.readUInt16LE(off + ENTRY.loadSegment),
    systemType: buf[off + ENTRY.systemType],
    sectorCount: buf.readUInt16LE(off + ENTRY.sectorCount),
    lba: buf.readUInt32LE(off + ENTRY.lba)
  };
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/**
 * Parse a boot catalog (one or more sectors). Hostile input is bounded by the buffer and never
 * throws anything but a RangeError that says what is wrong and where.
 */
export function parseBootCatalog(buf: Buffer): ParsedBootCatalog {
  if (buf.length < 2 * ENTRY_SIZE)
    throw new RangeError(`boot catalog: ${buf.length} bytes, too short for a validation and a default entry`);
  if (buf[VALIDATION.headerId] !== 1)
    throw new RangeError(`boot catalog: validation entry header ID is 0x${hex(buf[0])}, not 0x01`);
  if (buf[VALIDATION.key55] !== 0x55 || buf[VALIDATION.keyAA] !== 0xaa)
    throw new RangeError('boot catalog: validation entry lacks the 55 AA key bytes');
  let sum = 0;
  for (let i = 0; i < ENTRY_SIZE; i += 2) sum += buf.readUInt16LE(i);
  const platform = buf[VALIDATION.platform];
  const validation = {
    platform,
    idString: buf
      .toString('latin1', VALIDATION.idString, VALIDATION.idString + VALIDATION.idLength)
      .replace(/[\0 ]+$/, ''),
    checksumOk: (sum & 0xffff) === 0
  };
  const entries: ParsedBootEntry[] = [readEntry(buf, ENTRY_SIZE, platform)];
  const end = Math.min(buf.length, SECTOR) - (Math.min(buf.length, SECTOR) % ENTRY_SIZE);
  let off = 2 * ENTRY_SIZE;
  while (off + ENTRY_SIZE <= end) {
    const ind = buf[off];
    if (ind === 0) break; // unused space after the last section (no 0x91 written)
    if (ind !== SECTION_HEADER_MORE && ind !== SECTION_HEADER_LAST)
      throw new RangeError(`boot catalog: byte ${off} is 0x${hex(ind)}, not a section header (0x90/0x91)`);
    const secPlatform = buf[off + SECTION.platform];
    const count = buf.readUInt16LE(off + SECTION.count);
    off += ENTRY_SIZE;
    for (let k = 0; k < count; k++) {
      if (off + ENTRY_SIZE > end)
        throw new RangeError(`boot catalog: section of ${count} entries runs past the end of the catalog`);
      const entry = readEntry(buf, off, secPlatform);
      let ext = buf[off + ENTRY.media] & MEDIA_EXTENSION_FOLLOWS;
      off += ENTRY_SIZE;
      // El Torito 2.5: extension entries (0x44), bit 5 of byte 1 says another follows
      while (ext) {
        if (off + ENTRY_SIZE > end || buf[off] !== SECTION_ENTRY_EXTENSION)
          throw new RangeError(`boot catalog: missing section entry extension at byte ${off}`);
        ext = buf[off + 1] & MEDIA_EXTENSION_FOLLOWS;
        off += ENTRY_SIZE;
      }
      entries.push(entry);
    }
    if (ind === SECTION_HEADER_LAST) break;
  }
  return { validation, entries };
}
