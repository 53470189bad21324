/**
 * MBR and GPT of a hybrid image, read with the parsers of src/boot (mbr.ts, gpt.ts), each
 * partition checked against the image size.
 */
import { MBR_SECTOR, MBR_TYPE_GPT_PROTECTIVE, parseMbr } from '../boot/mbr.js';
import { GPT_SIGNATURE, parseGpt } from '../boot/gpt.js';
import type { PartitionInfo } from '../image/extension.js';
import type { ImageSource } from './source.js';

/** GPT structures are looked for in this much of the head and the tail of the image. */
const GPT_WINDOW = 1024 * 1024;

export interface PartitionsRead {
  partitions: PartitionInfo[];
  /** damage: CRCs, signatures, partitions outside the image (fail the structure check) */
  problems: string[];
  /** oddities real tools produce on purpose (xorriso's overlapping isohybrid GPT) */
  notes: string[];
}

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export async function readPartitions(src: ImageSource): Promise<PartitionsRead> {
  const out: PartitionsRead = { partitions: [], problems: [], notes: [] };
  const sectors = Math.floor(src.size / MBR_SECTOR);
  const head = await src.read(0, Math.min(src.size, GPT_WINDOW), 'system area');
  const mbr = parseMbr(head.subarray(0, MBR_SECTOR));
  if (mbr.signatureOk) {
    for (const p of mbr.partitions) {
      out.partitions.push({
        table: 'mbr',
        number: p.index,
        type: hex2(p.type),
        start: p.startLba,
        sectors: p.sectors,
        ...(p.bootable ? { bootable: true } : {})
      });
      // a protective partition may claim the whole (or more than the) disk: UEFI 5.2.3
      if (p.type !== MBR_TYPE_GPT_PROTECTIVE && p.startLba + p.sectors > sectors) {
        out.problems.push(
          `MBR partition ${p.index} (sectors ${p.startLba}+${p.sectors}) lies past the end of the image (${sectors} sectors)`
        );
      }
    }
  }
  const hasGpt = head.toString('latin1', MBR_SECTOR, MBR_SECTOR + 8) === GPT_SIGNATURE;
  if (!hasGpt) return out;
  const tailStart = Math.max(0, src.size - GPT_WINDOW);
  const tail = await src.read(tailStart, src.size - tailStart, 'end of the image');
  // parseGpt reads synchronously: serve it from the head and tail windows (short reads elsewhere)
  const read = (offset: number, length: number): Buffer => {
    if (offset >= 0 && offset + length <= head.length) return head.subarray(offset, offset + length);
    if (offset >= tailStart && offset + length <= src.size) {
      return tail.subarray(offset - tailStart, offset - tailStart + length);
    }
    return Buffer.alloc(0);
  };
  const gpt = parseGpt(read, src.size);
  for (const p of gpt.problems) {
    if (/CRC|signature|outside the image|short read|too small|invalid|more than/.test(p)) {
      out.problems.push(`GPT ${p}`);
    } else out.notes.push(`GPT ${p}`);
  }
  for (const p of gpt.partitions) {
    out.partitions.push({
      table: 'gpt',
      number: p.index,
      type: p.typeGuid,
      ...(p.name ? { name: p.name } : {}),
      start: p.firstLba,
      sectors: p.lastLba - p.firstLba + 1
    });
    if (p.lastLba >= sectors) {
      out.problems.push(
        `GPT partition ${p.index} (LBAs ${p.firstLba}-${p.lastLba}) lies past the end of the image`
      );
    }
  }
  return out;
}
