/**
 * Foundation: images of generated trees read back exactly by the real readers — xorriso (Rock
 * Ridge), bsdtar (Rock Ridge), 7-Zip (Joliet) and isoinfo.
 */
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import { PYCDLIB, isoByRockRidgeName, pycdlibWalk } from './support/pycdlib.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { LONG_103, LONG_70, describeTree, makeTree, type Entry, diffTrees } from './support/trees.js';

const diff = diffTrees;

describeWith(
  ['xorriso', 'bsdtar', '7zz', 'isoinfo'],
  'image read back by xorriso, bsdtar, 7-Zip and isoinfo',
  () => {
    const t = tempDir();
    const src = path.join(t.dir, 'src');
    const iso = path.join(t.dir, 'out.iso');
    let source: Map<string, Entry>;

    beforeAll(async () => {
      makeTree(src, { hardlinks: true });
      // mixed-case folders: ISO 9660 (upper case) and Joliet (as given) order them differently
      for (const d of ['EFI/BOOT', 'boot/grub', 'isolinux', 'Zeta', 'alpha']) {
        mkdirSync(path.join(src, d), { recursive: true });
        writeFileSync(path.join(src, d, 'x.cfg'), d);
      }
      source = describeTree(src);
      await buildWith({
        source: src,
        output: iso,
        'volume-id': 'FOUNDATION_TEST',
        'source-date-epoch': '1700000000'
      });
    });
    afterAll(() => t.cleanup());

    test('xorriso -osirrox extracts exactly the source tree (bytes, names, modes, link targets)', () => {
      const out = path.join(t.dir, 'xorriso');
      const r = run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/WARNING|FAILURE|SORRY/);
      expect(diff(source, describeTree(out))).toEqual([]);
      rmSync(out, { recursive: true, force: true });
    });

    test('bsdtar extracts exactly the source tree', () => {
      const out = path.join(t.dir, 'bsdtar');
      mkdirSync(out);
      sh('bsdtar', ['-xpf', iso, '-C', out]);
      expect(diff(source, describeTree(out))).toEqual([]);
      rmSync(out, { recursive: true, force: true });
    });

    test('7-Zip extracts exactly the names and bytes through Joliet', () => {
      const out = path.join(t.dir, '7z');
      const r = run('7zz', ['x', '-y', `-o${out}`, iso]);
      expect(r.status).toBe(0);
      const noLinks = (m: Map<string, Entry>) =>
        new Map(
          [...describeTree(src, { modes: false, symlinks: false })].filter(
            ([k]) => m.has(k) || !k.startsWith('links')
          )
        );
      const got = describeTree(out, { modes: false, symlinks: false });
      // Joliet cannot hold symbolic links (the spec has no such type): the links folder is empty there
      const want = noLinks(got);
      expect(diff(want, got)).toEqual([]);
      expect(got.has(LONG_70)).toBe(true);
      expect(got.has(LONG_103)).toBe(true);
      expect(got.has('astral-😀-𝄞.txt')).toBe(true);
      // and 7-Zip lists it as Joliet
      expect(sh('7zz', ['l', iso])).toMatch(/semi;colon and spaces\.txt/);
      rmSync(out, { recursive: true, force: true });
    });

    test('isoinfo -d reports the volume id and size; ISO 9660 names are unique 8.3/level-2 names', () => {
      const d = sh('isoinfo', ['-d', '-i', iso]);
      expect(d).toMatch(/Volume id: FOUNDATION_TEST/);
      const blocks = Number(/Volume size is: (\d+)/.exec(d)![1]);
      const { size } = statSync(iso);
      expect(blocks * 2048).toBe(size);
      expect(d).toMatch(/Joliet with UCS level 3 found/);
      expect(d).toMatch(/Rock Ridge signatures version 1 found/);
      const plain = sh('isoinfo', ['-f', '-i', iso]).trim().split('\n');
      // colliding names are told apart with d-characters only (ECMA-119 7.5.1), as xorriso does
      expect(plain).toContain('/CASE0.TXT;1');
      expect(plain).toContain('/CASE1.TXT;1');
      expect(new Set(plain).size).toBe(plain.length);
      for (const p of plain) expect(p).toMatch(/^[A-Z0-9_/.;]+$/);
    });

    describeWith([PYCDLIB], 'pycdlib, a strict reader', () => {
      test('opens the image; its three namespaces hold the source (names, sizes, bytes)', () => {
        const v = pycdlibWalk(iso);
        // its d-character check (ECMA-119 7.5.1, 7.6.1) and the path tables' 6.9.1 order and parents
        expect(v.problems).toEqual([]);
        expect(diff(source, v.rr!)).toEqual([]);
        const noModes = (m: Map<string, Entry>) => new Map([...m].map(([k, e]) => [k, { ...e, mode: 0 }]));
        expect(diff(noModes(source), isoByRockRidgeName(v))).toEqual([]);
        const want = describeTree(src, { modes: false, symlinks: false });
        for (const k of [...want.keys()]) if (k.startsWith('links/')) want.delete(k);
        expect(diff(want, v.joliet!)).toEqual([]);
        const caseNames = [...v.iso.keys()].filter(k => /^CASE\d*\.TXT$/.test(k));
        expect(caseNames.sort()).toEqual(['CASE0.TXT', 'CASE1.TXT']);
      });
    });

    test('hard links share one extent', () => {
      const out = sh(
        'xorriso',
        ['-indev', iso, '-find', '/hard', '-type', 'f', '-exec', 'report_lba', '--'],
        {}
      );
      const lbas = [...out.matchAll(/File data lba:\s+\d+\s*,\s*(\d+)/g)].map(m => m[1]);
      expect(lbas.length).toBe(2);
      expect(lbas[0]).toBe(lbas[1]);
    });
  }
);

describeWith(['xorriso'], 'reproducibility', () => {
  test('two builds with the same epoch are byte-identical whatever mtimes and creation order', async () => {
    const t = tempDir();
    try {
      const a = path.join(t.dir, 'a');
      const b = path.join(t.dir, 'b');
      makeTree(a, { hardlinks: true });
      makeTree(b, { hardlinks: true, reverse: true });
      utimesSync(path.join(b, 'README.txt'), 12345, 12345);
      writeFileSync(path.join(b, 'many/file-007.dat'), 'file 7\n');
      const ra = await buildWith({
        source: a,
        output: path.join(t.dir, 'a.iso'),
        'source-date-epoch': '1600000000'
      });
      const rb = await buildWith({
        source: b,
        output: path.join(t.dir, 'b.iso'),
        'source-date-epoch': '1600000000'
      });
      expect(rb.image.digests.sha256).toBe(ra.image.digests.sha256);
      expect(sh('sha256sum', [path.join(t.dir, 'a.iso')]).split(' ')[0]).toBe(ra.image.digests.sha256);
      const rc = await buildWith({
        source: a,
        output: path.join(t.dir, 'c.iso'),
        'source-date-epoch': '1600000001'
      });
      expect(rc.image.digests.sha256).not.toBe(ra.image.digests.sha256);
    } finally {
      t.cleanup();
    }
  });
});
