/**
 * Remaster, the boot replay on the entries model (issue 16, src/read/replay-boot.ts): the source
 * image's El Torito entries become `--boot` entries in order (an emulated floppy, an entry inside an
 * appended partition), its appended partitions are streamed from its own bytes, its MBR code keeps
 * the kind its boot address says. memtest86+'s image (floppy + UEFI inside appended partition 2)
 * and grub-rescue's (GRUB2 MBR) are remastered with an overlay; an image in Ubuntu's live-server
 * layout made by xorriso is remastered with new marker files and booted 4 ways; boot options given
 * (or --replay-boot false) replace the replay, saying what was dropped; two remasters are the same.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bootImage } from '../src/read/qemu.js';
import { ISOHDPFX, addGrubEfi, addIsolinux, buildGrubImages, type GrubImages } from './support/boottrees.js';
import { FOUR_WAYS, bootLogged, needQemu, wayName } from './support/bootlog.js';
import { cli } from './support/cli.js';
import { UBUNTU, eltoritoEntries, makeEsp, occurrences } from './support/layouts.js';
import { memtestWhen, sameScreen } from './support/memtest.js';
import { ORIGINALS } from './support/rebuild.js';
import { remaster, REMASTER_EPOCH, bashWords } from './support/remaster.js';
import { captureScreen } from './support/screendump.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 90_000;
const EPOCH = REMASTER_EPOCH;
const BLOCK = 2048;
const notes: string[] = [];

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const mib = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(2)} MiB`;

/** Bytes [offset, offset + length) of `file` written to `out`. */
function cut(file: string, offset: number, length: number, out: string): string {
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  writeFileSync(out, buf);
  return out;
}

/** MBR partition N of `iso` (the table at byte 446, 16 bytes an entry) as (offset, length) in bytes. */
function mbrPartition(iso: string, n: number): { offset: number; length: number } {
  const mbr = readFileSync(iso).subarray(0, 512);
  const at = 446 + 16 * (n - 1);
  return { offset: mbr.readUInt32LE(at + 8) * 512, length: mbr.readUInt32LE(at + 12) * 512 };
}

describeWith(
  [
    'qemu-system-x86_64',
    'xorriso',
    'isoinfo',
    'sgdisk',
    'bsdtar',
    'mkfs.fat',
    'mcopy',
    'grub-mkstandalone',
    'grub-mkimage'
  ],
  'remaster: the boot replay on the entries model',
  () => {
    let t: ReturnType<typeof tempDir>;
    let grub: GrubImages;
    beforeAll(() => {
      needQemu();
      t = tempDir('isoforge-remaster-boot-');
      grub = buildGrubImages(path.join(t.dir, 'grub'));
    });
    afterAll(() => {
      t?.cleanup();
      console.log(`remaster boots (TCG):\n  ${notes.join('\n  ')}`);
    });

    describe('memtest86+x64.iso (BIOS floppy entry, UEFI entry inside appended partition 2)', () => {
      let out: string;
      beforeAll(async () => {
        const ov = path.join(t.dir, 'memtest-overlay');
        mkdirSync(ov, { recursive: true });
        writeFileSync(path.join(ov, 'added.txt'), 'added by the remaster\n');
        out = path.join(t.dir, 'memtest.iso');
        await remaster(['--source-image', ORIGINALS.memtest, '--source', ov, '--output', out]);
        notes.push(`memtest86+: original ${mib(ORIGINALS.memtest)}, remaster ${mib(out)}`);
      });

      test('verify --expect-boot bios:floppy,uefi:partition passes; the ESP is stored once, as partition 2', async () => {
        const v = await cli(['verify', '--image', out, '--expect-boot', 'bios:floppy,uefi:partition']);
        expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
        expect(v.out).toContain('uefi partition:2');
        const esp = mbrPartition(ORIGINALS.memtest, 2);
        const part = cut(ORIGINALS.memtest, esp.offset, esp.length, path.join(t.dir, 'memtest-esp.img'));
        const entries = eltoritoEntries(out);
        expect(occurrences(out, part)).toEqual([entries[1].lba * BLOCK]);
        expect(sh('bsdtar', ['-xOf', out, 'added.txt'])).toBe('added by the remaster\n');
        expect(sh('sgdisk', ['-v', out])).toContain('No problems found');
      });

      test('a boot image the overlay replaces (boot/floppy.img) is the one the replayed entry starts', async () => {
        const ov = path.join(t.dir, 'floppy-overlay');
        mkdirSync(path.join(ov, 'boot'), { recursive: true });
        const floppy = path.join(ov, 'boot/floppy.img');
        sh('mkfs.fat', ['-C', '-n', 'OVERLAY', floppy, '1440']);
        const other = path.join(t.dir, 'memtest-floppy.iso');
        await remaster(['--source-image', ORIGINALS.memtest, '--source', ov, '--output', other]);
        const entries = eltoritoEntries(other);
        expect(occurrences(other, floppy)).toEqual([entries[0].lba * BLOCK]);
      });

      test(
        "SeaBIOS cd: memtest86+'s screen is the original's",
        async () => {
          const w = { firmware: 'bios', media: 'cd' } as const;
          const want = await captureScreen({ image: ORIGINALS.memtest, ...w }, memtestWhen(w));
          const got = await captureScreen({ image: out, ...w }, memtestWhen(w));
          notes.push(
            `memtest86+ SeaBIOS cd: there at ${want.signMs} ms (original) / ${got.signMs} ms (remaster)`
          );
          expect(got.signMs).toBeDefined();
          sameScreen(want, got);
        },
        2 * 120_000 + 10_000
      );
    });

    describe('grub-rescue-cdrom.iso (GRUB2 MBR, eltorito.img with GRUB2 boot info) with a new grub.cfg', () => {
      const marker = 'isoforge-remaster: the new grub.cfg';
      let out: string;
      beforeAll(async () => {
        const ov = path.join(t.dir, 'rescue-overlay');
        mkdirSync(path.join(ov, 'boot/grub'), { recursive: true });
        writeFileSync(
          path.join(ov, 'boot/grub/grub.cfg'),
          `echo '${marker}'\necho '(the SeaBIOS mirror runs a character late)'\nsleep 600\n`
        );
        out = path.join(t.dir, 'rescue.iso');
        await remaster(['--source-image', ORIGINALS.grubRescue, '--source', ov, '--output', out]);
        notes.push(`grub-rescue: original ${mib(ORIGINALS.grubRescue)}, remaster ${mib(out)}`);
      });
      for (const media of ['cd', 'disk'] as const) {
        test(
          `SeaBIOS ${media}: GRUB runs the new grub.cfg`,
          async () => {
            const r = await bootImage({ image: out, firmware: 'bios', media, marker, timeoutMs: TIMEOUT_MS });
            notes.push(
              `grub-rescue remaster SeaBIOS ${media}: ${r.ok ? `${(r.elapsedMs / 1000).toFixed(1)} s` : r.reason}`
            );
            expect({ ok: r.ok, tail: r.ok ? '' : r.screen.slice(-500) }).toEqual({ ok: true, tail: '' });
          },
          TIMEOUT_MS + 10_000
        );
      }
    });

    describe("an image in Ubuntu's live-server layout made by xorriso, its marker files changed", () => {
      let iso: string;
      let out: string;
      let esp: string;
      const overlay = {
        bios: 'isoforge-remaster: grub-bios read the overlay',
        uefi: 'isoforge-remaster: grub-efi read the overlay'
      };
      beforeAll(async () => {
        const work = path.join(t.dir, 'ubuntu');
        const src = path.join(work, 'src');
        UBUNTU.tree(src, grub);
        esp = makeEsp(work, grub);
        iso = path.join(work, 'ubuntu.iso');
        sh('xorriso', UBUNTU.xorriso(src, esp, iso), { env: { SOURCE_DATE_EPOCH: EPOCH } });
        const ov = path.join(work, 'overlay');
        mkdirSync(ov, { recursive: true });
        writeFileSync(path.join(ov, 'grub-bios-marker.txt'), `${overlay.bios}\n`);
        writeFileSync(path.join(ov, 'marker.txt'), `${overlay.uefi}\n`);
        out = path.join(work, 'remaster.iso');
        await remaster(['--source-image', iso, '--source', ov, '--output', out]);
        notes.push(`ubuntu layout: xorriso ${mib(iso)}, remaster ${mib(out)}`);
      });

      test('the volume id is kept, sgdisk -v is clean, the ESP is stored once where the UEFI entry points', () => {
        expect(sh('isoinfo', ['-d', '-i', out])).toContain(`Volume id: ${UBUNTU.volumeId}\n`);
        expect(sh('sgdisk', ['-v', out])).toContain('No problems found');
        const entries = eltoritoEntries(out);
        expect(entries.map(e => e.platform)).toEqual(['BIOS', 'UEFI']);
        expect(occurrences(out, esp)).toEqual([entries[1].lba * BLOCK]);
      });

      for (const way of FOUR_WAYS) {
        test(
          `${wayName(way)}: GRUB prints the overlay's marker`,
          async () => {
            const marker = way[0] === 'bios' ? overlay.bios : overlay.uefi;
            await bootLogged({ image: out, marker, timeoutMs: TIMEOUT_MS }, way, notes);
          },
          TIMEOUT_MS + 10_000
        );
      }

      // inspect --as-options of isoforge's own image, fed back to build over the extracted tree
      for (const [name, extra] of [
        ['BIOS + UEFI hybrid, the ESP appended', []],
        ['and a floppy entry', ['--boot', 'platform=bios image=floppy.img emulation=floppy']]
      ] as const) {
        test(`inspect --as-options --output DIR of isoforge's image (${name}) rebuilds it byte for byte`, async () => {
          const work = path.join(t.dir, 'ubuntu', `as-options-${extra.length}`);
          const src = path.join(t.dir, 'ubuntu', 'src');
          if (extra.length) sh('mkfs.fat', ['-C', path.join(src, 'floppy.img'), '1440']);
          const first = path.join(work, 'first.iso');
          await remaster([
            ...['--source', src, '--output', first, '--volume-id', UBUNTU.volumeId],
            ...UBUNTU.isoforge(esp),
            ...extra
          ]);
          const tree = path.join(work, 'tree');
          const x = await cli(['extract', '--image', first, '--output', tree]);
          expect({ code: x.code, err: x.err }).toEqual({ code: 0, err: expect.stringContaining('files') });
          const parts = path.join(work, 'parts');
          const r = await cli(['inspect', first, '--as-options', '--output', parts]);
          expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
          expect(r.out).toContain(
            `--append-partition '2 C12A7328-F81F-11D2-BA4B-00A0C93EC93B ${parts}/partition-2.img'`
          );
          expect(r.out).toContain("--boot 'platform=uefi partition=2 load-size=");
          if (extra.length)
            expect(r.out).toContain("--boot 'platform=bios image=floppy.img emulation=floppy load-size=1'");
          // the lines are shell words: bash splits them as a user's paste would
          const words = bashWords(r.out, work);
          const again = path.join(work, 'again.iso');
          await remaster(['--source', tree, '--output', again, ...words]);
          expect(sha(again)).toBe(sha(first));
          if (extra.length) sh('rm', [path.join(src, 'floppy.img')]);
        });
      }

      test(
        "for the note: xorriso's -boot_image any replay of the same change (size, sgdisk -v, two boots)",
        async () => {
          const ov = path.join(t.dir, 'ubuntu', 'overlay');
          const x = path.join(t.dir, 'ubuntu', 'xorriso-replay.iso');
          sh('xorriso', [
            ...['-indev', iso, '-outdev', x, '-boot_image', 'any', 'replay'],
            ...['-map', path.join(ov, 'marker.txt'), '/marker.txt'],
            ...['-map', path.join(ov, 'grub-bios-marker.txt'), '/grub-bios-marker.txt']
          ]);
          expect(sh('bsdtar', ['-xOf', x, 'marker.txt'])).toBe(`${overlay.uefi}\n`);
          const v = run('sgdisk', ['-v', x]);
          notes.push(
            `ubuntu layout, xorriso replay: ${mib(x)} (isoforge ${mib(out)}), sgdisk -v ${/No problems found/.test(v.stdout) ? 'clean' : `not clean: ${v.stdout.split('\n').find(l => /Problem|problem|backup/.test(l)) ?? ''}`}`
          );
          for (const way of [FOUR_WAYS[1], FOUR_WAYS[3]]) {
            const r = await bootImage({
              image: x,
              firmware: way[0],
              media: way[1],
              marker: way[0] === 'bios' ? overlay.bios : overlay.uefi,
              timeoutMs: TIMEOUT_MS
            });
            notes.push(
              `xorriso replay ${wayName(way)}: ${r.ok ? `${(r.elapsedMs / 1000).toFixed(1)} s` : r.reason}`
            );
          }
        },
        2 * TIMEOUT_MS + 10_000
      );

      test('two remasters of the same inputs are the same bytes', async () => {
        const again = path.join(t.dir, 'ubuntu', 'again.iso');
        await remaster([
          '--source-image',
          iso,
          '--source',
          path.join(t.dir, 'ubuntu', 'overlay'),
          '--output',
          again
        ]);
        expect(sha(again)).toBe(sha(out));
      });

      test('--boot options given replace the replay, and the log says what was dropped', async () => {
        const other = path.join(t.dir, 'ubuntu', 'given.iso');
        const r = await remaster([
          ...['--source-image', iso, '--output', other],
          ...['--boot', `platform=bios image=${UBUNTU.biosImage} info-table=true grub2-boot-info=true`]
        ]);
        expect(r.err).toMatch(
          /its boot setup is not replayed \(--boot given\); dropped: 2 El Torito entries \(bios boot\/grub\/i386-pc\/eltorito\.img, uefi partition:2\)/
        );
        expect(eltoritoEntries(other).map(e => e.platform)).toEqual(['BIOS']);
        expect(occurrences(other, esp)).toEqual([]);
        const off = path.join(t.dir, 'ubuntu', 'off.iso');
        const f = await remaster(['--source-image', iso, '--output', off, '--replay-boot', 'false']);
        expect(f.err).toContain('its boot setup is not replayed (--replay-boot false)');
        expect(eltoritoEntries(off)).toEqual([]);
      });
    });

    describe("an image in Debian's layout made by xorriso (debian-cd: ISOLINUX, efi.img in the tree, -isohybrid-gpt-basdat)", () => {
      const volumeId = 'Debian 12.8.0 amd64 n';
      const overlay = {
        bios: 'isoforge-remaster: isolinux read the overlay',
        uefi: 'isoforge-remaster: grub-efi read the overlay'
      };
      let iso: string;
      let out: string;
      let log: string;
      beforeAll(async () => {
        const work = path.join(t.dir, 'debian');
        const src = path.join(work, 'src');
        addIsolinux(src);
        addGrubEfi(src, grub);
        iso = path.join(work, 'debian.iso');
        // tools/boot/bookworm/boot-x86 without -isohybrid-apm-hfsplus (an APM is not replayed)
        sh(
          'xorriso',
          [
            ...['-as', 'mkisofs', '-r', '-J', '-joliet-long', '-V', volumeId, '-o', iso],
            ...['-isohybrid-mbr', ISOHDPFX, '-b', 'isolinux/isolinux.bin', '-c', 'isolinux/boot.cat'],
            ...['-boot-load-size', '4', '-boot-info-table', '-no-emul-boot', '-eltorito-alt-boot'],
            ...['-e', 'boot/grub/efi.img', '-no-emul-boot', '-isohybrid-gpt-basdat', src]
          ],
          { env: { SOURCE_DATE_EPOCH: EPOCH } }
        );
        const ov = path.join(work, 'overlay');
        mkdirSync(path.join(ov, 'isolinux'), { recursive: true });
        writeFileSync(path.join(ov, 'isolinux/marker.txt'), `${overlay.bios}\n`);
        writeFileSync(path.join(ov, 'marker.txt'), `${overlay.uefi}\n`);
        out = path.join(work, 'remaster.iso');
        log = (await remaster(['--source-image', iso, '--source', ov, '--output', out])).err;
        notes.push(`debian layout: xorriso ${mib(iso)}, remaster ${mib(out)}`);
      });

      test('the volume id and catalog path are kept, sgdisk -v is clean, efi.img is the appended ESP, stored once', async () => {
        expect(sh('isoinfo', ['-d', '-i', out])).toContain(`Volume id: ${volumeId}\n`);
        expect(sh('sgdisk', ['-v', out])).toContain('No problems found');
        expect(sh('isoinfo', ['-R', '-f', '-i', out])).toContain('/isolinux/boot.cat');
        const entries = eltoritoEntries(out);
        expect(entries.map(e => e.platform)).toEqual(['BIOS', 'UEFI']);
        // xorriso's GPT partition 2 is efi.img's extent: replayed as `image=boot/grub/efi.img
        // partition=2`, the tree file is the partition, where the UEFI entry points
        const efi = path.join(t.dir, 'debian', 'src', 'boot/grub/efi.img');
        expect(occurrences(out, efi)).toEqual([entries[1].lba * BLOCK]);
        expect(sh('sgdisk', ['-i', '2', out])).toMatch(
          new RegExp(`First sector: ${(entries[1].lba * BLOCK) / 512} `)
        );
        expect(log).not.toContain('stored twice');
        for (const image of [iso, out]) {
          const v = await cli(['verify', '--image', image, '--expect-boot', 'bios,uefi:partition']);
          expect({ code: v.code, out: v.out }).toEqual({
            code: 0,
            out: expect.stringContaining('uefi boot/grub/efi.img = partition:2')
          });
        }
        const flags = await cli(['inspect', out, '--as-options']);
        expect(flags.out).toContain("--boot 'platform=uefi image=boot/grub/efi.img partition=2 load-size=");
      });

      test('a given --boot-catalog wins over the replayed path', async () => {
        const other = path.join(t.dir, 'debian', 'catalog.iso');
        await remaster(['--source-image', iso, '--output', other, '--boot-catalog', 'isolinux/other.cat']);
        const names = sh('isoinfo', ['-R', '-f', '-i', other]).split('\n');
        expect(names).toContain('/isolinux/other.cat');
        expect(names).not.toContain('/isolinux/boot.cat');
      });

      for (const way of FOUR_WAYS) {
        test(
          `${wayName(way)}: the loader prints the overlay's marker`,
          async () => {
            const marker = way[0] === 'bios' ? overlay.bios : overlay.uefi;
            await bootLogged({ image: out, marker, timeoutMs: TIMEOUT_MS }, way, notes);
          },
          TIMEOUT_MS + 10_000
        );
      }
    });
  }
);
