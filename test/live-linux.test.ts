/**
 * A Linux live image: Debian's kernel reads our image with its own iso9660 driver, the reader
 * every live distribution depends on. The tree is makeTree's (unicode and astral names, long names,
 * `;` and spaces, case-only pairs, 12 levels deep, symbolic links, modes, a hard link) plus the
 * kernel at /live/vmlinuz, an initramfs at /live/initrd.img, ISOLINUX for BIOS and GRUB EFI for
 * UEFI, built with today's flags (--bios-boot, --uefi-boot FOLDER, hybrid, --mbr-template
 * isohdpfx.bin) and booted four ways: SeaBIOS and OVMF, each as a CD and as a disk.
 *
 * A list is made from the source before the build (written beside the tree and into the
 * initramfs). The initramfs's /init mounts the boot medium three ways and checks:
 * - Rock Ridge (default mount): every path, type, permission bits, SHA-256 and link target equals
 *   the list, nothing missing and nothing extra (the initramfs's own digest and the boot catalog
 *   excepted: the first holds the list, the second is made by the build; isolinux.bin is compared
 *   from byte 64 on, after the boot info table the build patches into the image's copy);
 * - Joliet (`-o norock,check=s`): exactly the Rock Ridge view's paths, types and SHA-256 without
 *   the symbolic links (Joliet has none; every name here fits Joliet and maps to itself);
 * - plain ISO 9660 (`-o norock,nojoliet`): the same multiset of (type, SHA-256), the links being
 *   the empty files their records are without Rock Ridge (names are mangled there).
 * It prints `isoforge-live-ok:` only when all match, `isoforge-live FAIL` with the first mismatch
 * otherwise (details in support/live.ts, LIVE_INIT). A copy of the image with one byte of one
 * file's data changed must give that FAIL line naming the file.
 *
 * `isoforge verify --boot-test bios --boot-media cd` passes the image too (its structure checks and
 * the runner as users call it). The OVMF boots run with 512 MiB (the runner gives 256, too little for GRUB EFI and this kernel).
 */
import { copyFileSync, openSync, writeFileSync, readSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../src/cli/main.js';
import { bootImage, findQemu, type BootResult } from '../src/read/qemu.js';
import { ISOHDPFX, hashTree } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import {
  INITRD,
  LIVE_FAIL,
  LIVE_LABEL,
  LIVE_OK,
  VMLINUZ,
  addLiveGrubEfi,
  addLiveIsolinux,
  findKernel,
  makeInitramfs,
  makeList
} from './support/live.js';
import { describeWith, tempDir } from './support/tools.js';
import { makeTree } from './support/trees.js';

const TIMEOUT_MS = 120_000;
const SECTOR = 2048;
const BIOS_BOOT = 'isolinux/isolinux.bin';
const times: string[] = [];

async function boot(
  image: string,
  firmware: 'bios' | 'uefi',
  media: 'cd' | 'disk',
  marker: string
): Promise<BootResult> {
  const r = await bootImage({ image, firmware, media, marker, timeoutMs: TIMEOUT_MS, screen: false });
  const serial = r.serial.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const line = serial.split('\n').find(l => l.includes(LIVE_OK) || l.includes(LIVE_FAIL));
  times.push(
    `${path.basename(image)} ${firmware === 'bios' ? 'SeaBIOS' : 'OVMF'} ${media}: ${r.ok ? `${r.elapsedMs} ms` : r.reason}${line ? ` — ${line.trim()}` : ''}`
  );
  if (!r.ok)
    throw new Error(
      `${firmware} ${media} boot of ${image}: ${r.reason}\n${r.command.join(' ')}\n--- serial ---\n${serial.slice(-3000)}`
    );
  return { ...r, serial };
}

describeWith(
  ['qemu-system-x86_64', 'grub-mkstandalone', 'cpio', 'busybox'],
  'a Linux live image: the kernel reads Rock Ridge, Joliet and ISO 9660 (SeaBIOS and OVMF, CD and disk)',
  () => {
    const t = tempDir('isoforge-live-');
    const src = path.join(t.dir, 'src');
    const iso = path.join(t.dir, 'live.iso');
    let list = '';
    let corruptLba = 0;

    beforeAll(async () => {
      const found = findQemu();
      if (found.missing.length) throw new Error(`missing: ${found.missing.join(', ')}`);
      const kernel = findKernel();
      makeTree(src, { hardlinks: true });
      mkdirSync(path.join(src, 'live'), { recursive: true });
      copyFileSync(kernel.vmlinuz, path.join(src, VMLINUZ));
      addLiveIsolinux(src);
      addLiveGrubEfi(src, t.dir);
      list = makeList(src, [BIOS_BOOT]);
      writeFileSync(path.join(t.dir, 'list.tsv'), list);
      makeInitramfs(t.dir, kernel, list, path.join(src, INITRD));
      const before = hashTree(src);
      const outcome = await buildWith({
        source: src,
        output: iso,
        'volume-id': LIVE_LABEL,
        'source-date-epoch': '1700000000',
        'bios-boot': BIOS_BOOT,
        'uefi-boot': 'EFI',
        hybrid: 'true',
        'mbr-template': ISOHDPFX
      });
      expect(outcome.log.warnings).toEqual([]);
      expect(hashTree(src)).toBe(before);
      corruptLba = outcome.image.plan.file('sizes/2049.bin')!.lba;
    }, 120_000);
    afterAll(() => {
      t.cleanup();
      console.log(`live Linux boot times (TCG):\n  ${times.join('\n  ')}`);
    });

    const entries = () => list.trim().split('\n').length;
    const symlinks = () => list.split('\n').filter(l => l.split('\t')[1] === 'symlink').length;

    for (const [firmware, media] of [
      ['bios', 'cd'],
      ['bios', 'disk'],
      ['uefi', 'cd'],
      ['uefi', 'disk']
    ] as const) {
      test(
        `${firmware === 'bios' ? 'SeaBIOS' : 'OVMF'}, ${media}: all three namespaces match the list`,
        async () => {
          // at the runner's default memory (BOOT_MEMORY_MIB): GRUB under OVMF could not load this kernel in 256 MiB
          const r = await boot(iso, firmware, media, LIVE_OK);
          const line = r.serial.split('\n').find(l => l.includes(LIVE_OK))!;
          const m = /rock-ridge (\d+), joliet (\d+), iso9660 (\d+) entries match on (\S+)/.exec(line);
          expect(m).not.toBeNull();
          // every entry of the list was seen in each namespace (Joliet has no links)
          expect(Number(m![1])).toBe(entries());
          expect(Number(m![2])).toBe(entries() - symlinks());
          expect(Number(m![3])).toBe(entries());
          expect(m![4]).toMatch(media === 'cd' ? /^\/dev\/sr0,$/ : /^\/dev\/sda1?,$/);
          // busybox findfs found the whole label (spaces, past Joliet's 16 characters)
          expect(line).toMatch(media === 'cd' ? / label on \/dev\/sr0\s*$/ : / label on \/dev\/sda1?\s*$/);
          expect(r.serial).not.toContain(LIVE_FAIL);
        },
        TIMEOUT_MS + 10_000
      );
    }

    test(
      'isoforge verify passes the image and its --boot-test bios,uefi (CD) sees the marker',
      async () => {
        let out = '';
        const started = Date.now();
        const code = await main(
          [
            'verify',
            '--image',
            iso,
            '--boot-test',
            'bios,uefi',
            '--boot-media',
            'cd',
            '--boot-marker',
            LIVE_OK
          ],
          { stdout: s => (out += s), stderr: s => (out += s), env: {}, isTTY: false }
        );
        times.push(`${path.basename(iso)} verify --boot-test bios,uefi cd: ${Date.now() - started} ms`);
        expect(out).toMatch(/boot-test bios cd +pass +marker seen after/);
        expect(out).toMatch(/boot-test uefi cd +pass +marker seen after/);
        expect(code).toBe(0);
      },
      2 * TIMEOUT_MS + 10_000
    );

    test(
      "one changed byte of sizes/2049.bin's data: the init says FAIL and names the file",
      async () => {
        const bad = path.join(t.dir, 'corrupt.iso');
        copyFileSync(iso, bad);
        const fd = openSync(bad, 'r+');
        const b = Buffer.alloc(1);
        const at = corruptLba * SECTOR + 100;
        readSync(fd, b, 0, 1, at);
        b[0] ^= 0xff;
        writeSync(fd, b, 0, 1, at);
        closeSync(fd);
        const r = await boot(bad, 'bios', 'cd', LIVE_FAIL);
        const line = r.serial.split('\n').find(l => l.includes(LIVE_FAIL))!;
        expect(line).toContain('rock-ridge:');
        expect(line).toContain('sizes/2049.bin');
        expect(r.serial).not.toContain(LIVE_OK);
      },
      TIMEOUT_MS + 10_000
    );
  }
);
