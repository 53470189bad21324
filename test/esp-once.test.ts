/**
 * The ESP stored once (issue 16): `--boot 'platform=uefi image=PATH partition=N'` makes the FAT
 * image file PATH of the tree appended partition N (GPT ESP type, MBR 0xef), written once; its
 * ISO 9660, Joliet and Rock Ridge records and the UEFI El Torito entry point at the partition's
 * first block, and the volume space size counts the partition (as xorriso's counts its appended
 * partitions), so the file's extent lies inside the volume. --uefi-boot FILE in a hybrid image is
 * the same form. Read back by xorriso, bsdtar, 7-Zip, isoinfo, pycdlib and isoforge's verify and
 * extract; booted by OVMF (and SeaBIOS) from CD and disk.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ISOHDPFX, MARKERS, addGrubEfi, addIsolinux, buildGrubImages } from './support/boottrees.js';
import { FOUR_WAYS, bootLogged, needQemu, wayName } from './support/bootlog.js';
import { cli } from './support/cli.js';
import { bashWords } from './support/remaster.js';
import { ESP_TYPE_GUID, eltoritoEntries, occurrences } from './support/layouts.js';
import { PYCDLIB, pycdlibWalk } from './support/pycdlib.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 90_000;
const EPOCH = '1700000000';
const BLOCK = 2048;
const EFI = 'boot/grub/efi.img';
const ONCE = `platform=uefi image=${EFI} partition=2`;
const notes: string[] = [];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** GPT partition N as sgdisk -i prints it: first sector, size in sectors, type GUID. */
function gptPartition(image: string, n: number): { first: number; sectors: number; type: string } {
  const info = sh('sgdisk', ['-i', String(n), image]);
  const num = (re: RegExp) => Number(re.exec(info)?.[1]);
  return {
    first: num(/First sector: (\d+)/),
    sectors: num(/Partition size: (\d+) sectors/),
    type: /Partition GUID code: (\S+)/.exec(info)?.[1] ?? ''
  };
}

describeWith(
  [
    'qemu-system-x86_64',
    'xorriso',
    'isoinfo',
    'sgdisk',
    'bsdtar',
    '7zz',
    'mkfs.fat',
    'mcopy',
    'grub-mkstandalone',
    'checkisomd5',
    PYCDLIB
  ],
  'the ESP stored once: --boot platform=uefi image=PATH partition=N',
  () => {
    let t: ReturnType<typeof tempDir>;
    let src: string;
    let efi: Buffer;
    let iso: string;
    const build = (out: string, ...args: string[]) =>
      cli(['build', '--source', src, '--output', out, '--source-date-epoch', EPOCH, ...args]);
    const bios = ['--bios-boot', 'isolinux/isolinux.bin', '--mbr-template', ISOHDPFX];
    beforeAll(async () => {
      needQemu();
      t = tempDir('isoforge-esp-once-');
      const grub = buildGrubImages(path.join(t.dir, 'grub'));
      src = path.join(t.dir, 'src');
      addIsolinux(src);
      addGrubEfi(src, grub);
      efi = readFileSync(path.join(src, EFI));
      iso = path.join(t.dir, 'once.iso');
      const r = await build(iso, ...bios, '--boot', ONCE);
      if (r.code !== 0) throw new Error(r.err);
    });
    afterAll(() => {
      t?.cleanup();
      console.log(`esp once:\n  ${notes.join('\n  ')}`);
    });

    test('efi.img is written once, as GPT partition 2 (ESP type), where the UEFI entry and its records point', () => {
      const at = occurrences(iso, path.join(src, EFI));
      expect(at).toHaveLength(1);
      const entries = eltoritoEntries(iso);
      expect(entries.map(e => e.platform)).toEqual(['BIOS', 'UEFI']);
      expect(entries[1].lba * BLOCK).toBe(at[0]);
      const p = gptPartition(iso, 2);
      expect(p.type).toBe(ESP_TYPE_GUID);
      expect(p.first * 512).toBe(at[0]);
      expect(p.sectors).toBe(Math.ceil(efi.length / 512));
      // the directory record's extent (isoinfo -l: [ LBA ... ]) is the partition's first block
      const listing = sh('isoinfo', ['-l', '-R', '-i', iso]);
      const rec = new RegExp(`\\[\\s*(\\d+)\\s+\\d+\\]\\s+efi\\.img`).exec(listing);
      expect(Number(rec?.[1]) * BLOCK).toBe(at[0]);
      // the volume space size counts the partition: the extent lies inside the volume
      const blocks = Number(/Volume size is: (\d+)/.exec(sh('isoinfo', ['-d', '-i', iso]))?.[1]);
      expect(blocks * BLOCK).toBeGreaterThanOrEqual(at[0] + efi.length);
      expect(sh('sgdisk', ['-v', iso])).toContain('No problems found');
      notes.push(`once.iso: ${readFileSync(iso).length} bytes, efi.img ${efi.length} bytes at ${at[0]}`);
    });

    test('efi.img reads back equal through xorriso, bsdtar, 7-Zip, isoinfo and pycdlib (ISO 9660, Joliet, Rock Ridge)', () => {
      const want = sha(efi);
      const x = path.join(t.dir, 'x-efi.img');
      sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', `/${EFI}`, x]);
      expect(sha(readFileSync(x))).toBe(want);
      const bsdtar = execBytes('bsdtar', ['-xOf', iso, EFI]);
      expect(sha(bsdtar)).toBe(want);
      expect(sha(execBytes('7zz', ['e', '-so', iso, EFI]))).toBe(want);
      expect(sha(execBytes('isoinfo', ['-R', '-i', iso, '-x', `/${EFI}`]))).toBe(want);
      expect(sha(execBytes('isoinfo', ['-J', '-i', iso, '-x', `/${EFI}`]))).toBe(want);
      const v = pycdlibWalk(iso);
      expect(v.problems).toEqual([]);
      expect(v.rr?.get(EFI)?.sha256).toBe(want);
      expect(v.joliet?.get(EFI)?.sha256).toBe(want);
    });

    test('isoforge verify --expect-boot bios,uefi:partition passes and isoforge extract writes efi.img equal', async () => {
      const v = await cli(['verify', '--image', iso, '--expect-boot', 'bios,uefi:partition']);
      expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
      // the UEFI image is a file of the tree and partition 2 at once
      expect(v.out).toContain(`uefi ${EFI} = partition:2`);
      const dir = path.join(t.dir, 'extracted');
      const x = await cli(['extract', '--image', iso, '--output', dir]);
      expect(x.code).toBe(0);
      expect(sha(readFileSync(path.join(dir, EFI)))).toBe(sha(efi));
    });

    test('two builds are the same bytes; --uefi-boot FILE in a hybrid image is the same form, stored once', async () => {
      const again = path.join(t.dir, 'again.iso');
      expect((await build(again, ...bios, '--boot', ONCE)).code).toBe(0);
      expect(sha(readFileSync(again))).toBe(sha(readFileSync(iso)));
      const short = path.join(t.dir, 'uefi-boot-file.iso');
      const r = await build(short, ...bios, '--uefi-boot', EFI);
      expect(r.code).toBe(0);
      const at = occurrences(short, path.join(src, EFI));
      expect(at).toHaveLength(1);
      expect(eltoritoEntries(short)[1].lba * BLOCK).toBe(at[0]);
      expect(gptPartition(short, 2).first * 512).toBe(at[0]);
      expect(sh('sgdisk', ['-v', short])).toContain('No problems found');
      notes.push(`--uefi-boot FILE: ${readFileSync(short).length} bytes`);
    });

    test('a partition=2 entry before the entry whose tree file is partition 2 loads all of it too', async () => {
      const both = path.join(t.dir, 'both.iso');
      const r = await build(both, ...bios, '--boot', 'platform=uefi partition=2', '--boot', ONCE);
      expect(r.code).toBe(0);
      const report = sh('xorriso', ['-indev', both, '-report_el_torito', 'plain']);
      const rows = [...report.matchAll(/^El Torito boot img :\s+\d+\s+UEFI\s+(.*)$/gm)].map(m => m[1]);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toBe(rows[1]);
      expect(rows[0]).toMatch(new RegExp(`\\s${efi.length / 512}\\s`));
    });

    test('--implant-md5: checkisomd5 and verify pass over the volume, which holds the ESP', async () => {
      const md5 = path.join(t.dir, 'md5.iso');
      expect((await build(md5, ...bios, '--boot', ONCE, '--implant-md5', 'true')).code).toBe(0);
      const r = run('checkisomd5', ['--verbose', md5], { input: '' });
      expect({ status: r.status, err: r.stderr }).toEqual({
        status: 0,
        err: expect.stringContaining('the result is: PASS')
      });
      const v = await cli(['verify', '--image', md5]);
      expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
    });

    test('extract, inspect --as-options and build again give the same bytes', async () => {
      const work = path.join(t.dir, 'round-trip');
      const tree = path.join(work, 'tree');
      expect((await cli(['extract', '--image', iso, '--output', tree])).code).toBe(0);
      const r = await cli(['inspect', iso, '--as-options', '--output', path.join(work, 'parts')]);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
      expect(r.out).toContain(`--boot '${ONCE} load-size=`);
      expect(r.out).not.toContain('--append-partition');
      // the lines are shell words: bash splits them as a user's paste would
      const words = bashWords(r.out, work);
      const again = path.join(work, 'again.iso');
      const b = await cli([
        'build',
        '--source',
        tree,
        '--output',
        again,
        '--source-date-epoch',
        EPOCH,
        ...words
      ]);
      expect({ code: b.code, err: b.err }).toEqual({ code: 0, err: expect.any(String) });
      expect(sha(readFileSync(again))).toBe(sha(readFileSync(iso)));
    });

    test.each([
      [
        'a BIOS entry with both',
        '--boot',
        `platform=bios image=isolinux/isolinux.bin partition=2`,
        /BIOS entry gives image= or partition=/
      ],
      [
        'partition 1 with image=',
        '--boot',
        `platform=uefi image=${EFI} partition=1`,
        /partition=1 is not a whole number from 2 to 4/
      ],
      [
        'partition 5 with image=',
        '--boot',
        `platform=uefi image=${EFI} partition=5`,
        /partition=5 is not a whole number from 2 to 4/
      ],
      [
        'emulation',
        '--boot',
        `platform=uefi image=${EFI} partition=2 emulation=floppy`,
        /booted without emulation/
      ],
      ['a folder', '--boot', 'platform=uefi image=EFI partition=2', /EFI is a folder; give a FAT image file/],
      ['not FAT', '--boot', 'platform=uefi image=isolinux/isolinux.cfg partition=2', /isolinux\.cfg/]
    ])('%s: one line naming the entry, no output', async (_name, flag, entry, message) => {
      const out = path.join(t.dir, 'bad.iso');
      const r = await cli(['build', '--source', src, '--output', out, ...bios, flag, entry]);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(r.err).toContain(`--boot: '${entry}'`);
      expect(existsSync(out)).toBe(false);
    });

    test('partition N also given by --append-partition, or without the hybrid layout: one line, no output', async () => {
      const out = path.join(t.dir, 'bad.iso');
      const other = path.join(t.dir, 'other.img');
      mkdirSync(path.dirname(other), { recursive: true });
      sh('mkfs.fat', ['-C', other, '64']);
      const twice = await cli([
        ...['build', '--source', src, '--output', out, ...bios, '--boot', ONCE],
        ...['--append-partition', `2 0xef ${other}`]
      ]);
      expect(twice.code).not.toBe(0);
      expect(twice.err.trim().split('\n')).toEqual([
        expect.stringMatching(/--boot: .*partition 2 is also given by --append-partition/)
      ]);
      const flat = await cli([
        'build',
        '--source',
        src,
        '--output',
        out,
        '--boot',
        ONCE,
        '--hybrid',
        'false'
      ]);
      expect(flat.code).not.toBe(0);
      expect(flat.err.trim().split('\n')).toEqual([
        expect.stringMatching(/--boot: .*needs the hybrid layout/)
      ]);
      expect(existsSync(out)).toBe(false);
    });

    for (const way of FOUR_WAYS) {
      test(
        `${wayName(way)}: the loader reads its marker through the tree`,
        async () => {
          const marker = way[0] === 'bios' ? MARKERS.isolinux : MARKERS.grubEfi;
          await bootLogged({ image: iso, marker, timeoutMs: TIMEOUT_MS }, way, notes);
        },
        TIMEOUT_MS + 10_000
      );
    }
  }
);

function execBytes(cmd: string, args: string[]): Buffer {
  return execFileSync(cmd, args, { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}
