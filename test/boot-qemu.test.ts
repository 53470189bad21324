/**
 * Boot: images built by isoforge boot headless in QEMU (TCG) four ways — SeaBIOS and OVMF, each as
 * a CD and as a disk — with loaders that read a file through our ISO 9660 tree and print it on
 * COM1 (ISOLINUX + cat.c32, GRUB EFI and GRUB BIOS with `search --file` + `cat`). The GPT is
 * checked by sgdisk and the El Torito entries read back by xorriso, because OVMF also boots a
 * non-hybrid image as a disk through El Torito.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { parseBootCatalog, parseBootRecord } from '../src/boot/eltorito.js';
import { bootImage, findQemu, type BootResult } from '../src/read/qemu.js';
import {
  GRUB_BOOT_HYBRID,
  ISOHDPFX,
  MARKERS,
  addGrubBios,
  addGrubEfi,
  addIsolinux,
  buildGrubImages,
  hashTree,
  type GrubImages
} from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 60_000;
const times: string[] = [];

async function boot(
  image: string,
  firmware: 'bios' | 'uefi',
  media: 'cd' | 'disk',
  marker: string
): Promise<BootResult> {
  // COM1 only: the loader proves it read the marker file by printing it there (ISOLINUX also SAYs
  // the marker, on the screen)
  const r = await bootImage({ image, firmware, media, marker, timeoutMs: TIMEOUT_MS, screen: false });
  times.push(
    `${path.basename(image)} ${firmware === 'bios' ? 'SeaBIOS' : 'OVMF'} ${media}: ${r.ok ? `${r.elapsedMs} ms` : r.reason}`
  );
  if (!r.ok) {
    const tail = r.serial.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').slice(-1500);
    throw new Error(
      `${firmware} ${media} boot of ${image}: ${r.reason}\n${r.command.join(' ')}\n--- serial ---\n${tail}`
    );
  }
  expect(r.seenOn).toBe('serial console');
  return r;
}

/** sgdisk and xorriso's view; returns the UEFI entry's LBA. */
function checkGptAndCatalog(iso: string): number {
  const v = sh('sgdisk', ['-v', iso]);
  expect(v).toContain('No problems found');
  expect(v).not.toContain('Creating new GPT entries'); // what sgdisk says when there is no GPT at all
  const report = sh('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
  expect(report).toMatch(/El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
  expect(report).toMatch(/El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
  // the UEFI entry and the GPT's EFI system partition are the same bytes (the appended ESP)
  const fd = openSync(iso, 'r');
  const sector = (lba: number) => {
    const b = Buffer.alloc(2048);
    readSync(fd, b, 0, 2048, lba * 2048);
    return b;
  };
  const catalog = parseBootCatalog(sector(parseBootRecord(sector(17))!.catalogLba));
  closeSync(fd);
  const uefi = catalog.entries.find(e => e.platform === 0xef)!;
  const esp = sh('sgdisk', ['-p', iso])
    .split('\n')
    .map(l => l.trim().split(/\s+/))
    .find(f => f[5] === 'EF00');
  expect(esp).toBeDefined();
  expect(Number(esp![1])).toBe(uefi.lba * 4);
  return uefi.lba;
}

describeWith(
  ['qemu-system-x86_64', 'xorriso', 'sgdisk', 'mkfs.fat', 'mcopy', 'grub-mkstandalone', 'grub-mkimage'],
  'images boot in QEMU (SeaBIOS and OVMF, CD and disk)',
  () => {
    const t = tempDir('isoforge-boot-');
    let grub: GrubImages;
    const epoch = { 'source-date-epoch': '1700000000' };

    beforeAll(() => {
      const found = findQemu();
      if (found.missing.length) throw new Error(`missing: ${found.missing.join(', ')}`);
      grub = buildGrubImages(path.join(t.dir, 'grub'));
    });
    afterAll(() => {
      t.cleanup();
      // the boot times measured here (the Boot: issue asks for them)
      console.log(`boot times (TCG):\n  ${times.join('\n  ')}`);
    });

    for (const uefi of ['boot/grub/efi.img', 'EFI'] as const) {
      describe(`ISOLINUX + GRUB EFI, --uefi-boot ${uefi}, hybrid with isohdpfx.bin`, () => {
        const name = uefi === 'EFI' ? 'folder' : 'fatimage';
        const src = path.join(t.dir, `src-${name}`);
        const iso = path.join(t.dir, `hybrid-${name}.iso`);
        let before = '';
        let outcome: Awaited<ReturnType<typeof buildWith>>;

        beforeAll(async () => {
          addIsolinux(src);
          addGrubEfi(src, grub);
          before = hashTree(src);
          outcome = await buildWith({
            source: src,
            output: iso,
            'volume-id': 'ISOFORGE_BOOT',
            ...epoch,
            'bios-boot': 'isolinux/isolinux.bin',
            'uefi-boot': uefi,
            hybrid: 'true',
            'mbr-template': ISOHDPFX
          });
          expect(outcome.log.warnings).toEqual([]);
        });

        test('the source tree is unchanged, the GPT is valid, xorriso sees a BIOS and a UEFI entry', () => {
          expect(hashTree(src)).toBe(before);
          const uefiLba = checkGptAndCatalog(iso);
          // what the manifest records: the first UEFI image is the appended ESP; a FAT image file
          // of the tree is that partition, stored once, and named by its path as readers name it
          const plan = outcome.image.plan;
          const boot = plan.extensions.flatMap(e => e.describe?.(plan).boot ?? []);
          expect(boot).toEqual([
            {
              platform: 'bios',
              path: 'isolinux/isolinux.bin',
              emulation: 'none',
              loadSize: 4,
              lba: plan.file('isolinux/isolinux.bin')!.lba,
              bootInfoTable: true
            },
            {
              platform: 'uefi',
              path: uefi === 'EFI' ? 'partition:2' : uefi,
              emulation: 'none',
              loadSize: expect.any(Number),
              lba: uefiLba
            }
          ]);
        });
        test('SeaBIOS, CD', () => boot(iso, 'bios', 'cd', MARKERS.isolinux), TIMEOUT_MS + 10_000);
        test('SeaBIOS, disk', () => boot(iso, 'bios', 'disk', MARKERS.isolinux), TIMEOUT_MS + 10_000);
        test('OVMF, CD', () => boot(iso, 'uefi', 'cd', MARKERS.grubEfi), TIMEOUT_MS + 10_000);
        test('OVMF, disk', () => boot(iso, 'uefi', 'disk', MARKERS.grubEfi), TIMEOUT_MS + 10_000);
      });
    }

    describe('GRUB BIOS eltorito.img with --grub2-boot-info and boot_hybrid.img', () => {
      const src = path.join(t.dir, 'src-grub-bios');
      const iso = path.join(t.dir, 'grub-bios.iso');
      beforeAll(async () => {
        addGrubBios(src, grub);
        const before = hashTree(src);
        await buildWith({
          source: src,
          output: iso,
          'volume-id': 'ISOFORGE_GRUB',
          ...epoch,
          'bios-boot': 'boot/grub/i386-pc/eltorito.img',
          'grub2-boot-info': 'true',
          'boot-catalog': 'boot/grub/boot.cat',
          'boot-catalog-hide': 'true',
          hybrid: 'true',
          'mbr-template': GRUB_BOOT_HYBRID
        });
        expect(hashTree(src)).toBe(before);
      });
      test('SeaBIOS, CD', () => boot(iso, 'bios', 'cd', MARKERS.grubBios), TIMEOUT_MS + 10_000);
      test('SeaBIOS, disk', () => boot(iso, 'bios', 'disk', MARKERS.grubBios), TIMEOUT_MS + 10_000);
    });
  }
);
