/**
 * Remaster of an image made by grub-mkrescue 2.06 (BIOS + UEFI, issue 16): it always writes an
 * Apple partition map and HFS+ (with GPT entries Gap0, "EFI boot partition" over /efi.img, HFSPLUS,
 * Gap1), which isoforge does not replay; `--replay-boot without-apm` drops them with a warning and
 * replays the rest. A changed grub.cfg prints its new marker in all four boots. GRUB finds its
 * grub.cfg by the boot device, not by the ISO's date-based "UUID": grub-mkrescue embeds no
 * `search --fs-uuid` in eltorito.img (prefix /boot/grub) or bootx64.efi (prefix ()/boot/grub), so
 * the remaster's dates may follow --source-date-epoch.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FOUR_WAYS, bootLogged, needQemu, wayName } from './support/bootlog.js';
import { cli } from './support/cli.js';
import { eltoritoEntries, gptRows, occurrences } from './support/layouts.js';
import { remaster, bashWords } from './support/remaster.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const TIMEOUT_MS = 90_000;
const BLOCK = 2048;
const SECTOR = 512;
const notes: string[] = [];

/** A grub.cfg printing `marker` on COM1 only (OVMF copies its console there: it would print twice). */
const grubCfg = (marker: string) =>
  [
    'serial --unit=0 --speed=115200',
    'terminal_input serial',
    'terminal_output serial',
    `echo '${marker}'`,
    'sleep 600',
    ''
  ].join('\n');

/** The PVD's modification date (ECMA-119 8.4.27), from which GRUB derives an ISO's "UUID". */
const modified = (iso: string) =>
  /Modif\. Time\s*:\s*(\d+)/.exec(sh('xorriso', ['-indev', iso, '-pvd_info']))?.[1];

const volumeIdLine = (iso: string) =>
  sh('isoinfo', ['-d', '-i', iso])
    .split('\n')
    .find(l => l.startsWith('Volume id:'));

describeWith(
  ['grub-mkrescue', 'xorriso', 'mformat', 'qemu-system-x86_64', 'isoinfo', 'sgdisk'],
  'remaster: an image by grub-mkrescue (BIOS + UEFI, APM and HFS+) with --replay-boot without-apm',
  () => {
    const markers = { original: 'isoforge-mkrescue: marker A', overlay: 'isoforge-mkrescue: marker B' };
    let t: ReturnType<typeof tempDir>;
    let iso: string;
    let out: string;
    let log: string;
    beforeAll(async () => {
      needQemu();
      t = tempDir('isoforge-remaster-mkrescue-');
      const tree = path.join(t.dir, 'tree');
      mkdirSync(path.join(tree, 'boot/grub'), { recursive: true });
      writeFileSync(path.join(tree, 'boot/grub/grub.cfg'), grubCfg(markers.original));
      iso = path.join(t.dir, 'mkrescue.iso');
      sh('grub-mkrescue', ['-o', iso, tree]);
      const ov = path.join(t.dir, 'overlay');
      mkdirSync(path.join(ov, 'boot/grub'), { recursive: true });
      writeFileSync(path.join(ov, 'boot/grub/grub.cfg'), grubCfg(markers.overlay));
      out = path.join(t.dir, 'remaster.iso');
      log = (
        await remaster([
          '--source-image',
          iso,
          '--source',
          ov,
          '--output',
          out,
          '--replay-boot',
          'without-apm'
        ])
      ).err;
    });
    afterAll(() => {
      t?.cleanup();
      console.log(`grub-mkrescue remaster boots (TCG):\n  ${notes.join('\n  ')}`);
    });

    test('one warning names the dropped APM and HFS+ and the image; the volume id is kept, the dates are new; sgdisk -v is clean', () => {
      const warnings = log.split('\n').filter(l => l.startsWith('warning: --replay-boot'));
      expect(warnings).toEqual([
        `warning: --replay-boot without-apm: dropped the Apple partition map (APM) and its HFS+ file system (GPT partition 3 HFSPLUS) of ${iso}; the rest of its boot setup is replayed`
      ]);
      expect(volumeIdLine(out)).toBe(volumeIdLine(iso));
      expect(volumeIdLine(out)).toBe('Volume id: ISOIMAGE');
      // the dates follow --source-date-epoch (1700000000): GRUB's "UUID" of the ISO changes, and
      // the boots below find grub.cfg all the same
      expect(modified(out)).toBe('2023111422132000');
      expect(modified(iso)).not.toBe(modified(out));
      expect(sh('sgdisk', ['-v', out])).toContain('No problems found');
      // neither the HFSPLUS entry (inside the tree's data) nor xorriso's Gap fillers are replayed
      expect(sh('sgdisk', ['-p', out])).not.toMatch(/HFSPLUS|Gap\d/);
      expect(gptRows(out).map(r => r.code)).toEqual(['0700', 'EF00']);
    });

    test('verify --expect-boot bios,uefi passes; /efi.img is stored once, the UEFI entry and the GPT ESP', async () => {
      const v = await cli(['verify', '--image', out, '--expect-boot', 'bios,uefi']);
      expect({ code: v.code, err: v.err }).toEqual({ code: 0, err: '' });
      const efi = path.join(t.dir, 'efi.img');
      sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/efi.img', efi]);
      const entries = eltoritoEntries(out);
      expect(entries.map(e => e.platform)).toEqual(['BIOS', 'UEFI']);
      const esp = gptRows(out).find(r => r.code === 'EF00')!;
      // stored once: the tree file, the UEFI entry and the GPT ESP are the same bytes
      expect(occurrences(out, efi)).toEqual([entries[1].lba * BLOCK]);
      expect(esp.first * SECTOR).toBe(entries[1].lba * BLOCK);
    });

    test("an HFS+ GPT entry after the tree's data (moved there by sgdisk) is dropped too, not appended", async () => {
      const moved = path.join(t.dir, 'moved.iso');
      sh('cp', [iso, moved]);
      // Gap1 (4) covers the padding after the data: HFSPLUS (3) takes its place
      const gap = gptRows(moved).find(r => r.n === 4)!;
      const last = Number(/^\s*4\s+\d+\s+(\d+)/m.exec(sh('sgdisk', ['-p', moved]))![1]);
      sh('sgdisk', ['--delete=4', '--delete=3', moved]);
      sh('sgdisk', [
        '-a',
        '1',
        `--new=3:${gap.first}:${last}`,
        '--typecode=3:AF00',
        '--change-name=3:HFSPLUS',
        moved
      ]);
      const out2 = path.join(t.dir, 'moved-remaster.iso');
      const r = await remaster(['--source-image', moved, '--output', out2, '--replay-boot', 'without-apm']);
      expect(r.err).toContain('(GPT partition 3 HFSPLUS)');
      expect(gptRows(out2).map(p => p.code)).toEqual(['0700', 'EF00']);
    });

    test("inspect --as-options leaves out the APM with a warning; its flags over the extracted tree build the remaster's bytes", async () => {
      const work = path.join(t.dir, 'as-options');
      const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
      const plain = path.join(work, 'remaster.iso');
      mkdirSync(work);
      // grub-mkrescue writes no Joliet, and a remaster adds it unless told (--joliet is true by
      // default); its application id is empty, which no flag can say (the flags' build has the default)
      await remaster([
        ...['--source-image', iso, '--output', plain, '--replay-boot', 'without-apm'],
        ...['--joliet', 'false', '--application-id', 'ISOFORGE']
      ]);
      const parts = path.join(work, 'parts');
      const r = await cli(['inspect', iso, '--as-options', '--output', parts]);
      expect({ code: r.code, err: r.err }).toEqual({
        code: 0,
        err: `warning: ${iso}: the Apple partition map (APM) and its HFS+ file system (GPT partition 3 HFSPLUS) left out (isoforge writes none); the flags give the rest of its boot setup\n`
      });
      expect(r.out).toContain("--boot 'platform=uefi image=efi.img partition=2");
      expect(r.out).toMatch(
        /--boot 'platform=bios image=boot\/grub\/i386-pc\/eltorito\.img .*grub2-boot-info=true'/
      );
      const tree = path.join(work, 'tree');
      const x = await cli(['extract', '--image', iso, '--output', tree]);
      expect(x.code).toBe(0);
      // extract leaves its output folder's own mode alone: the root folder's (r-x, as grub-mkrescue's) is set here
      chmodSync(tree, 0o555);
      // the lines are shell words: bash splits them as a user's paste would
      const words = bashWords(r.out, work);
      const again = path.join(work, 'again.iso');
      await remaster(['--source', tree, '--output', again, ...words]);
      expect(sha(again)).toBe(sha(plain));
    });

    test(
      'the original, booted once (OVMF disk) as a control, prints its own marker',
      async () => {
        await bootLogged(
          { image: iso, marker: markers.original, timeoutMs: TIMEOUT_MS },
          ['uefi', 'disk'],
          notes
        );
      },
      TIMEOUT_MS + 10_000
    );

    for (const way of FOUR_WAYS) {
      test(
        `${wayName(way)}: GRUB runs the overlay's grub.cfg`,
        async () => {
          await bootLogged({ image: out, marker: markers.overlay, timeoutMs: TIMEOUT_MS }, way, notes);
        },
        TIMEOUT_MS + 10_000
      );
    }
  }
);
