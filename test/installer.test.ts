/**
 * An installer: Debian's network installer (debian-installer-12-netboot-amd64: its kernel, 40 MB
 * initrd, shim and GRUB EFI, syslinux boot-screens) laid out as debian-cd lays out its CDs
 * (support/installer.ts), built by isoforge with today's flags (--bios-boot isolinux.bin,
 * --uefi-boot from a folder, hybrid with isohdpfx.bin) and booted under SeaBIOS (ISOLINUX) and
 * OVMF (shim, then Debian's signed GRUB) as a CD to the installer's first screen
 * ("Select a language") drawn by its newt frontend on ttyS0. The same tree made by xorriso with
 * debian-cd's options (the ESP a FAT file in the tree) is built for the size comparison.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { ISOHDPFX, hashTree } from './support/boottrees.js';
import { bootLogged, needQemu, wayName } from './support/bootlog.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import {
  BIOS_BOOT,
  BOOT_CATALOG,
  DI_IMAGES,
  ESP_FOLDER,
  ESP_IMAGE,
  INSTALLER_FIRST_SCREEN,
  INSTALLER_TITLE,
  debianCdXorriso,
  debianInstallerTree,
  makeFatOf
} from './support/installer.js';
import { describeWith, sh, tempDir } from './support/tools.js';

/** 55 s a boot under TCG on an idle 2-core machine, 140-210 s beside three other QEMUs (the kernel unpacks a 40 MB initrd). */
const TIMEOUT_MS = 420_000;
/** d-i's lowmem levels start below ~780 MiB (a lowmem installer asks no language first). */
const MEMORY_MIB = 1024;
const VOLUME_ID = 'DEBIAN_12_AMD64_NETINST';
const ESP_KIB = 8192;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const notes: string[] = [];

describeWith(
  // DI_IMAGES: the package debian-installer-12-netboot-amd64
  ['qemu-system-x86_64', 'xorriso', 'sgdisk', 'mkfs.fat', 'mcopy', DI_IMAGES],
  "Debian's network installer as a CD: SeaBIOS and OVMF boot it to the installer's first screen",
  () => {
    const t = tempDir('isoforge-installer-');
    const src = path.join(t.dir, 'src');
    const iso = path.join(t.dir, 'debian-installer.iso');

    beforeAll(async () => {
      needQemu();
      debianInstallerTree(src);
      const before = hashTree(src);
      const outcome = await buildWith({
        source: src,
        output: iso,
        'volume-id': VOLUME_ID,
        'source-date-epoch': '1700000000',
        'bios-boot': BIOS_BOOT,
        'boot-catalog': BOOT_CATALOG,
        'uefi-boot': ESP_FOLDER,
        hybrid: 'true',
        'mbr-template': ISOHDPFX
      });
      expect(outcome.log.warnings).toEqual([]);
      expect(hashTree(src)).toBe(before);
      notes.push(`isoforge image: ${mib(statSync(iso).size)}`);
    }, 120_000);
    afterAll(() => {
      t.cleanup();
      console.log(`Debian installer CD (TCG, ${MEMORY_MIB} MiB):\n  ${notes.join('\n  ')}`);
    });

    test('the GPT is valid and isoforge verify passes the image', async () => {
      expect(sh('sgdisk', ['-v', iso])).toContain('No problems found');
      const r = await cli(['verify', '--image', iso, '--expect-boot', 'bios,uefi']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    });

    // CD only: a disk boot takes as long again (SeaBIOS 164 s, OVMF 182 s measured once under load)
    for (const way of [
      ['bios', 'cd'],
      ['uefi', 'cd']
    ] as const) {
      test(
        `${wayName(way)}: the installer asks for the language on ttyS0`,
        async () => {
          const run = {
            image: iso,
            marker: INSTALLER_FIRST_SCREEN,
            timeoutMs: TIMEOUT_MS,
            memoryMiB: MEMORY_MIB
          };
          const r = await bootLogged(run, way, notes);
          expect(r.seenOn).toBe('serial console');
          // the dialog's title, drawn before its question: the first screen, not a later one
          expect(r.serial).toContain(INSTALLER_TITLE);
        },
        TIMEOUT_MS + 10_000
      );
    }

    test("xorriso with debian-cd's options: the same tree, the ESP a FAT file in it (sizes)", () => {
      const efi = path.join(t.dir, 'efi.img');
      makeFatOf(path.join(src, ESP_FOLDER), efi, ESP_KIB);
      const out = path.join(t.dir, 'xorriso.iso');
      const args = debianCdXorriso(src, out, VOLUME_ID);
      // the FAT image joins the tree at boot/grub/efi.img without touching the source
      args.splice(args.length - 1, 1, '-graft-points', `/=${src}`, `/${ESP_IMAGE}=${efi}`);
      sh('xorriso', args);
      const report = sh('xorriso', ['-indev', out, '-report_el_torito', 'plain']);
      expect(report).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
      const ours = statSync(iso).size;
      const theirs = statSync(out).size;
      notes.push(
        `xorriso -as mkisofs (debian-cd's options): ${mib(theirs)} (ESP ${ESP_KIB} KiB in the tree)`
      );
      // one tree, one ESP each: within the ESP's size and the hybrid padding of each other
      expect(Math.abs(ours - theirs)).toBeLessThan(ESP_KIB * 1024 + 2 ** 20);
    });
  }
);
