/**
 * Appended partitions (`--append-partition 'N TYPE FILE'`, xorriso's `-append_partition` with
 * `-appended_part_as_gpt`): files written after the ISO 9660 volume, each a GPT partition of the
 * hybrid layout, numbered N. GPT entry 1 is the ISO 9660 data partition, so N is 2-4; the MBR
 * stays protective (one 0xEE entry over the disk), as xorriso writes it with -appended_part_as_gpt.
 */
import { optionError } from '../errors.js';
import { openRegularFile } from '../files.js';
import { imageChunks } from '../image/image-data.js';
import type { FileNode, ImageFile, LayoutView } from '../image/tree.js';
import { GPT_TYPE_BASIC_DATA, GPT_TYPE_ESP, decodeGuid } from './gpt.js';
import { MBR_TYPE_EFI } from './mbr.js';
import { readPathChunks } from './source-chunks.js';

/** GPT entries an appended partition may take: 1 is the ISO 9660 partition (hybrid.ts). */
export const FIRST_APPENDED = 2;
export const LAST_APPENDED = 4;
/** xorriso maps a type GUID to an MBR type: the ESP's to 0xEF, any other to 0x83 (Linux). */
const MBR_TYPE_LINUX = 0x83;
/** xorriso's names for MBR types (`-append_partition 2 FAT16 …`). */
const TYPE_NAMES: Record<string, number> = { fat12: 0x01, fat16: 0x06, linux: MBR_TYPE_LINUX };

export interface AppendedPartition {
  /** GPT entry number, 2-4 */
  number: number;
  /** GPT partition type GUID and the MBR type byte it corresponds to */
  gptType: string;
  mbrType: number;
  /** the GPT partition name */
  name: string;
  /** the appended region (plan) that holds it */
  region: string;
  bytes: number;
  produce(layout: LayoutView): AsyncIterable<Buffer> | Buffer;
  /** a file of the tree whose bytes the partition is, stored once (`--boot 'image=PATH partition=N'`) */
  file?: FileNode;
}

export const regionOf = (n: number) => `partition-${n}`;

const fail = (text: string, entry: string) => optionError('append-partition', `'${entry}': ${text}`);

/** TYPE: an MBR type byte (0xef, FAT16, Linux) or a GPT type GUID (structured or xorriso's plain hex). */
export function partitionType(text: string, entry: string): { gptType: string; mbrType: number } {
  const t = text.toLowerCase();
  const byte = TYPE_NAMES[t] ?? (/^0x[0-9a-f]{1,2}$/.test(t) ? parseInt(t, 16) : undefined);
  if (byte !== undefined)
    return { mbrType: byte, gptType: byte === MBR_TYPE_EFI ? GPT_TYPE_ESP : GPT_TYPE_BASIC_DATA };
  let guid: string | undefined;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(t)) guid = t.toUpperCase();
  else if (/^[0-9a-f]{32}$/.test(t)) guid = decodeGuid(Buffer.from(t, 'hex'));
  if (guid === undefined)
    throw fail(`type ${text} is not an MBR type (0x00-0xff, FAT12, FAT16, Linux) or a GPT type GUID`, entry);
  return { gptType: guid, mbrType: guid === GPT_TYPE_ESP ? MBR_TYPE_EFI : MBR_TYPE_LINUX };
}

/** One `N TYPE FILE` (FILE is the rest: it may hold spaces), its file opened and its size taken. */
async function appendedPartition(entry: string): Promise<AppendedPartition> {
  const m = /^\s*(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(entry);
  if (!m) throw fail('give N TYPE FILE (e.g. 2 0xef efi.img)', entry);
  const number = /^\d$/.test(m[1]) ? Number(m[1]) : NaN;
  if (number === 1)
    throw fail(
      `partition 1 is the ISO 9660 data partition of the hybrid layout's GPT; appended partitions are ${FIRST_APPENDED}-${LAST_APPENDED}`,
      entry
    );
  if (!(number >= FIRST_APPENDED && number <= LAST_APPENDED))
    throw fail(`partition number ${m[1]} is not ${FIRST_APPENDED}-${LAST_APPENDED}`, entry);
  const type = partitionType(m[2], entry);
  const path = m[3];
  const { handle, size } = await openRegularFile(path, { what: `--append-partition: cannot read` });
  await handle.close();
  if (size === 0) throw fail(`${path} is empty`, entry);
  return {
    number,
    ...type,
    name: `Appended${number}`,
    region: regionOf(number),
    bytes: size,
    produce: () => readPathChunks(path, size, 'append-partition', 'the image was written')
  };
}

/**
 * An appended partition whose bytes are a range of another image (a remaster's replay of its
 * source image's appended partitions, read/replay-boot.ts): streamed from it, as its files are.
 */
export interface AppendedRange {
  number: number;
  /** TYPE as --append-partition takes it (0xef, a GPT type GUID) */
  type: string;
  image: ImageFile;
  /** bytes */
  offset: number;
  length: number;
}

/** The range's bytes as a user would cut them out: `<bytes FIRST-LAST of IMAGE>`. */
export const rangeBytes = (r: Pick<AppendedRange, 'offset' | 'length' | 'image'>) =>
  `<bytes ${r.offset}-${r.offset + r.length - 1} of ${r.image.path}>`;

/** The text `--append-partition` would take for a range, FILE naming the bytes of the image. */
export const rangeText = (r: AppendedRange) => `${r.number} ${r.type} ${rangeBytes(r)}`;

function rangePartition(r: AppendedRange): AppendedPartition {
  const entry = rangeText(r);
  if (!(r.number >= FIRST_APPENDED && r.number <= LAST_APPENDED))
    throw fail(`partition number ${r.number} is not ${FIRST_APPENDED}-${LAST_APPENDED}`, entry);
  return {
    number: r.number,
    ...partitionType(r.type, entry),
    name: `Appended${r.number}`,
    region: regionOf(r.number),
    bytes: r.length,
    produce: () => imageChunks(r.image, [{ offset: r.offset, length: r.length }], r.length)
  };
}

/** Every `--append-partition` and replayed range, in the order of N (their order in the image). */
export async function appendedPartitions(
  entries: readonly string[],
  ranges: readonly AppendedRange[] = []
): Promise<AppendedPartition[]> {
  const out: AppendedPartition[] = [];
  const all: [string, () => Promise<AppendedPartition> | AppendedPartition][] = [
    ...entries.map((e): [string, () => Promise<AppendedPartition>] => [e, () => appendedPartition(e)]),
    ...ranges.map((r): [string, () => AppendedPartition] => [rangeText(r), () => rangePartition(r)])
  ];
  for (const [e, make] of all) {
    const p = await make();
    if (out.some(q => q.number === p.number)) throw fail(`partition ${p.number} is given twice`, e);
    out.push(p);
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The lowest GPT entry number no appended partition takes (for the ESP isoforge builds), or undefined. */
export function freeNumber(parts: readonly AppendedPartition[]): number | undefined {
  for (let n = FIRST_APPENDED; n <= LAST_APPENDED; n++) if (!parts.some(p => p.number === n)) return n;
  return undefined;
}
