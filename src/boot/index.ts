/**
 * Boot: turns the boot options into image extensions: El Torito (boot record, catalog, patched
 * BIOS images, EFI FAT images, emulated floppies and disks) and, in hybrid mode, the MBR/GPT
 * system area with the ESP appended.
 *
 * Every check of the user's input happens here or in prepare(), which runs after the scan and
 * before the output file is opened: bad input fails with one IsoforgeError and writes nothing.
 */
import { SECTOR } from '../image/bytes.js';
import type { BuildConfig } from '../config.js';
import { optionError } from '../errors.js';
import { LIMITS, readSmallFile } from '../files.js';
import type { BootEntryInfo, ImageExtension, PrepareContext } from '../image/extension.js';
import type { FileNode, LayoutView } from '../image/tree.js';
import type { Logger } from '../log.js';
import { imagePathFromUser } from '../platform.js';
import {
  CATALOG_SLOTS,
  MEDIA_NAMES,
  PLATFORM_EFI,
  PLATFORM_X86,
  catalogSlots,
  encodeBootCatalog,
  encodeBootRecord,
  loadSizeFor
} from './eltorito.js';
import { bootEntries, entryError, type BootEntry } from './entries.js';
import type { AppendedPartition } from './appended.js';
import { createHybridExtension } from './hybrid.js';
import {
  addUefiEntry,
  appendedOf,
  plan,
  treeFileEntry,
  type BootState,
  type EntryPlan
} from './uefi-entries.js';
import {
  bootFile,
  checkBiosImage,
  checkLoadSize,
  checkPatchRoom,
  emulationOf,
  fail,
  patchInImage
} from './images.js';
import { MBR_CODE_BYTES } from './mbr.js';

/**
 * Zeros after the image (before a backup GPT), as xorriso's `-as mkisofs` pads 300 KiB (-pad):
 * GRUB's BIOS disk cache reads 32 KiB-aligned chunks, and on a CD whose last file ends inside a
 * chunk that passes the end of the medium the read fails (GRUB then prints garbage for the file:
 * seen in QEMU). Readers of real drives with read-ahead have the same trouble with the last blocks.
 */
export const TAIL_PADDING = 150 * SECTOR;
const TAIL_ALIGN = 32 * 1024;

const err = (option: string, message: string) => optionError(option, `${message}`);

/** The entries and the catalog path, checked against each other. */
function checkEntries(config: BuildConfig, entries: BootEntry[]): string {
  const platforms = entries.map(e => (e.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI));
  if (catalogSlots(platforms) > CATALOG_SLOTS) {
    const option = entries[entries.length - 1].option;
    throw err(option, `${platforms.length} boot images do not fit in one boot catalog sector`);
  }
  entries.forEach((e, i) => {
    if (e.image === undefined || entries.findIndex(o => o.image === e.image) === i) return;
    throw fail(e, e.option, `${e.image} is given twice`);
  });
  const catalogPath = imagePathFromUser(config.bootCatalog, 'boot-catalog');
  if (entries.some(e => e.image === catalogPath))
    throw err('boot-catalog', `${catalogPath} is also given as a boot image`);
  return catalogPath;
}

type MbrTemplate = { code: Buffer; path: string; kind: 'isohybrid' | 'grub2' };

/** The MBR boot code template, read and checked; undefined without --mbr-template. */
async function loadMbrTemplate(
  config: BuildConfig,
  hybrid: boolean,
  bios: BootEntry | undefined
): Promise<MbrTemplate | undefined> {
  const kind = config.mbrKind === 'auto' ? (bios?.grub2BootInfo ? 'grub2' : 'isohybrid') : config.mbrKind;
  // a remaster's replay of its source image's MBR boot code (read/replay-boot.ts)
  if (config.mbrCode) return { code: config.mbrCode, path: `${config.sourceImage}'s MBR`, kind };
  if (!config.mbrTemplate) return undefined;
  if (!hybrid) throw err('mbr-template', 'needs --hybrid true (the MBR is part of the hybrid layout)');
  if (!bios)
    throw err(
      'mbr-template',
      'the MBR boot code starts a BIOS boot image: give --bios-boot or a --boot platform=bios image entry'
    );
  const code = await readSmallFile(config.mbrTemplate, {
    limit: LIMITS.mbrTemplate,
    what: '--mbr-template',
    kind: 'an MBR template'
  });
  if (code.length < MBR_CODE_BYTES) {
    throw err(
      'mbr-template',
      `${config.mbrTemplate} is ${code.length} bytes; MBR boot code needs ${MBR_CODE_BYTES} (isohdpfx.bin, boot_hybrid.img)`
    );
  }
  // GRUB's boot_hybrid.img jumps to the image's sector 4 (core.img after cdboot.img), which only
  // a GRUB eltorito.img patched with --grub2-boot-info has; isohdpfx.bin starts isolinux.bin.
  return { code, path: config.mbrTemplate, kind };
}

/** A BIOS no-emulation image, or an emulated floppy or hard disk of either platform. */
async function addImageEntry(
  ctx: PrepareContext,
  config: BuildConfig,
  state: BootState,
  e: BootEntry
): Promise<EntryPlan> {
  const node = bootFile(ctx, e);
  const { media, systemType } = await emulationOf(e, node);
  // no-emulation BIOS: --bios-boot-load-size; emulated images: 1 sector, as xorriso writes them
  const loadSize = e.loadSize ?? (e.emulation === 'none' ? config.biosBootLoadSize : 1);
  if (e.emulation === 'none') checkBiosImage(e, node, loadSize);
  else checkLoadSize(e, node, loadSize);
  checkPatchRoom(e, node);
  if (e.infoTable || e.grub2BootInfo) await patchInImage(node, e);
  ctx.setOrder(node, state.order++);
  return plan(e, node.size, { node, media, systemType, loadSize });
}

/** An entry whose image is an appended partition, all of it (xorriso's `--interval:appended_partition_N:all::`). */
function partitionEntry(e: BootEntry, parts: readonly AppendedPartition[]): EntryPlan {
  const p = parts.find(q => q.number === e.partition);
  if (!p) {
    const have = parts.map(q => q.number).join(', ');
    throw entryError(
      e,
      `partition=${e.partition} names no appended partition (${have ? `there are ${have}` : 'give --append-partition'})`
    );
  }
  if (e.emulation !== 'none')
    throw entryError(e, `an appended partition is booted without emulation (emulation=none)`);
  const platform = e.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI;
  return plan(e, p.bytes, { partition: p, loadSize: e.loadSize ?? loadSizeFor(p.bytes, platform) });
}

export async function createBootExtensions(config: BuildConfig, log: Logger): Promise<ImageExtension[]> {
  const entries = bootEntries(config);
  const hybrid = config.hybrid ?? entries.length > 0;
  if (entries.length === 0) {
    if (config.hybrid === true) throw err('hybrid', 'needs a boot image (--bios-boot or --uefi-boot)');
    if (config.mbrTemplate) throw err('mbr-template', 'needs a BIOS boot image (--bios-boot)');
    if (config.appendPartition.length > 0)
      throw err(
        'append-partition',
        'appended partitions are part of the hybrid layout of a bootable image: give a boot entry'
      );
    return [];
  }
  const catalogPath = checkEntries(config, entries);
  // the MBR code starts the first BIOS no-emulation image, else the first emulated one (memtest86+)
  const biosImages = entries.filter(e => e.platform === 'bios' && e.image !== undefined);
  const biosImage = biosImages.find(e => e.emulation === 'none') ?? biosImages[0];
  const mbrTemplate = await loadMbrTemplate(config, hybrid, biosImage);
  const epoch = config.epoch ?? Math.floor(Date.now() / 1000);
  const state: BootState = { entries: [], order: 1, fats: 0, esp: { bytes: 0 }, inTree: new Map() };
  let catalog: FileNode | undefined;
  // hybrid: the first --uefi-boot image is the appended ESP
  const espEntry = hybrid ? entries.find(e => e.option === 'uefi-boot') : undefined;
  const appended = await appendedOf(config, hybrid, entries, espEntry, state);
  const isUefiImage = (e: BootEntry) => e.platform === 'uefi' && e.emulation === 'none';

  const eltorito: ImageExtension = {
    name: 'eltorito',
    volumeDescriptorCount: 1,
    async prepare(ctx: PrepareContext) {
      replaceCatalog(ctx, catalogPath);
      Object.assign(state, { entries: [], order: 1, fats: 0 });
      const planned: (EntryPlan | undefined)[] = [];
      for (const e of entries) {
        const inTree = state.inTree.get(e);
        planned.push(
          inTree
            ? await treeFileEntry(ctx, e, inTree)
            : e.partition !== undefined
              ? undefined
              : isUefiImage(e)
                ? await addUefiEntry(ctx, config, state, e, e === espEntry)
                : await addImageEntry(ctx, config, state, e)
        );
      }
      // the partition entries last: a partition that is a tree file has its size once that is found
      state.entries = planned.map((p, i) => p ?? partitionEntry(entries[i], appended));
      catalog = ctx.addFile(
        catalogPath,
        {
          kind: 'file',
          size: SECTOR,
          data: { type: 'deferred', produce: layout => encodeBootCatalog(specs(layout)) }
        },
        { hidden: config.bootCatalogHide, order: 0 }
      );
    },
    encodeVolumeDescriptors: () => [encodeBootRecord(catalog!.lba)],
    padding: { bytes: TAIL_PADDING, align: TAIL_ALIGN },
    describe: layout => ({
      boot: state.entries.map((e): BootEntryInfo => ({
        platform: e.entry.platform,
        path: e.node ? e.node.path : `partition:${e.partition!.number}`,
        emulation: MEDIA_NAMES[e.media],
        loadSize: e.loadSize,
        lba: lbaOf(e, layout),
        ...(e.entry.platform === 'bios' ? { bootInfoTable: e.entry.infoTable } : {})
      }))
    })
  };
  const lbaOf = (e: EntryPlan, layout: LayoutView) =>
    e.node ? e.node.lba : layout.region(e.partition!.region).lba;
  const specs = (layout: LayoutView) =>
    state.entries.map(e => ({
      platform: e.entry.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI,
      sectorCount: e.loadSize,
      lba: lbaOf(e, layout),
      media: e.media,
      systemType: e.systemType
    }));
  if (!hybrid) return [eltorito];
  const anyUefi = entries.some(e => e.platform === 'uefi');
  if (!mbrTemplate && anyUefi)
    log.info('hybrid image without --mbr-template: USB/disk boot works through UEFI only');
  if (!mbrTemplate && !anyUefi)
    log.warn('--hybrid without --mbr-template or --uefi-boot: the image will not boot as a disk', '--hybrid');
  return [
    eltorito,
    createHybridExtension({ appended, mbrTemplate, biosBootPath: biosImage?.image, epoch, log })
  ];
}

/**
 * A tree extracted from an existing image holds its boot catalog: the new catalog replaces it (a
 * folder of that name is an error).
 */
function replaceCatalog(ctx: PrepareContext, catalogPath: string): void {
  const old = ctx.lookup(catalogPath);
  if (!old) return;
  if (old.kind === 'dir')
    throw err('boot-catalog', `${catalogPath} is a folder in the source; choose another path`);
  ctx.remove(old);
  ctx.log.warn(`--boot-catalog: the source's ${old.path} is replaced by the new boot catalog`, old.path);
}
