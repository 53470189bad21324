/**
 * The hybrid system area: the same file boots as a CD and as a disk. Laid out as xorriso's
 * `-partition_offset 16 -appended_part_as_gpt -append_partition 2 0xef esp.img --mbr-force-bootable`
 * (lorax, Ubuntu) writes it, with a GPT that is valid:
 *
 * - MBR (512-byte sector 0): boot code from the template (bytes 0-431) patched with the BIOS boot
 *   image's address; entry 1 type 0xEE (protective, LBA 1 to the end); entry 2 bootable, type 0,
 *   LBA 0 size 1 (--mbr-force-bootable: BIOSes that want an active entry boot the MBR code).
 * - GPT header at LBA 1, 248 entries at LBA 2-63; backup entries and header in the last sectors.
 * - GPT partition 1 "ISO9660" (basic data) from sector 64 = ISO block 16, the partition offset where
 *   the image writer puts a second superblock and tree, so the partition mounts as ISO 9660.
 * - GPT partitions 2-4: the appended partitions (src/boot/appended.ts) after the ISO 9660 volume,
 *   in the order of their numbers: the EFI system partition (EF00) isoforge builds is number 2
 *   unless --append-partition takes it. One that is a file of the tree (stored once) is inside the
 *   volume space, as xorriso counts its appended partitions, and after partition 1's end.
 */
import { createHash } from 'node:crypto';
import { SECTOR } from '../image/bytes.js';
import type { AppendedRegion, ImageExtension, PartitionInfo } from '../image/extension.js';
import type { LayoutView } from '../image/tree.js';
import type { Logger } from '../log.js';
import type { AppendedPartition } from './appended.js';
import {
  GPT_ATTR_READ_ONLY,
  GPT_ATTR_REQUIRED,
  GPT_ENTRY_COUNT,
  GPT_TYPE_BASIC_DATA,
  encodeGptEntries,
  encodeGptHeader,
  gptGeometry,
  type GptPartition
} from './gpt.js';
import {
  MBR_SECTOR,
  MBR_TYPE_GPT_PROTECTIVE,
  encodeMbr,
  mbrBootAddress,
  mbrTypeText,
  type MbrPartition
} from './mbr.js';

/** ISO blocks (2048 bytes) before the partition's own superblock copy: ISO9660 partition at sector 64. */
export const HYBRID_PARTITION_OFFSET = 16;
const SECTORS_PER_BLOCK = 4;
const ISO_PARTITION_NAME = 'ISO9660';
/** The name and GUID seed of the ESP isoforge builds (from --uefi-boot); others: Appended<N>. */
export const ESP_PARTITION_NAME = 'EFI system partition';

export interface HybridOptions {
  /** the partitions appended after the ISO data, in the order of their numbers (sizes known after prepare) */
  appended: readonly AppendedPartition[];
  /** MBR boot code template: only bytes 0-431 are used; patched with the BIOS boot image's address */
  mbrTemplate?: { code: Buffer; path: string; kind: 'isohybrid' | 'grub2' };
  /** image path (in the tree) of the BIOS El Torito boot file the MBR code must find */
  biosBootPath?: string;
  /** seconds; disk GUID / partition GUIDs / MBR disk id derive deterministically from it */
  epoch: number;
  log: Logger;
}

/** A version-4-shaped GUID derived from the build's epoch (same epoch, same image). */
export function derivedGuid(epoch: number, what: string): string {
  const h = createHash('sha256').update(`isoforge-gpt:${epoch}:${what}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40; // RFC 9562 version 4 in the time_hi_and_version field
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant 10
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`.toUpperCase();
}

export function derivedDiskId(epoch: number): number {
  const id = createHash('sha256').update(`isoforge-mbr:${epoch}`).digest().readUInt32LE(0);
  return id === 0 ? 1 : id;
}

interface HybridLayout {
  mbr: MbrPartition[];
  gpt: GptPartition[];
  totalSectors: number;
}

/** The GPT's partitions (the ISO 9660 data, the appended ones) and the protective MBR's entries. */
function layoutOf(o: HybridOptions, view: LayoutView): HybridLayout {
  const totalSectors = view.imageSize / MBR_SECTOR;
  const geo = gptGeometry(totalSectors);
  const isoStart = HYBRID_PARTITION_OFFSET * SECTORS_PER_BLOCK;
  const appended = o.appended.filter(p => p.bytes > 0);
  // the ISO 9660 data partition runs to the first appended partition, or to the end of the volume
  const isoEnd =
    (appended.length > 0 ? view.region(appended[0].region).lba : view.volumeBlocks) * SECTORS_PER_BLOCK - 1;
  const gpt: GptPartition[] = [
    {
      index: 1,
      typeGuid: GPT_TYPE_BASIC_DATA,
      guid: derivedGuid(o.epoch, 'iso9660'),
      firstLba: isoStart,
      lastLba: isoEnd,
      name: ISO_PARTITION_NAME,
      attributes: GPT_ATTR_REQUIRED | GPT_ATTR_READ_ONLY
    }
  ];
  // the first ESP's GUID is seeded 'esp'; any other partition's by its number (GUIDs are unique)
  const esp = appended.find(p => p.name === ESP_PARTITION_NAME);
  for (const p of appended) {
    const first = view.region(p.region).lba * SECTORS_PER_BLOCK;
    gpt.push({
      index: p.number,
      typeGuid: p.gptType,
      guid: derivedGuid(o.epoch, p === esp ? 'esp' : `appended-${p.number}`),
      firstLba: first,
      lastLba: first + Math.ceil(p.bytes / MBR_SECTOR) - 1,
      name: p.name,
      attributes: 0n
    });
  }
  for (const p of gpt) {
    if (p.lastLba > geo.lastUsableLba)
      throw new Error(`internal: GPT partition ${p.name} ends at ${p.lastLba}, past ${geo.lastUsableLba}`);
  }
  const mbr: MbrPartition[] = [
    {
      index: 1,
      bootable: false,
      type: MBR_TYPE_GPT_PROTECTIVE,
      startLba: 1,
      sectors: Math.min(totalSectors - 1, 0xffffffff)
    }
  ];
  // --mbr-force-bootable: only with boot code (without it, an active entry would run zeros)
  if (o.mbrTemplate) mbr.push({ index: 2, bootable: true, type: 0, startLba: 0, sectors: 1 });
  return { mbr, gpt, totalSectors };
}

/** The GPT's bytes: the entry array, the primary header and the backup header. */
function gptOf(o: HybridOptions, view: LayoutView) {
  const l = layoutOf(o, view);
  const geo = gptGeometry(l.totalSectors);
  const entries = encodeGptEntries(l.gpt, GPT_ENTRY_COUNT);
  const diskGuid = derivedGuid(o.epoch, 'disk');
  const common = { firstUsableLba: geo.firstUsableLba, lastUsableLba: geo.lastUsableLba, diskGuid };
  return {
    layout: l,
    geo,
    entries,
    primary: encodeGptHeader(
      { ...common, myLba: 1, alternateLba: geo.backupHeaderLba, entriesLba: 2 },
      entries
    ),
    backup: encodeGptHeader(
      { ...common, myLba: geo.backupHeaderLba, alternateLba: 1, entriesLba: geo.backupEntriesLba },
      entries
    )
  };
}

/** The image's end: the backup entry array and header, the image then whole 2048-byte blocks. */
function backupGpt(
  o: HybridOptions,
  sizeSoFar: number
): { bytes: number; produce(layout: LayoutView): Buffer } {
  // sizeSoFar is already a multiple of 2048, so the image stays whole 512-byte sectors too
  const need = (gptGeometry(0).arraySectors + 1) * MBR_SECTOR;
  const end = Math.ceil((sizeSoFar + need) / SECTOR) * SECTOR;
  return {
    bytes: end - sizeSoFar,
    produce(layout: LayoutView): Buffer {
      const g = gptOf(o, layout);
      const out = Buffer.alloc(end - sizeSoFar);
      g.entries.copy(out, g.geo.backupEntriesLba * MBR_SECTOR - sizeSoFar);
      g.backup.copy(out, g.geo.backupHeaderLba * MBR_SECTOR - sizeSoFar);
      return out;
    }
  };
}

/** Blocks 0-15: the MBR (boot code patched with the BIOS image's address), the primary GPT. */
function writeSystemArea(o: HybridOptions, layout: LayoutView, area: Buffer): void {
  const g = gptOf(o, layout);
  let bootAddress: bigint | undefined;
  if (o.mbrTemplate) {
    const boot = o.biosBootPath ? layout.file(o.biosBootPath) : undefined;
    if (!boot)
      throw new Error(`internal: the MBR template needs the BIOS boot image ${o.biosBootPath ?? ''}`);
    bootAddress = mbrBootAddress(o.mbrTemplate.kind, boot.lba);
  }
  encodeMbr({
    code: o.mbrTemplate?.code,
    bootAddress,
    diskId: derivedDiskId(o.epoch),
    partitions: g.layout.mbr
  }).copy(area, 0);
  g.primary.copy(area, MBR_SECTOR);
  g.entries.copy(area, 2 * MBR_SECTOR);
  o.log.debug(
    `hybrid: ${g.layout.totalSectors} sectors, GPT ${g.layout.gpt.map(p => `${p.name} ${p.firstLba}-${p.lastLba}`).join(', ')}`
  );
}

function describePartitions(l: HybridLayout): PartitionInfo[] {
  return [
    ...l.mbr.map(p => ({
      table: 'mbr' as const,
      number: p.index,
      type: mbrTypeText(p.type),
      start: p.startLba,
      sectors: p.sectors,
      bootable: p.bootable
    })),
    ...l.gpt.map(p => ({
      table: 'gpt' as const,
      number: p.index,
      type: p.typeGuid,
      name: p.name,
      start: p.firstLba,
      sectors: p.lastLba - p.firstLba + 1
    }))
  ];
}

export function createHybridExtension(o: HybridOptions): ImageExtension {
  return {
    name: 'hybrid',
    partitionOffset: HYBRID_PARTITION_OFFSET,
    appendedRegions: (): AppendedRegion[] =>
      o.appended.map(p => ({
        name: p.region,
        bytes: p.bytes,
        file: p.file,
        produce: layout => p.produce(layout)
      })),
    tail: sizeSoFar => backupGpt(o, sizeSoFar),
    systemArea: (layout, area) => writeSystemArea(o, layout, area),
    describe: layout => ({ partitions: describePartitions(layoutOf(o, layout)) })
  };
}
