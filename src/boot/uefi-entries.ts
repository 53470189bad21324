/**
 * The UEFI entries' images and the appended partitions they make: a FAT image file of the tree as
 * it is, a folder made into one (the FAT builder), or, in the hybrid layout, the appended ESP: the
 * first --uefi-boot image (a built FAT image, or the tree file itself, stored once) and each
 * `--boot 'platform=uefi image=PATH partition=N'` (the tree file is partition N, stored once).
 */
import type { BuildConfig } from '../config.js';
import { optionError } from '../errors.js';
import type { PrepareContext } from '../image/extension.js';
import type { FileNode, LayoutView } from '../image/tree.js';
import { appendedPartitions, freeNumber, regionOf, type AppendedPartition } from './appended.js';
import { MEDIA_NO_EMULATION, PLATFORM_EFI, loadSizeFor } from './eltorito.js';
import { entryError, type BootEntry } from './entries.js';
import { buildFat } from './fat.js';
import { GPT_TYPE_ESP } from './gpt.js';
import { ESP_PARTITION_NAME } from './hybrid.js';
import { bootFile, checkFatImage, espRoot, fail } from './images.js';
import { MBR_TYPE_EFI } from './mbr.js';

const err = (option: string, message: string) => optionError(option, message);

/** One catalog entry as planned: its image in the tree, or an appended region. */
export interface EntryPlan {
  entry: BootEntry;
  node?: FileNode;
  /** the appended partition whose whole content is the image */
  partition?: AppendedPartition;
  bytes: number;
  /** El Torito 2.2 media type and system type */
  media: number;
  systemType: number;
  /** 512-byte sectors, as written in the catalog */
  loadSize: number;
}

/** What the El Torito extension gathers while preparing, for the catalog and the hybrid layout. */
export interface BootState {
  entries: EntryPlan[];
  /** data order of the next boot image (the catalog is 0) */
  order: number;
  /** UEFI images so far: the n-th one made from a folder is efi.img, efi-2.img… */
  fats: number;
  /** the ESP appended after the volume (the first UEFI image of a hybrid image): built, or a tree file */
  esp: { bytes: number; produce?: (layout: LayoutView) => AsyncIterable<Buffer> | Buffer; file?: FileNode };
  /** the appended partition that holds it */
  espPartition?: AppendedPartition;
  /** the partitions of `image=PATH partition=N` entries: tree files stored once */
  inTree: Map<BootEntry, AppendedPartition>;
}

export const plan = (entry: BootEntry, bytes: number, p: Partial<EntryPlan>): EntryPlan => ({
  entry,
  bytes,
  media: MEDIA_NO_EMULATION,
  systemType: 0,
  loadSize: entry.loadSize ?? loadSizeFor(bytes, PLATFORM_EFI),
  ...p
});

/** A UEFI boot image: a FAT image file as it is, or a folder made into one; in the tree or the ESP. */
export async function addUefiEntry(
  ctx: PrepareContext,
  config: BuildConfig,
  state: BootState,
  e: BootEntry,
  toEsp: boolean
): Promise<EntryPlan> {
  const p = e.image!;
  const i = state.fats++;
  const node = ctx.lookup(p);
  if (!node) throw fail(e, 'uefi-boot', `${p} does not exist in the source ${ctx.source}`);
  if (node.kind === 'symlink')
    throw fail(e, 'uefi-boot', `${p} is a symbolic link; give the FAT image or folder it points to`);
  if (node.kind === 'file') {
    await checkFatImage(e, node);
    if (config.uefiBootSize !== undefined)
      ctx.log.warn(`--uefi-boot-size applies to folders; ${p} is a FAT image and keeps its size`);
    if (toEsp) {
      // the file of the tree is the appended ESP, stored once (its records point at the partition)
      state.esp = { bytes: node.size, file: node };
      return plan(e, node.size, { node, partition: state.espPartition });
    }
    ctx.setOrder(node, state.order++);
    return plan(e, node.size, { node });
  }
  const fat = await buildFat(espRoot(e, node), {
    epoch: ctx.epoch,
    size: config.uefiBootSize,
    label: 'EFIBOOT',
    log: ctx.log,
    option: e.option
  });
  ctx.log.debug(
    `${e.option === 'boot' ? `--boot '${e.text}'` : `--uefi-boot ${p}`}: FAT${fat.fatType} image of ${fat.size} bytes`
  );
  if (toEsp) {
    state.esp = { bytes: fat.size, produce: () => fat.produce() };
    return plan(e, fat.size, { partition: state.espPartition });
  }
  const chunks: Buffer[] = [];
  for await (const c of fat.produce()) chunks.push(c);
  const bytes = Buffer.concat(chunks);
  const name = freeName(ctx, i === 0 ? 'efi.img' : `efi-${i + 1}.img`);
  const file = ctx.addFile(
    name,
    { kind: 'file', size: bytes.length, data: { type: 'memory', bytes } },
    { hidden: true, order: state.order++ }
  );
  return plan(e, bytes.length, { node: file });
}

/** An appended ESP whose bytes are a tree file, set at prepare (treeFileEntry). */
const treeFilePartition = (number: number): AppendedPartition => ({
  number,
  gptType: GPT_TYPE_ESP,
  mbrType: MBR_TYPE_EFI,
  name: ESP_PARTITION_NAME,
  region: regionOf(number),
  bytes: 0,
  produce: () => {
    throw new Error(`internal: partition ${number} is a file of the tree, written as one`);
  }
});

/** `--boot 'platform=uefi image=PATH partition=N'`: the FAT image file of the tree is partition N. */
export async function treeFileEntry(
  ctx: PrepareContext,
  e: BootEntry,
  part: AppendedPartition
): Promise<EntryPlan> {
  const node = ctx.lookup(e.image!);
  if (node?.kind === 'dir')
    throw entryError(e, `${e.image} is a folder; give a FAT image file (--uefi-boot makes one of a folder)`);
  const file = bootFile(ctx, e);
  await checkFatImage(e, file);
  Object.assign(part, { file, bytes: file.size });
  ctx.log.debug(`--boot '${e.text}': ${file.path} is appended partition ${part.number}, stored once`);
  return plan(e, file.size, { node: file, partition: part });
}

/**
 * The appended partitions of the hybrid layout: --append-partition's (and a remaster's replayed
 * ranges), the tree files of `image=PATH partition=N` entries, and the ESP of the first
 * --uefi-boot image (GPT entry 2, or the first one they leave free), in the order of N.
 */
export async function appendedOf(
  config: BuildConfig,
  hybrid: boolean,
  entries: readonly BootEntry[],
  espEntry: BootEntry | undefined,
  state: BootState
): Promise<AppendedPartition[]> {
  const ranges = config.appendedRanges ?? [];
  const inTree = entries.filter(e => e.image !== undefined && e.partition !== undefined);
  if (config.appendPartition.length === 0 && ranges.length === 0 && !espEntry && inTree.length === 0)
    return [];
  if (!hybrid && inTree.length > 0)
    throw entryError(
      inTree[0],
      'an image stored as an appended partition needs the hybrid layout (--hybrid true)'
    );
  if (!hybrid)
    throw err('append-partition', 'appended partitions are part of the hybrid layout: give --hybrid true');
  const parts = await appendedPartitions(config.appendPartition, ranges);
  for (const e of inTree) {
    const taken = parts.find(p => p.number === e.partition);
    if (taken)
      throw entryError(
        e,
        `partition ${e.partition} is also ${[...state.inTree.values()].includes(taken) ? "another entry's image" : 'given by --append-partition'}`
      );
    const part = treeFilePartition(e.partition!);
    state.inTree.set(e, part);
    parts.push(part);
  }
  parts.sort((a, b) => a.number - b.number);
  if (!espEntry) return parts;
  const number = freeNumber(parts);
  if (number === undefined)
    throw err(
      'append-partition',
      `partitions ${parts.map(p => p.number).join(', ')} leave no GPT entry for the ESP of --uefi-boot ${espEntry.text}`
    );
  state.espPartition = {
    number,
    gptType: GPT_TYPE_ESP,
    mbrType: MBR_TYPE_EFI,
    name: ESP_PARTITION_NAME,
    region: regionOf(number),
    get bytes() {
      return state.esp.bytes;
    },
    get file() {
      return state.esp.file;
    },
    produce: (layout: LayoutView) => state.esp.produce!(layout)
  };
  return [...parts, state.espPartition].sort((a, b) => a.number - b.number);
}

function freeName(ctx: PrepareContext, name: string): string {
  if (!ctx.lookup(name)) return name;
  for (let i = 1; ; i++) {
    const n = name.replace(/\.img$/, `.${i}.img`);
    if (!ctx.lookup(n)) return n;
  }
}
