/**
 * The as_mkisofs translator of the third-party rebuild tests (test/support/as-mkisofs.ts), on the
 * reports xorriso gives of the three originals, and on the options it must refuse.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cutOut, shellWords, translateAsMkisofs } from './support/as-mkisofs.js';
import { ORIGINALS, asMkisofsReport, extractTree } from './support/rebuild.js';
import { describeWith, tempDir } from './support/tools.js';

const ASIDE = '/aside';
const utc = (...a: [number, number, number, number, number, number]) =>
  String(Date.UTC(a[0], a[1] - 1, a[2], a[3], a[4], a[5]) / 1000);

test('shellWords joins quoted parts and keeps spaces inside quotes', () => {
  expect(shellWords(`-V 'A B'\n-x --interval:local_fs:0s-15s::'/a b/c.iso' "q\\"d"`)).toEqual([
    '-V',
    'A B',
    '-x',
    '--interval:local_fs:0s-15s::/a b/c.iso',
    'q"d'
  ]);
});

describe('refused reports', () => {
  const o = { original: '/x.iso', tree: '/nonexistent', aside: ASIDE };
  test.each([
    ['-partition_offset 16', /-partition_offset 16: isoforge has no partition offset/],
    ['-G /tmp/sa.bin', /-G has no isoforge equivalent/],
    ['-isohybrid-mbr --interval:local_fs:0s-15s::/other.iso', /not a range of \/x.iso/],
    ['-isohybrid-mbr --interval:local_fs:0s-15s:zero_gpt:/x.iso', /zeroizer zero_gpt/],
    ['-no-emul-boot', /-no-emul-boot before any -b or -e/],
    ["-b '/a' -b '/b'", /-b without -eltorito-alt-boot/]
  ])('%s', (report, error) => {
    expect(() => translateAsMkisofs(report, o)).toThrow(error);
  });
});

describeWith(
  ['xorriso'],
  'as_mkisofs reports of Debian’s third-party images',
  () => {
    let t: ReturnType<typeof tempDir>;
    beforeAll(() => (t = tempDir('isoforge-asmk-')));
    afterAll(() => t?.cleanup());
    const trees: Record<string, string> = {};
    const tr = (name: keyof typeof ORIGINALS) => {
      const original = ORIGINALS[name];
      trees[name] ??= path.join(t.dir, name);
      extractTree(original, trees[name]);
      return translateAsMkisofs(asMkisofsReport(original), { original, tree: trees[name], aside: ASIDE });
    };
    const ignoredOf = (x: ReturnType<typeof tr>) => x.ignored.map(i => i.option);

    test('ipxe.iso: isolinux.bin with a boot info table, efi.img as the UEFI entry, isohybrid MBR', () => {
      const x = tr('ipxe');
      expect(x.argv).toEqual([
        ...['--volume-id', 'ISOIMAGE', '--source-date-epoch', utc(2021, 2, 7, 17, 25, 50)],
        ...['--boot-catalog', 'boot.cat', '--bios-boot', 'isolinux.bin', '--boot-info-table', 'true'],
        ...['--grub2-boot-info', 'false', '--bios-boot-load-size', '4', '--uefi-boot', 'efi.img'],
        ...['--hybrid', 'true', '--mbr-template', '/aside/mbr.bin', '--mbr-kind', 'isohybrid']
      ]);
      // the MBR boot code only, from byte 0
      expect(x.cuts).toEqual([{ file: '/aside/mbr.bin', start: 0, length: 432, zeroMbrTable: true }]);
      expect(ignoredOf(x)).toEqual([
        '-isohybrid-mbr (bytes 432-)',
        '-partition_cyl_align on',
        '-partition_offset 0',
        '-partition_hd_cyl 64',
        '-partition_sec_hd 32',
        '--mbr-force-bootable',
        '-iso_mbr_part_type 0x17'
      ]);
      for (const i of x.ignored) expect(i.reason.length).toBeGreaterThan(20);
    });

    test('grub-rescue-cdrom.iso: eltorito.img with boot info table and GRUB2 boot info, GRUB2 MBR', () => {
      const x = tr('grubRescue');
      expect(x.argv).toEqual([
        ...['--volume-id', 'ISOIMAGE', '--source-date-epoch', utc(2026, 5, 3, 22, 12, 13)],
        ...['--boot-catalog', 'boot.catalog', '--bios-boot', 'boot/grub/i386-pc/eltorito.img'],
        ...['--boot-info-table', 'true', '--grub2-boot-info', 'true', '--bios-boot-load-size', '4'],
        ...['--hybrid', 'true', '--mbr-template', '/aside/mbr.bin', '--mbr-kind', 'grub2']
      ]);
      expect(ignoredOf(x)).toContain('--protective-msdos-label');
      expect(ignoredOf(x)).toContain('-partition_cyl_align off');
    });

    test('memtest86+x64.iso: a floppy-emulation BIOS entry and a UEFI entry inside appended partition 2', () => {
      const x = tr('memtest');
      expect(x.argv).toEqual([
        ...['--volume-id', 'MT86PLUS_64', '--source-date-epoch', utc(2023, 2, 11, 10, 16, 22)],
        ...['--boot-catalog', 'boot.catalog'],
        ...['--boot', 'platform=bios image=boot/floppy.img emulation=floppy load-size=1'],
        ...[
          '--boot',
          'platform=uefi partition=2 emulation=none load-size=8192 info-table=false grub2-boot-info=false'
        ],
        ...['--append-partition', '2 0xef /aside/partition-2.img'],
        ...['--hybrid', 'true', '--mbr-template', '/aside/mbr.bin', '--mbr-kind', 'grub2']
      ]);
      // 3304d-11495d: 8192 sectors of 512 bytes from sector 3304, the last one included
      expect(x.cuts[1]).toEqual({
        file: '/aside/partition-2.img',
        start: 3304 * 512,
        length: 8192 * 512,
        zeroMbrTable: false
      });
      expect(ignoredOf(x)).toContain('-iso_mbr_part_type 0x00');
    });

    test("the cut partition is the 4 MiB FAT ESP, the cut MBR the original's boot code", () => {
      const x = translateAsMkisofs(asMkisofsReport(ORIGINALS.memtest), {
        original: ORIGINALS.memtest,
        tree: trees.memtest ?? t.dir,
        aside: t.dir
      });
      for (const c of x.cuts) cutOut(ORIGINALS.memtest, c);
      const esp = readFileSync(path.join(t.dir, 'partition-2.img'));
      expect(esp.length).toBe(4 * 1024 * 1024);
      expect(esp.readUInt16LE(510)).toBe(0xaa55);
      expect(esp.subarray(54, 62).toString('latin1') + esp.subarray(82, 90).toString('latin1')).toMatch(
        /FAT/
      );
      // the MBR code: the original's first 432 bytes, its partition table not included
      const mbr = readFileSync(path.join(t.dir, 'mbr.bin'));
      expect(mbr.equals(readFileSync(ORIGINALS.memtest).subarray(0, 432))).toBe(true);
    });
  },
  Object.values(ORIGINALS)
);
