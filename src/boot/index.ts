/**
 * Boot: turns the boot options into image extensions: El Torito (boot record, catalog, patched
 * BIOS images, EFI FAT images) and, in hybrid mode, the MBR/GPT system area with the ESP appended.
 *
 * Every check of the user's input happens here or in prepare(), which runs after the scan and
 * before the output file is opened: bad input fails with one IsoforgeError and writes nothing.
 */
import { SECTOR, blocksFor } from '../image/bytes.js';
import { readImageData } from '../image/image-data.js';
import type { BuildConfig } from '../config.js';
import { IsoforgeError, fsError, optionError } from '../errors.js';
import { LIMITS, openRegularFile, readSmallFile } from '../files.js';
import type { BootEntryInfo, ImageExtension, PrepareContext } from '../image/extension.js';
import type { DirNode, FileNode, LayoutView, TreeNode } from '../image/tree.js';
import type { Logger } from '../log.js';
import { imagePathFromUser } from '../platform.js';
import { patchBootInfoTable, patchGrub2BootInfo, BOOT_INFO_TABLE, GRUB2_BOOT_INFO } from './bootinfo.js';
import {
  CATALOG_SLOTS,
  PLATFORM_EFI,
  PLATFORM_X86,
  catalogSlots,
  encodeBootCatalog,
  encodeBootRecord,
  loadSizeFor,
  VIRTUAL_SECTOR
} from './eltorito.js';
import { buildFat } from './fat.js';
import { ESP_REGION, createHybridExtension } from './hybrid.js';
import { readFileChunks } from './source-chunks.js';
import { BOOT_SIGNATURE, MBR_CODE_BYTES } from './mbr.js';

/**
 * The largest BIOS no-emulation image: the BIOS loads it at 0000:7C00 (El Torito 2.2, load segment
 * 0 = 0x7C0) in real mode, and conventional memory ends at the extended BIOS data area (0x9FC00
 * at the latest): 0x9FC00 - 0x7C00 = 608 KiB. Neither the BIOS (load size) nor the loader itself
 * (boot info table) can place a larger image there.
 */
export const MAX_BIOS_IMAGE = 0x9fc00 - 0x7c00;
/**
 * Zeros after the image (before a backup GPT), as xorriso's `-as mkisofs` pads 300 KiB (-pad):
 * GRUB's BIOS disk cache reads 32 KiB-aligned chunks, and on a CD whose last file ends inside a
 * chunk that passes the end of the medium the read fails (GRUB then prints garbage for the file:
 * seen in QEMU). Readers of real drives with read-ahead have the same trouble with the last blocks.
 */
export const TAIL_PADDING = 150 * SECTOR;
const TAIL_ALIGN = 32 * 1024;

interface EntryPlan {
  platform: 'bios' | 'uefi';
  /** image path, or undefined for the appended ESP */
  node?: FileNode;
  bytes: number;
  bootInfoTable: boolean;
}

const err = (option: string, message: string) => optionError(option, `${message}`);

/** The boot images and catalog as image paths, checked against each other. */
function bootPaths(config: BuildConfig): { bios: string[]; uefi: string[]; catalogPath: string } {
  const bios = config.biosBoot.map(p => imagePathFromUser(p, 'bios-boot'));
  const uefi = config.uefiBoot.map(p => imagePathFromUser(p, 'uefi-boot'));
  const platforms = [...bios.map(() => PLATFORM_X86), ...uefi.map(() => PLATFORM_EFI)];
  if (catalogSlots(platforms) > CATALOG_SLOTS) {
    throw err('bios-boot', `${platforms.length} boot images do not fit in one boot catalog sector`);
  }
  for (const [option, list] of [
    ['bios-boot', bios],
    ['uefi-boot', uefi]
  ] as const) {
    const twice = list.find((p, i) => list.indexOf(p) !== i || (option === 'uefi-boot' && bios.includes(p)));
    if (twice !== undefined) throw err(option, `${twice} is given twice`);
  }
  const catalogPath = imagePathFromUser(config.bootCatalog, 'boot-catalog');
  if (bios.includes(catalogPath) || uefi.includes(catalogPath))
    throw err('boot-catalog', `${catalogPath} is also given as a boot image`);
  return { bios, uefi, catalogPath };
}

type MbrTemplate = { code: Buffer; path: string; kind: 'isohybrid' | 'grub2' };

/** The MBR boot code template, read and checked; undefined without --mbr-template. */
async function loadMbrTemplate(
  config: BuildConfig,
  hybrid: boolean,
  bios: string[]
): Promise<MbrTemplate | undefined> {
  if (config.mbrCode) {
    // a remaster's replay of its source image's MBR boot code (read/replay-boot.ts)
    const kind = config.grub2BootInfo ? 'grub2' : 'isohybrid';
    return { code: config.mbrCode, path: `${config.sourceImage}'s MBR`, kind };
  }
  if (!config.mbrTemplate) return undefined;
  if (!hybrid) throw err('mbr-template', 'needs --hybrid true (the MBR is part of the hybrid layout)');
  if (bios.length === 0)
    throw err('mbr-template', 'the MBR boot code starts a BIOS boot image: give --bios-boot too');
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
  return { code, path: config.mbrTemplate, kind: config.grub2BootInfo ? 'grub2' : 'isohybrid' };
}

/** What the El Torito extension gathers while preparing, for the catalog and the hybrid layout. */
interface BootState {
  entries: EntryPlan[];
  /** data order of the next boot image (the catalog is 0) */
  order: number;
  /** the ESP appended after the volume (the first UEFI image of a hybrid image) */
  esp: { bytes: number; produce?: (layout: LayoutView) => AsyncIterable<Buffer> | Buffer };
}

/** A UEFI boot image: a FAT image file as it is, or a folder made into one; in the tree or the ESP. */
async function addUefiEntry(
  ctx: PrepareContext,
  config: BuildConfig,
  state: BootState,
  p: string,
  i: number,
  toEsp: boolean
): Promise<void> {
  const node = ctx.lookup(p);
  if (!node) throw err('uefi-boot', `${p} does not exist in the source ${ctx.source}`);
  if (node.kind === 'symlink')
    throw err('uefi-boot', `${p} is a symbolic link; give the FAT image or folder it points to`);
  if (node.kind === 'file') {
    await checkFatImage(node, p);
    if (config.uefiBootSize !== undefined)
      ctx.log.warn(`--uefi-boot-size applies to folders; ${p} is a FAT image and keeps its size`);
    if (toEsp) {
      state.esp = {
        bytes: node.size,
        produce: () => readFileChunks(node, 'uefi-boot', 'the image was written')
      };
      state.entries.push({ platform: 'uefi', bytes: node.size, bootInfoTable: false });
    } else {
      ctx.setOrder(node, state.order++);
      state.entries.push({ platform: 'uefi', node, bytes: node.size, bootInfoTable: false });
    }
    return;
  }
  const fat = await buildFat(espRoot(node, p), {
    epoch: ctx.epoch,
    size: config.uefiBootSize,
    label: 'EFIBOOT',
    log: ctx.log,
    option: 'uefi-boot'
  });
  ctx.log.debug(`--uefi-boot ${p}: FAT${fat.fatType} image of ${fat.size} bytes`);
  if (toEsp) {
    state.esp = { bytes: fat.size, produce: () => fat.produce() };
    state.entries.push({ platform: 'uefi', bytes: fat.size, bootInfoTable: false });
    return;
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
  state.entries.push({ platform: 'uefi', node: file, bytes: bytes.length, bootInfoTable: false });
}

export async function createBootExtensions(config: BuildConfig, log: Logger): Promise<ImageExtension[]> {
  const any = config.biosBoot.length + config.uefiBoot.length > 0;
  const hybrid = config.hybrid ?? any;
  if (!any) {
    if (config.hybrid === true) throw err('hybrid', 'needs a boot image (--bios-boot or --uefi-boot)');
    if (config.mbrTemplate) throw err('mbr-template', 'needs a BIOS boot image (--bios-boot)');
    return [];
  }
  const { bios, uefi, catalogPath } = bootPaths(config);
  const mbrTemplate = await loadMbrTemplate(config, hybrid, bios);
  const epoch = config.epoch ?? Math.floor(Date.now() / 1000);
  const state: BootState = { entries: [], order: 1, esp: { bytes: 0 } };
  let catalog: FileNode | undefined;
  const useEsp = hybrid && uefi.length > 0;

  const eltorito: ImageExtension = {
    name: 'eltorito',
    volumeDescriptorCount: 1,
    async prepare(ctx: PrepareContext) {
      replaceCatalog(ctx, catalogPath);
      state.order = 1;
      for (const p of bios) {
        const node = bootFile(ctx, 'bios-boot', p);
        checkBiosImage(node, config);
        if (config.bootInfoTable || config.grub2BootInfo) await patchInImage(node, config);
        ctx.setOrder(node, state.order++);
        state.entries.push({ platform: 'bios', node, bytes: node.size, bootInfoTable: config.bootInfoTable });
      }
      for (const [i, p] of uefi.entries()) await addUefiEntry(ctx, config, state, p, i, useEsp && i === 0);
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
        platform: e.platform,
        path: e.node ? e.node.path : `appended:${ESP_REGION}`,
        emulation: 'none',
        loadSize: sectorCount(e),
        lba: lbaOf(e, layout),
        ...(e.platform === 'bios' ? { bootInfoTable: e.bootInfoTable } : {})
      }))
    })
  };
  const sectorCount = (e: EntryPlan) =>
    e.platform === 'bios' ? config.biosBootLoadSize : loadSizeFor(e.bytes, PLATFORM_EFI);
  const lbaOf = (e: EntryPlan, layout: LayoutView) => (e.node ? e.node.lba : layout.region(ESP_REGION).lba);
  const specs = (layout: LayoutView) =>
    state.entries.map(e => ({
      platform: e.platform === 'bios' ? PLATFORM_X86 : PLATFORM_EFI,
      sectorCount: sectorCount(e),
      lba: lbaOf(e, layout)
    }));
  if (!hybrid) return [eltorito];
  if (!mbrTemplate && uefi.length > 0)
    log.info('hybrid image without --mbr-template: USB/disk boot works through UEFI only');
  if (!mbrTemplate && uefi.length === 0)
    log.warn('--hybrid without --mbr-template or --uefi-boot: the image will not boot as a disk', '--hybrid');
  const esp = useEsp
    ? {
        get bytes() {
          return state.esp.bytes;
        },
        produce: (layout: LayoutView) => state.esp.produce!(layout)
      }
    : undefined;
  return [eltorito, createHybridExtension({ esp, mbrTemplate, biosBootPath: bios[0], epoch, log })];
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

function bootFile(ctx: PrepareContext, option: string, p: string): FileNode {
  const node = ctx.lookup(p);
  if (!node) throw err(option, `${p} does not exist in the source ${ctx.source}`);
  if (node.kind === 'dir') throw err(option, `${p} is a directory; give the boot image file`);
  if (node.kind === 'symlink') throw err(option, `${p} is a symbolic link; give the file it points to`);
  return node;
}

function checkBiosImage(node: FileNode, config: BuildConfig): void {
  const p = node.path;
  if (node.size === 0) throw err('bios-boot', `${p} is empty`);
  if (node.size > MAX_BIOS_IMAGE) {
    throw err(
      'bios-boot',
      `${p} is ${node.size} bytes; a BIOS boot image is loaded at 0x7C00 in real mode and must fit in ${MAX_BIOS_IMAGE} bytes (608 KiB)`
    );
  }
  const loadBytes = config.biosBootLoadSize * VIRTUAL_SECTOR;
  const room = blocksFor(node.size) * SECTOR;
  if (loadBytes > room) {
    throw err(
      'bios-boot-load-size',
      `${config.biosBootLoadSize} sectors (${loadBytes} bytes) read past the end of ${p} (${node.size} bytes, ${room} with its last block)`
    );
  }
  if (config.bootInfoTable && node.size < BOOT_INFO_TABLE.end)
    throw err(
      'bios-boot',
      `${p} is ${node.size} bytes, too short for a boot info table (64); use --boot-info-table false`
    );
  if (config.grub2BootInfo && node.size < GRUB2_BOOT_INFO.end)
    throw err('grub2-boot-info', `${p} is ${node.size} bytes, too short for GRUB2 boot info (2556)`);
}

async function readWhole(node: FileNode): Promise<Buffer> {
  const d = node.data;
  if (d.type === 'memory') return d.bytes;
  if (d.type === 'image') {
    if (node.size > LIMITS.patchedBootImage)
      throw new IsoforgeError(`${node.path}: a boot image with a boot info table of ${node.size} bytes`, {
        subject: node.path
      });
    return readImageData(d.image, d.extents, node.size);
  }
  if (d.type !== 'file') throw new Error(`internal: ${node.path} has generated data`);
  const bytes = await readSmallFile(d.path, {
    limit: LIMITS.patchedBootImage,
    what: 'cannot read',
    kind: 'a boot image with a boot info table'
  });
  if (bytes.length !== node.size)
    throw new IsoforgeError(`${d.path}: changed size during the build`, { subject: d.path });
  return bytes;
}

/** Replace the node's data by a patched copy made once the layout is known; the source stays as is. */
async function patchInImage(node: FileNode, config: BuildConfig): Promise<void> {
  const original = await readWhole(node);
  node.data = {
    type: 'deferred',
    produce: layout => {
      let b = original;
      if (config.grub2BootInfo) b = patchGrub2BootInfo(b, node.lba);
      if (config.bootInfoTable) b = patchBootInfoTable(b, layout.pvdLba, node.lba);
      return b;
    }
  };
}

async function checkFatImage(node: FileNode, p: string): Promise<void> {
  const d = node.data;
  let head: Buffer = Buffer.alloc(0);
  if (node.size >= 512) {
    if (d.type === 'memory') head = d.bytes.subarray(0, 512);
    else if (d.type === 'image') head = await readImageData(d.image, d.extents, 512);
    else if (d.type === 'file') {
      try {
        const fh = (await openRegularFile(d.path, { what: 'cannot read' })).handle;
        try {
          head = Buffer.alloc(512);
          await fh.read(head, 0, 512, 0);
        } finally {
          await fh.close();
        }
      } catch (e) {
        throw fsError(e, d.path, 'cannot read');
      }
    }
  }
  const bps = head.length === 512 ? head.readUInt16LE(11) : 0; // FAT BPB: bytes per sector at 11
  if (
    head.length < 512 ||
    head.readUInt16LE(BOOT_SIGNATURE.offset) !== BOOT_SIGNATURE.value ||
    ![512, 1024, 2048, 4096].includes(bps)
  ) {
    throw err(
      'uefi-boot',
      `${p} is not a FAT image (no FAT boot sector); give a FAT image or a folder holding EFI/BOOT/BOOT*.EFI`
    );
  }
}

const isBootEfi = (n: TreeNode) => n.kind === 'file' && /^BOOT.*\.EFI$/i.test(n.name);
const childDir = (d: DirNode, name: string) =>
  d.children.find((c): c is DirNode => c.kind === 'dir' && c.name.toUpperCase() === name);
const hasBootEfi = (efi: DirNode | undefined) => {
  const boot = efi && childDir(efi, 'BOOT');
  return !!boot && boot.children.some(isBootEfi);
};

/**
 * What goes at the root of the FAT image: the folder itself when it is the `EFI` folder, or its
 * contents when it is the ESP's root (holding `EFI`). Either way the firmware must find
 * \EFI\BOOT\BOOT<arch>.EFI (UEFI specification, "Removable Media Boot Behavior").
 */
function espRoot(node: DirNode, p: string): TreeNode[] {
  if (node.name.toUpperCase() === 'EFI' && hasBootEfi(node)) return [node];
  if (hasBootEfi(childDir(node, 'EFI'))) return node.children.filter(c => !c.hidden);
  throw err(
    'uefi-boot',
    `${p} holds no EFI/BOOT/BOOT*.EFI (e.g. EFI/BOOT/BOOTX64.EFI), which UEFI firmware boots`
  );
}

function freeName(ctx: PrepareContext, name: string): string {
  if (!ctx.lookup(name)) return name;
  for (let i = 1; ; i++) {
    const n = name.replace(/\.img$/, `.${i}.img`);
    if (!ctx.lookup(n)) return n;
  }
}
