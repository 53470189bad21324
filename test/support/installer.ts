/**
 * Debian's network installer as a CD tree, assembled at test time from the package
 * debian-installer-12-netboot-amd64 (its kernel, initrd, boot-screens, GRUB EFI and shim) and
 * isolinux/syslinux-common, laid out as debian-cd lays out a netinst CD
 * (serhepopovych/debian-cd tools/boot/bookworm/boot-x86):
 * - BIOS: isolinux/isolinux.bin and ldlinux.c32 (the installed ISOLINUX: ldlinux.c32 must be
 *   isolinux.bin's own build), the package's boot-screens copied into isolinux/, whose txt.cfg's
 *   `install` label is the default, booted at once (prompt 0: no key press);
 * - UEFI: an ESP holding the package's shim (bootnetx64.efi) as EFI/BOOT/BOOTX64.EFI and its signed
 *   GRUB (grubx64.efi) beside it. That GRUB's built-in prefix is /debian-installer/amd64/grub on
 *   the device it was loaded from, where the package's x86_64-efi/grub.cfg sources
 *   /boot/grub/grub.cfg, as on debian-cd's CDs. Booted from the CD, GRUB's root is the ISO 9660 tree
 *   (cd0); booted from the disk it is the ESP, so the ESP carries a
 *   /debian-installer/amd64/grub/grub.cfg that finds the ISO by /.disk/info and goes on there.
 * Both kernel lines carry `console=ttyS0` with no graphics (vga=normal fb=false), so the installer's
 * newt frontend draws its first screen on the serial port. Nothing binary is committed.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ISOHDPFX, ISOLINUX_DIR, SYSLINUX_BIOS_MODULES } from './boottrees.js';
import { sh } from './tools.js';

/** The text flavour of the netboot images (debian-installer-12-netboot-amd64). */
export const DI_IMAGES = '/usr/lib/debian-installer/images/12/amd64/text';
const DI = 'debian-installer/amd64';
export const DI_KERNEL = `${DI}/linux`;
export const DI_INITRD = `${DI}/initrd.gz`;
/** The installer's kernel parameters (before `---`): its console on COM1, no framebuffer. */
const KERNEL_ARGS = 'vga=normal fb=false console=ttyS0,115200n8';
/**
 * The first screen's text (localechooser, "[!!] Select a language"), as newt draws it on ttyS0:
 * the question's first line is written in one run, between escape sequences.
 */
export const INSTALLER_FIRST_SCREEN = 'Choose the language to be used for the installation process.';
export const INSTALLER_TITLE = 'Select a language';
export const BIOS_BOOT = 'isolinux/isolinux.bin';
export const BOOT_CATALOG = 'isolinux/boot.cat';
/** The ESP's folder in the tree (--uefi-boot), and debian-cd's FAT image of it (for xorriso). */
export const ESP_FOLDER = 'esp';
export const ESP_IMAGE = 'boot/grub/efi.img';
/** Found by GRUB's search: only the CD has it (debian-cd writes .disk/info too). */
const DISK_INFO = '.disk/info';

function put(root: string, rel: string, content: string): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

/** The boot-screens' txt.cfg with the installer's paths from isolinux/ and the serial console. */
function txtCfg(): string {
  const cfg = readFileSync(path.join(DI_IMAGES, DI, 'boot-screens/txt.cfg'), 'utf8');
  const out = cfg
    .replace(/kernel \S+/, `kernel /${DI_KERNEL}`)
    .replace(/vga=788 initrd=\S+/, `initrd=/${DI_INITRD} ${KERNEL_ARGS}`);
  if (!out.includes(KERNEL_ARGS) || !out.includes(`/${DI_KERNEL}`))
    throw new Error(`boot-screens/txt.cfg has no "label install" of the expected shape:\n${cfg}`);
  return out;
}

/** Build the tree into `root`. */
export function debianInstallerTree(root: string): void {
  mkdirSync(root, { recursive: true });
  cpSync(path.join(DI_IMAGES, 'debian-installer'), path.join(root, 'debian-installer'), { recursive: true });
  put(root, DISK_INFO, 'isoforge test: Debian GNU/Linux 12 netboot installer (amd64)\n');

  // BIOS: ISOLINUX with the package's boot-screens, the install label booted at once
  const iso = path.join(root, 'isolinux');
  cpSync(path.join(DI_IMAGES, DI, 'boot-screens'), iso, { recursive: true });
  cpSync(path.join(ISOLINUX_DIR, 'isolinux.bin'), path.join(iso, 'isolinux.bin'));
  cpSync(path.join(SYSLINUX_BIOS_MODULES, 'ldlinux.c32'), path.join(iso, 'ldlinux.c32'));
  put(root, 'isolinux/txt.cfg', txtCfg());
  put(
    root,
    'isolinux/isolinux.cfg',
    [
      '# D-I config version 2.0',
      'serial 0 115200',
      'include txt.cfg',
      'default install',
      'prompt 0',
      'timeout 0',
      ''
    ].join('\n')
  );

  // UEFI: GRUB's menu on the CD (where the package's x86_64-efi/grub.cfg looks), one entry, 1 s
  put(
    root,
    'boot/grub/grub.cfg',
    [
      'serial --unit=0 --speed=115200',
      'terminal_input serial',
      'terminal_output serial',
      'set timeout=1',
      "menuentry 'Install' {",
      `    linux    /${DI_KERNEL} ${KERNEL_ARGS} --- quiet`,
      `    initrd   /${DI_INITRD}`,
      '}',
      ''
    ].join('\n')
  );
  const efi = path.join(DI_IMAGES, DI);
  mkdirSync(path.join(root, ESP_FOLDER, 'EFI/BOOT'), { recursive: true });
  cpSync(path.join(efi, 'bootnetx64.efi'), path.join(root, ESP_FOLDER, 'EFI/BOOT/BOOTX64.EFI'));
  cpSync(path.join(efi, 'grubx64.efi'), path.join(root, ESP_FOLDER, 'EFI/BOOT/grubx64.efi'));
  put(
    root,
    `${ESP_FOLDER}/${DI}/grub/grub.cfg`,
    [
      `search --no-floppy --file --set=root /${DISK_INFO}`,
      `set prefix=($root)/${DI}/grub`,
      'source $prefix/x86_64-efi/grub.cfg',
      ''
    ].join('\n')
  );
}

/** A FAT image of `folder`'s contents (mkfs.fat and mcopy, as debian-cd's efi.img), fixed serial. */
export function makeFatOf(folder: string, file: string, kib: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  sh('mkfs.fat', ['-C', '-n', 'EFIBOOT', '-i', 'deb00001', file, String(kib)]);
  sh('mcopy', ['-s', '-i', file, ...['EFI', 'debian-installer'].map(d => path.join(folder, d)), '::/']);
}

/** debian-cd's xorriso options for bookworm amd64 (boot-x86), with the same volume id and catalog. */
export function debianCdXorriso(src: string, out: string, volumeId: string): string[] {
  return [
    '-as',
    'mkisofs',
    '-r',
    '-V',
    volumeId,
    '-J',
    '-joliet-long',
    '-cache-inodes',
    '-isohybrid-mbr',
    ISOHDPFX,
    '-b',
    BIOS_BOOT,
    '-c',
    BOOT_CATALOG,
    '-boot-load-size',
    '4',
    '-boot-info-table',
    '-no-emul-boot',
    '-eltorito-alt-boot',
    '-e',
    ESP_IMAGE,
    '-no-emul-boot',
    '-isohybrid-gpt-basdat',
    '-isohybrid-apm-hfsplus',
    '-o',
    out,
    src
  ];
}
