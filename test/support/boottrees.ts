/**
 * Boot trees assembled at test time from the installed packages (isolinux, syslinux-common,
 * grub-efi-amd64-bin, grub-pc-bin, dosfstools, mtools): nothing binary of theirs is committed.
 * Each loader proves it read a file through our ISO 9660 tree by printing that file on COM1.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import { sh } from './tools.js';

export const ISOLINUX_DIR = '/usr/lib/ISOLINUX';
export const SYSLINUX_BIOS_MODULES = '/usr/lib/syslinux/modules/bios';
export const ISOHDPFX = '/usr/lib/ISOLINUX/isohdpfx.bin';
export const GRUB_BOOT_HYBRID = '/usr/lib/grub/i386-pc/boot_hybrid.img';

/** What each loader prints when it has read its marker file from the ISO. */
export const isolinuxMarker = (dir: string): string => `isoforge-marker: isolinux read ${dir}/marker.txt`;
export const MARKERS = {
  isolinux: isolinuxMarker('isolinux'),
  grubEfi: 'isoforge-marker: grub-efi read /marker.txt',
  grubBios: 'isoforge-marker: grub-bios read /grub-bios-marker.txt'
} as const;

/** Modules the GRUB images carry (search autoloads others and says it cannot: harmless). */
const GRUB_COMMON = [
  'normal',
  'search',
  'search_fs_file',
  'iso9660',
  'part_gpt',
  'part_msdos',
  'serial',
  'terminal',
  'cat',
  'echo'
];

/** A GRUB config: serial console, find the ISO by a file only it has, print that file. */
function grubConfig(markerFile: string): string {
  return [
    'serial --unit=0 --speed=115200',
    'terminal_input serial',
    // serial only: OVMF also copies its console to COM1, which would print every character twice
    'terminal_output serial',
    `search --no-floppy --file ${markerFile} --set=root`,
    `cat ${markerFile}`,
    ''
  ].join('\n');
}

export interface GrubImages {
  /** x86_64 EFI application (grub-mkstandalone, config in its memdisk) */
  efi: string;
  /** i386-pc-eltorito image (grub-mkimage, config embedded) */
  bios: string;
}

/** Build both GRUB images into `work` (a few seconds; once per suite). */
export function buildGrubImages(work: string): GrubImages {
  mkdirSync(work, { recursive: true });
  const efiCfg = path.join(work, 'grub-efi.cfg');
  writeFileSync(efiCfg, grubConfig('/marker.txt'));
  const efi = path.join(work, 'BOOTX64.EFI');
  sh('grub-mkstandalone', [
    '-O',
    'x86_64-efi',
    '-o',
    efi,
    `--install-modules=${[...GRUB_COMMON, 'fat', 'configfile'].join(' ')}`,
    '--fonts=',
    '--locales=',
    '--themes=',
    `boot/grub/grub.cfg=${efiCfg}`
  ]);
  const biosCfg = path.join(work, 'grub-bios.cfg');
  writeFileSync(biosCfg, grubConfig('/grub-bios-marker.txt'));
  const bios = path.join(work, 'eltorito.img');
  sh('grub-mkimage', [
    '-O',
    'i386-pc-eltorito',
    '-c',
    biosCfg,
    '-p',
    '/boot/grub',
    '-o',
    bios,
    'biosdisk',
    ...GRUB_COMMON
  ]);
  return { efi, bios };
}

function put(root: string, rel: string, content: Buffer | string): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

/**
 * ISOLINUX in `rel` (isolinux/ by default; archiso's is boot/syslinux/): isolinux.bin, ldlinux.c32
 * and cat.c32 (+ libcom32.c32). The config's DEFAULT runs cat.c32 on `rel`/marker.txt, so the
 * marker (isolinuxMarker(rel)) appears only if ISOLINUX found its config and read a second file
 * through the tree. (SAY is there too, but in our runs ISOLINUX 6.04's SAY lines never reached
 * COM1: the serial console is not up yet when they are printed.)
 */
export function addIsolinux(root: string, rel = 'isolinux'): void {
  const dir = path.join(root, rel);
  const marker = isolinuxMarker(rel);
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ISOLINUX_DIR, 'isolinux.bin'), path.join(dir, 'isolinux.bin'));
  for (const m of ['ldlinux.c32', 'cat.c32', 'libcom32.c32'])
    copyFileSync(path.join(SYSLINUX_BIOS_MODULES, m), path.join(dir, m));
  put(root, `${rel}/marker.txt`, `${marker}\n`);
  put(
    root,
    `${rel}/isolinux.cfg`,
    ['SERIAL 0 115200', `SAY ${marker}`, 'PROMPT 0', 'DEFAULT cat.c32 marker.txt', ''].join('\n')
  );
}

/** A FAT image holding EFI/BOOT/BOOTX64.EFI, made with mkfs.fat and mcopy. */
export function makeEfiFat(file: string, bootx64: string): void {
  const kib = Math.ceil((readFileSync(bootx64).length * 1.2) / 1024) + 512;
  mkdirSync(path.dirname(file), { recursive: true });
  sh('mkfs.fat', ['-C', '-n', 'EFIBOOT', '-i', '15011500', file, String(kib)]);
  sh('mmd', ['-i', file, '::/EFI', '::/EFI/BOOT']);
  sh('mcopy', ['-i', file, bootx64, '::/EFI/BOOT/BOOTX64.EFI']);
}

/** GRUB EFI: EFI/BOOT/BOOTX64.EFI (a folder for --uefi-boot EFI), boot/grub/efi.img, /marker.txt. */
export function addGrubEfi(root: string, images: GrubImages): void {
  mkdirSync(path.join(root, 'EFI/BOOT'), { recursive: true });
  copyFileSync(images.efi, path.join(root, 'EFI/BOOT/BOOTX64.EFI'));
  makeEfiFat(path.join(root, 'boot/grub/efi.img'), images.efi);
  addGrubEfiMarker(root);
}

/** /marker.txt, which the GRUB EFI image finds the ISO 9660 tree by and prints (MARKERS.grubEfi). */
export function addGrubEfiMarker(root: string): void {
  put(root, 'marker.txt', `${MARKERS.grubEfi}\n`);
}

/** GRUB BIOS: boot/grub/i386-pc/eltorito.img and /grub-bios-marker.txt. */
export function addGrubBios(root: string, images: GrubImages): void {
  mkdirSync(path.join(root, 'boot/grub/i386-pc'), { recursive: true });
  copyFileSync(images.bios, path.join(root, 'boot/grub/i386-pc/eltorito.img'));
  put(root, 'grub-bios-marker.txt', `${MARKERS.grubBios}\n`);
}

/** SHA-256 over every path, type, mode, mtime and content under `root` (to prove it unchanged). */
export function hashTree(root: string): string {
  const h = createHash('sha256');
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const p = path.join(root, r);
      const st = lstatSync(p);
      h.update(`${r}\0${st.mode}\0${st.mtimeMs}\0${st.size}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) visit(r);
      else h.update(readFileSync(p));
    }
  };
  visit('');
  return h.digest('hex');
}
