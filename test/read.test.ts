/** The reader against images made by xorriso, genisoimage and isoforge itself, compared with the source tree. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readImage, withImage } from '../src/read/image.js';
import { readManifest } from '../src/read/manifest.js';
import type { Manifest } from '../src/manifest.js';
import { buildWith } from './support/build.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { ISOHDPFX, addIsolinux, makeEfiFat } from './support/boottrees.js';
import { bytes, describeTree, makeTree, type Entry } from './support/trees.js';

function compare(
  m: Manifest,
  want: Map<string, Entry>,
  opts: { modes: boolean; symlinks: boolean; skip?: (p: string) => boolean }
): string[] {
  const diffs: string[] = [];
  const got = new Map(m.entries.filter(e => !opts.skip?.(e.path)).map(e => [e.path, e]));
  for (const [p, w] of want) {
    if (w.type === 'symlink' && !opts.symlinks) continue;
    const g = got.get(p);
    if (!g) {
      diffs.push(`missing ${p}`);
      continue;
    }
    got.delete(p);
    if (g.type !== w.type) diffs.push(`${p}: type ${g.type} != ${w.type}`);
    if (w.type === 'file') {
      if (g.size !== w.size) diffs.push(`${p}: size ${g.size} != ${w.size}`);
      if (g.sha256 !== w.sha256) diffs.push(`${p}: sha256 differs`);
    }
    if (w.type === 'symlink' && g.target !== w.target) diffs.push(`${p}: target ${g.target} != ${w.target}`);
    if (opts.modes && w.type !== 'symlink' && g.mode !== w.mode.toString(8).padStart(4, '0'))
      diffs.push(`${p}: mode ${g.mode} != ${w.mode.toString(8)}`);
  }
  for (const p of got.keys()) diffs.push(`extra ${p}`);
  return diffs;
}

describeWith(['xorriso', 'genisoimage'], 'reader: images from xorriso, genisoimage and isoforge', () => {
  const t = tempDir('isoforge-read-');
  const src = path.join(t.dir, 'src');
  beforeAll(() => {
    makeTree(src, { hardlinks: true });
    // a multi-extent file needs > 4 GiB; instead check a file spanning many blocks
    writeFileSync(path.join(src, 'sizes/300k.bin'), bytes(300 * 1024 + 7, 9));
  });
  afterAll(() => t.cleanup());

  test('xorriso -as mkisofs -R -J: Rock Ridge tree, modes, symlinks, hashes', async () => {
    const iso = path.join(t.dir, 'x.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-joliet-long', '-V', 'XORR', '-o', iso, src]);
    await withImage(iso, async img => {
      expect(img.problems).toEqual([]);
      expect(img.tree.namespace).toBe('rockridge');
      expect(img.joliet).toBeDefined();
      const m = await readManifest(img);
      expect(m.volumeId).toBe('XORR');
      expect(compare(m, describeTree(src), { modes: true, symlinks: true })).toEqual([]);
    });
  });

  test('genisoimage -R -J: deep directories relocated with CL/RE read back in place', async () => {
    const iso = path.join(t.dir, 'g.iso');
    const r = run('genisoimage', ['-quiet', '-R', '-J', '-joliet-long', '-V', 'GENI', '-o', iso, src]);
    expect(r.status).toBe(0);
    await withImage(iso, async img => {
      expect(img.problems).toEqual([]);
      const m = await readManifest(img);
      expect(
        compare(m, describeTree(src), { modes: true, symlinks: true, skip: p => p.startsWith('rr_moved') })
        // genisoimage 1.1.11 writes an SL component longer than its entry for this target (bsdtar
        // reads it short too)
      ).toEqual([expect.stringMatching(/^links\/very-long-target: target/)]);
    });
  });

  test('xorriso -J without Rock Ridge: the Joliet tree is used', async () => {
    const iso = path.join(t.dir, 'j.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '--norock', '-J', '-joliet-long', '-o', iso, src]);
    await withImage(iso, async img => {
      expect(img.tree.namespace).toBe('joliet');
      const m = await readManifest(img);
      // Joliet has no symlinks (xorriso leaves them out) and no modes
      // and UCS-2 has no astral characters, Joliet no ';' in names: those names differ by design
      const want = describeTree(src, { symlinks: false });
      const diffs = compare(m, want, { modes: false, symlinks: false }).filter(
        d => !/^extra links|astral|semi/.test(d)
      );
      expect(diffs).toEqual([]);
    });
  });

  test('isoforge image: manifest read back equals the manifest built', async () => {
    const iso = path.join(t.dir, 'ours.iso');
    const r = await buildWith({ source: src, output: iso, 'volume-id': 'OURS' });
    await withImage(iso, async img => {
      expect(img.problems).toEqual([]);
      const m = await readManifest(img);
      expect(compare(m, describeTree(src), { modes: true, symlinks: true })).toEqual([]);
      const built = r.sidecars.manifest.entries.map(e => ({ ...e }));
      expect(m.entries).toEqual(built);
    });
  });

  test('implanted MD5: checkisomd5 and the reader agree', async () => {
    const iso = path.join(t.dir, 'md5.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', iso, path.join(src, 'sizes')]);
    if (run('implantisomd5', [iso]).status !== 0) return;
    const img = await readImage(iso);
    try {
      expect(img.md5).toBeDefined();
      const { checkImplantedMd5 } = await import('../src/read/md5.js');
      const ok = await checkImplantedMd5(img.source, img.md5!, img.volumeBlocks);
      expect(ok.ok).toBe(true);
      expect(run('checkisomd5', [iso], { input: '' }).status).toBe(0);
    } finally {
      await img.source.close();
    }
  });
});

describeWith(
  ['xorriso', 'mkfs.fat', 'mcopy'],
  'reader: hybrid images from xorriso (El Torito, MBR, GPT)',
  () => {
    const t = tempDir('isoforge-read-hybrid-');
    afterAll(() => t.cleanup());

    test('isohybrid MBR + GPT (archiso style) and an appended ESP (grub-mkrescue style)', async () => {
      const src = path.join(t.dir, 'src');
      addIsolinux(src);
      makeEfiFat(path.join(src, 'efi.img'), '/usr/lib/ISOLINUX/isolinux.bin');
      const iso = path.join(t.dir, 'hy.iso');
      sh('xorriso', [
        '-as',
        'mkisofs',
        '-quiet',
        '-R',
        '-J',
        '-o',
        iso,
        '-isohybrid-mbr',
        ISOHDPFX,
        '-b',
        'isolinux/isolinux.bin',
        '-c',
        'boot.cat',
        '-no-emul-boot',
        '-boot-load-size',
        '4',
        '-boot-info-table',
        '-eltorito-alt-boot',
        '-e',
        'efi.img',
        '-no-emul-boot',
        '-isohybrid-gpt-basdat',
        src
      ]);
      await withImage(iso, async img => {
        expect(img.problems).toEqual([]);
        expect(img.boot?.entries.map(e => [e.platform, e.path])).toEqual([
          ['bios', 'isolinux/isolinux.bin'],
          ['uefi', 'efi.img']
        ]);
        expect(img.partitions.filter(p => p.table === 'mbr').length).toBeGreaterThan(0);
        // -isohybrid-gpt-basdat: basic data partitions over the boot images
        expect(img.partitions.filter(p => p.table === 'gpt').length).toBeGreaterThan(0);
      });
      const app = path.join(t.dir, 'app.iso');
      sh('xorriso', [
        '-as',
        'mkisofs',
        '-quiet',
        '-R',
        '-J',
        '-o',
        app,
        '-partition_offset',
        '16',
        '-append_partition',
        '2',
        'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
        path.join(src, 'efi.img'),
        '-appended_part_as_gpt',
        '-c',
        'boot.cat',
        '-e',
        '--interval:appended_partition_2:all::',
        '-no-emul-boot',
        src
      ]);
      await withImage(app, async img => {
        expect(img.problems).toEqual([]);
        const uefi = img.boot?.entries.find(e => e.platform === 'uefi');
        expect(uefi?.path).toMatch(/^partition:\d$/);
        // the GPT agrees with sgdisk
        const sg = run('sgdisk', ['-v', app]);
        expect(sg.stdout).toMatch(/No problems found/);
      });
      // a GPT whose entry array was changed after its CRC was computed fails the structure
      const data = readFileSync(app);
      data[2 * 512 + 60] ^= 0xff; // inside the name of entry 1 of the primary array (LBA 2)
      const bad = path.join(t.dir, 'bad-gpt.iso');
      writeFileSync(bad, data);
      await withImage(bad, async img => {
        expect(img.problems.join('\n')).toMatch(/GPT primary entry array: CRC32 mismatch/);
      });
    });
  }
);
