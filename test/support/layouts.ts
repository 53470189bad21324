/**
 * Two distributions' boot layouts by name, each a tree (from the installed packages, see
 * boottrees.ts), an ESP outside it, the distribution's own `xorriso -as mkisofs` line
 * (/work/shared notes: iso-layout-and-peers.md §0) and the same layout in isoforge's flags:
 * - Ubuntu's live-server ISO (22.04 and later): GRUB for BIOS (eltorito.img with a boot info table
 *   and GRUB2 boot info, boot_hybrid.img as the MBR), the ESP appended as partition 2 (GPT) with
 *   the UEFI entry inside it, partition offset 16, a volume id with spaces;
 * - archiso's: ISOLINUX in boot/syslinux (isohdpfx.bin as the MBR), the ESP appended as partition
 *   2 of GPT type C12A7328-…, the UEFI entry inside it.
 * Each loader prints a marker file it read through the ISO 9660 tree (boottrees.ts MARKERS).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import {
  GRUB_BOOT_HYBRID,
  ISOHDPFX,
  MARKERS,
  addGrubBios,
  addGrubEfiMarker,
  addIsolinux,
  isolinuxMarker,
  makeEfiFat,
  type GrubImages
} from './boottrees.js';
import { sh } from './tools.js';

export const ESP_TYPE_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
/** The same GUID as stored on disk (mixed-endian), as Ubuntu's as_mkisofs report spells it. */
const ESP_TYPE_BYTES = '28732ac11ff8d211ba4b00a0c93ec93b';
/** Basic data (EBD0A0A2-B9E5-4433-87C0-68B6B72699C7) as stored, Ubuntu's -iso_mbr_part_type. */
const BASIC_DATA_BYTES = 'a2a0d0ebe5b9334487c068b6b72699c7';

export interface Layout {
  name: string;
  volumeId: string;
  /** what each firmware's loader prints */
  markers: { bios: string; uefi: string };
  /** the BIOS boot image in the tree */
  biosImage: string;
  /** lay out the tree in `src` */
  tree(src: string, grub: GrubImages): void;
  /** the distribution's xorriso arguments */
  xorriso(src: string, esp: string, out: string): string[];
  /** isoforge's flags for the layout (after `build --source --output --volume-id`) */
  isoforge(esp: string): string[];
}

const UBUNTU_ELTORITO = 'boot/grub/i386-pc/eltorito.img';
const ARCH_SYSLINUX = 'boot/syslinux';

export const UBUNTU: Layout = {
  name: "Ubuntu's live-server ISO",
  volumeId: 'Ubuntu-Server 24.04 LTS amd64',
  markers: { bios: MARKERS.grubBios, uefi: MARKERS.grubEfi },
  biosImage: UBUNTU_ELTORITO,
  tree(src, grub) {
    addGrubBios(src, grub);
    addGrubEfiMarker(src);
  },
  // as `xorriso -report_el_torito as_mkisofs` describes 24.04's ISOs, with -r -J added
  xorriso: (src, esp, out) => [
    '-as',
    'mkisofs',
    '-r',
    '-J',
    '-joliet-long',
    '-V',
    UBUNTU.volumeId,
    '-o',
    out,
    '--grub2-mbr',
    GRUB_BOOT_HYBRID,
    '--protective-msdos-label',
    '-partition_cyl_align',
    'off',
    '-partition_offset',
    '16',
    '--mbr-force-bootable',
    '-append_partition',
    '2',
    ESP_TYPE_BYTES,
    esp,
    '-appended_part_as_gpt',
    '-iso_mbr_part_type',
    BASIC_DATA_BYTES,
    '-c',
    '/boot.catalog',
    '-b',
    `/${UBUNTU_ELTORITO}`,
    '-no-emul-boot',
    '-boot-load-size',
    '4',
    '-boot-info-table',
    '--grub2-boot-info',
    '-eltorito-alt-boot',
    '-e',
    '--interval:appended_partition_2:all::',
    '-no-emul-boot',
    src
  ],
  isoforge: esp => [
    '--boot',
    `platform=bios image=${UBUNTU_ELTORITO} info-table=true grub2-boot-info=true`,
    '--append-partition',
    `2 0xef ${esp}`,
    '--boot',
    'platform=uefi partition=2',
    '--hybrid',
    'true',
    '--mbr-template',
    GRUB_BOOT_HYBRID
  ]
};

export const ARCHISO: Layout = {
  name: "archiso's",
  volumeId: 'ARCH_202412',
  markers: { bios: isolinuxMarker(ARCH_SYSLINUX), uefi: MARKERS.grubEfi },
  biosImage: `${ARCH_SYSLINUX}/isolinux.bin`,
  tree(src) {
    addIsolinux(src, ARCH_SYSLINUX);
    addGrubEfiMarker(src);
  },
  // mkarchiso's _build_iso_image with BIOS and UEFI boot (archiso v88)
  xorriso: (src, esp, out) => [
    '-no_rc',
    '-as',
    'mkisofs',
    '-iso-level',
    '3',
    '-full-iso9660-filenames',
    '-joliet',
    '-joliet-long',
    '-rational-rock',
    '-volid',
    ARCHISO.volumeId,
    '-appid',
    'Arch Linux baseline',
    '-publisher',
    'Arch Linux <https://archlinux.org>',
    '-preparer',
    'prepared by mkarchiso',
    '-eltorito-boot',
    `${ARCH_SYSLINUX}/isolinux.bin`,
    '-eltorito-catalog',
    `${ARCH_SYSLINUX}/boot.cat`,
    '-no-emul-boot',
    '-boot-load-size',
    '4',
    '-boot-info-table',
    '-isohybrid-mbr',
    ISOHDPFX,
    '--mbr-force-bootable',
    '-partition_offset',
    '16',
    '-append_partition',
    '2',
    ESP_TYPE_GUID,
    esp,
    '-isohybrid-gpt-basdat',
    '-eltorito-alt-boot',
    '-e',
    '--interval:appended_partition_2:all::',
    '-no-emul-boot',
    '-output',
    out,
    src
  ],
  isoforge: esp => [
    '--boot-catalog',
    `${ARCH_SYSLINUX}/boot.cat`,
    '--boot',
    `platform=bios image=${ARCH_SYSLINUX}/isolinux.bin load-size=4 info-table=true`,
    '--append-partition',
    `2 ${ESP_TYPE_GUID} ${esp}`,
    '--boot',
    'platform=uefi partition=2',
    '--hybrid',
    'true',
    '--mbr-template',
    ISOHDPFX
  ]
};

/** The ESP outside the tree: a FAT image holding GRUB EFI as EFI/BOOT/BOOTX64.EFI. */
export function makeEsp(work: string, grub: GrubImages): string {
  const esp = path.join(work, 'efiboot.img');
  makeEfiFat(esp, grub.efi);
  return esp;
}

/** Byte offsets in `image` where all of `part`'s bytes are, at 512-byte steps. */
export function occurrences(image: string, part: string): number[] {
  const img = readFileSync(image);
  const want = readFileSync(part);
  const head = want.subarray(0, 4096);
  const found: number[] = [];
  for (let at = img.indexOf(head); at >= 0; at = img.indexOf(head, at + 1))
    if (at % 512 === 0 && img.subarray(at, at + want.length).equals(want)) found.push(at);
  return found;
}

/** The El Torito entries as xorriso reports them: platform and LBA, in catalog order. */
export function eltoritoEntries(image: string): { platform: string; lba: number }[] {
  const report = sh('xorriso', ['-indev', image, '-report_el_torito', 'plain']);
  return [...report.matchAll(/^El Torito boot img :\s+\d+\s+(BIOS|UEFI)\s.*\s(\d+)\s*$/gm)].map(m => ({
    platform: m[1],
    lba: Number(m[2])
  }));
}

/** A little-endian 64-bit value at `offset` of `file`. */
export function u64At(file: string, offset: number): bigint {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(8);
    readSync(fd, b, 0, 8, offset);
    return b.readBigUInt64LE(0);
  } finally {
    closeSync(fd);
  }
}

/** `sgdisk -p`'s rows: number, first sector, code. */
export function gptRows(image: string): { n: number; first: number; code: string }[] {
  return sh('sgdisk', ['-p', image])
    .split('\n')
    .map(l => l.trim().split(/\s+/))
    .filter(f => /^\d+$/.test(f[0]) && /^\d+$/.test(f[1]))
    .map(f => ({ n: Number(f[0]), first: Number(f[1]), code: f[5] }));
}
