/**
 * `isoforge extract`: the Foundation's tricky tree comes back exactly (bytes, names, modes, links,
 * mtimes) from isoforge's and xorriso's images, a level-1 genisoimage image comes back as the
 * peers extract it, and hostile images (names patched in a real image) are refused with one line
 * while nothing appears outside the output folder.
 */
import {
  chmodSync,
  closeSync,
  lstatSync,
  lutimesSync,
  readdirSync,
  utimesSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync
} from 'node:fs';
import * as path from 'node:path';
import { main } from '../src/cli/main.js';
import { writeBoth32 } from '../src/image/bytes.js';
import { runExtract } from '../src/read/extract.js';
import { readImage } from '../src/read/image.js';
import { MemoryLogger } from '../src/log.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import { patchBytes, patchRockRidgeName } from './support/hostile.js';
import { describeWith, needDisk, sh, tempDir } from './support/tools.js';
import { bytes, describeTree, makeTree } from './support/trees.js';

const EPOCH = 1700000000;

/** Give every entry below `root` its own mtime (deepest first, links without following). */
function stampTimes(root: string): void {
  let i = 0;
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) visit(p);
      const t = 1500000000 + 3607 * i++;
      if (st.isSymbolicLink()) lutimesSync(p, t, t);
      else utimesSync(p, t, t);
    }
  };
  visit(root);
}

/** path → mtime (whole seconds) of every entry below `root`, links not followed. */
function mtimes(root: string): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(root, r));
      out.set(r, Math.floor(st.mtimeMs / 1000));
      if (st.isDirectory()) visit(r);
    }
  };
  visit('');
  return out;
}

async function extract(...args: string[]) {
  return cli(['extract', ...args]);
}

describeWith(['xorriso', 'genisoimage', 'bsdtar'], 'extract: trees come back as they went in', () => {
  const t = tempDir('isoforge-extract-');
  const src = path.join(t.dir, 'src');
  const isoforgeIso = path.join(t.dir, 'isoforge.iso');
  beforeAll(async () => {
    makeTree(src, { hardlinks: true });
    stampTimes(src);
    await buildWith({ source: src, output: isoforgeIso, 'source-date-epoch': String(EPOCH) });
  });
  afterAll(() => t.cleanup());

  test('from an isoforge image: bytes, names, modes, links, hard links; every mtime the epoch', async () => {
    const out = path.join(t.dir, 'out-isoforge');
    const r = await extract('--image', isoforgeIso, '--output', out);
    expect(r.err).toMatch(/from the rockridge tree/);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(out);
    expect(describeTree(out)).toEqual(describeTree(src));
    expect(new Set(mtimes(out).values())).toEqual(new Set([EPOCH]));
    // the hard link is one file again
    expect(lstatSync(path.join(out, 'hard/two.txt')).ino).toBe(lstatSync(path.join(out, 'hard/one.txt')).ino);
    expect(r.err).toMatch(/1 hard links/);
  });

  test('from xorriso -as mkisofs -R -J: also every mtime the source had', async () => {
    const iso = path.join(t.dir, 'xorriso.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-joliet-long', '-o', iso, src]);
    const out = path.join(t.dir, 'out-xorriso');
    const r = await extract('--image', iso, '--output', out);
    expect(r.err).not.toMatch(/warning/);
    expect(r.code).toBe(0);
    expect(describeTree(out)).toEqual(describeTree(src));
    const want = mtimes(src);
    want.delete('');
    expect(mtimes(out)).toEqual(want);
    // the peer reads the same image to the same tree
    const peer = path.join(t.dir, 'out-bsdtar');
    mkdirSync(peer);
    sh('bsdtar', ['-xf', iso, '-C', peer]);
    expect(describeTree(out)).toEqual(describeTree(peer));
  });

  test('from a level-1 genisoimage image (plain ISO 9660 names): as xorriso -osirrox extracts it', async () => {
    const plain = path.join(t.dir, 'plain-src');
    makeTree(plain, { symlinks: false });
    const iso = path.join(t.dir, 'level1.iso');
    sh('genisoimage', ['-quiet', '-D', '-o', iso, plain]);
    const peer = path.join(t.dir, 'out-osirrox');
    sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', peer]);
    const out = path.join(t.dir, 'out-level1');
    const r = await extract('--image', iso, '--output', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/from the iso9660 tree/);
    const ours = describeTree(out, { modes: false });
    expect(ours.has('README.TXT')).toBe(true);
    expect(ours).toEqual(describeTree(peer, { modes: false }));
    // no Rock Ridge: files 0644, folders 0755
    expect(lstatSync(path.join(out, 'README.TXT')).mode & 0o7777).toBe(0o644);
    expect(lstatSync(path.join(out, 'SIZES')).mode & 0o7777).toBe(0o755);
  });

  test('--path: only the named file and folder, with the folders leading to them', async () => {
    const iso = isoforgeIso;
    const out = path.join(t.dir, 'out-paths');
    const r = await extract(
      '--image',
      iso,
      '--output',
      out,
      '--path',
      'sizes/2049.bin',
      '--path',
      '/deep/level1/level2/'
    );
    expect(r.code).toBe(0);
    const got = [...describeTree(out).keys()];
    expect(got.slice(0, 3)).toEqual(['deep', 'deep/level1', 'deep/level1/level2']);
    expect(got).toContain(
      'deep/level1/level2/level3/level4/level5/level6/level7/level8/level9/level10/level11/level12/bottom.txt'
    );
    expect(got.filter(p => !p.startsWith('deep'))).toEqual(['sizes', 'sizes/2049.bin']);
    expect(readFileSync(path.join(out, 'sizes/2049.bin'))).toEqual(
      readFileSync(path.join(src, 'sizes/2049.bin'))
    );
    for (const [bad, why] of [
      ['links/to-dir/file-000.dat', 'passes through the symbolic link "/links/to-dir"'],
      ['no/such', 'is not in the image'],
      ['sizes/../README.txt', '".." is not allowed']
    ]) {
      const e = await extract('--image', iso, '--output', path.join(t.dir, 'out-bad-path'), '--path', bad);
      expect(e.code).toBe(1);
      expect(e.err).toContain(`isoforge: --path: "${bad}"`);
      expect(e.err).toContain(why);
    }
  });

  test('on a file system that folds case, Case.txt and case.TXT are refused, not merged', async () => {
    const out = path.join(t.dir, 'out-darwin');
    const err = await runExtract(
      {
        image: isoforgeIso,
        output: out,
        paths: [],
        overwrite: false,
        platform: 'darwin'
      },
      { log: new MemoryLogger() }
    ).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(
      /refused entry "\/case\.TXT": its name and "Case\.txt" are one name on this file system/
    );
    expect(() => lstatSync(out)).toThrow(/ENOENT/);
  });
});

describeWith(['xorriso'], 'extract: existing files, links in the folder, --overwrite', () => {
  const t = tempDir('isoforge-extract-ow-');
  const iso = path.join(t.dir, 'x.iso');
  const outside = path.join(t.dir, 'outside');
  beforeAll(() => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'from the image\n');
    writeFileSync(path.join(src, 'sub/b.txt'), 'b\n');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', iso, src]);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'a.txt'), 'outside\n');
  });
  afterAll(() => t.cleanup());

  test('an existing file is refused before anything is written, replaced with --overwrite true', async () => {
    const out = path.join(t.dir, 'o1');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.txt'), 'old\n');
    const before = describeTree(t.dir);
    const r = await extract('--image', iso, '--output', out);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `isoforge: ${path.join(out, 'a.txt')} exists: a file (--overwrite true replaces it)\n`
    );
    expect(describeTree(t.dir)).toEqual(before);
    expect((await extract('--image', iso, '--output', out, '--overwrite', 'true')).code).toBe(0);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('from the image\n');
    expect(readFileSync(path.join(out, 'sub/b.txt'), 'utf8')).toBe('b\n');
  });

  test('symbolic links in the folder are never followed: refused, or replaced with --overwrite true', async () => {
    const out = path.join(t.dir, 'o2');
    mkdirSync(out);
    symlinkSync('../outside/a.txt', path.join(out, 'a.txt'));
    symlinkSync('../outside', path.join(out, 'sub'));
    const before = describeTree(t.dir);
    const r = await extract('--image', iso, '--output', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /o2\/(a\.txt|sub) exists: a symbolic link, never followed \(--overwrite true replaces it\)/
    );
    expect(describeTree(t.dir)).toEqual(before);
    expect((await extract('--image', iso, '--output', out, '--overwrite', 'true')).code).toBe(0);
    expect(lstatSync(path.join(out, 'a.txt')).isFile()).toBe(true);
    expect(lstatSync(path.join(out, 'sub')).isDirectory()).toBe(true);
    expect(readdirSync(outside)).toEqual(['a.txt']);
    expect(readFileSync(path.join(outside, 'a.txt'), 'utf8')).toBe('outside\n');
  });

  test('a folder where the image has a file is never replaced', async () => {
    const out = path.join(t.dir, 'o3');
    mkdirSync(path.join(out, 'a.txt'), { recursive: true });
    const r = await extract('--image', iso, '--output', out, '--overwrite', 'true');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `refused entry "/a.txt": ${path.join(out, 'a.txt')} is a folder (never replaced)`
    );
    expect(readdirSync(out)).toEqual(['a.txt']);
  });

  test('an interrupted extract says that what it wrote stays (build says nothing was written)', async () => {
    let err = '';
    const io = { stdout: () => undefined, stderr: (s: string) => void (err += s), env: {}, isTTY: false };
    const code = await main(['extract', '--image', iso, '--output', path.join(t.dir, 'o4')], {
      ...io,
      // as src/interrupt.ts aborts on SIGINT (an Error of this realm: jest's differs from Node's DOMException)
      signal: AbortSignal.abort(
        Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })
      )
    });
    expect([code, err]).toEqual([130, 'isoforge: interrupted; what was extracted stays\n']);
  });

  test('--output that is a file, and missing options, are one line each', async () => {
    expect((await extract('--image', iso, '--output', path.join(outside, 'a.txt'))).err).toMatch(
      /^isoforge: --output: .*a\.txt exists and is not a folder\n$/
    );
    expect((await extract('--image', iso)).err).toBe(
      'isoforge: --output: required (the folder to extract into)\n'
    );
    expect((await extract('--output', outside)).err).toBe(
      'isoforge: --image: required (the ISO image to extract from)\n'
    );
  });
});

describeWith(
  ['xorriso'],
  'extract: hostile images are refused, nothing is written outside the folder',
  () => {
    const t = tempDir('isoforge-extract-hostile-');
    let rr: Buffer;
    let joliet: Buffer;
    beforeAll(() => {
      const src = path.join(t.dir, 'src');
      mkdirSync(path.join(src, 'lnj'), { recursive: true });
      mkdirSync(path.join(src, 'lnm'), { recursive: true });
      for (const [f, s] of [
        ['a.txt', 'a'],
        ['ab', 'ab'],
        ['x', 'x'],
        ['xetc', 'xetc'],
        ['dup1', 'dup1'],
        ['dup2', 'dup2'],
        ['lnj/f.txt', 'written through a link'],
        ['lnm/f.txt', 'written through a link']
      ])
        writeFileSync(path.join(src, f), `${s}\n`);
      symlinkSync('../outside', path.join(src, 'lnk'));
      const a = path.join(t.dir, 'rr.iso');
      sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-o', a, src]);
      rr = readFileSync(a);
      const j = path.join(t.dir, 'joliet.iso');
      // genisoimage: xorriso's mkisofs emulation writes Rock Ridge always
      sh('genisoimage', ['-quiet', '-J', '-o', j, src]);
      joliet = readFileSync(j);
    });
    afterAll(() => t.cleanup());

    const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16();
    const cases: [string, () => Buffer, RegExp][] = [
      ['a name holding "/"', () => patchRockRidgeName(rr, 'a.txt', 'a/txt'), /invalid name "a\/txt"/],
      ['a name holding NUL', () => patchRockRidgeName(rr, 'a.txt', 'a\0txt'), /invalid name "a\\0txt"/],
      ['".." as a name', () => patchRockRidgeName(rr, 'ab', '..'), /invalid name "\.\."/],
      ['"." as a name', () => patchRockRidgeName(rr, 'x', '.'), /invalid name "\."/],
      ['an absolute name', () => patchRockRidgeName(rr, 'xetc', '/etc'), /invalid name "\/etc"/],
      [
        'two entries of one name',
        () => patchRockRidgeName(rr, 'dup2', 'dup1'),
        /refused entry "\/dup1": a second entry/
      ],
      [
        'a folder after a symlink of its name',
        () => patchRockRidgeName(rr, 'lnm', 'lnk'),
        /refused entry "\/lnk": a second entry/
      ],
      [
        'a folder before a symlink of its name',
        () => patchRockRidgeName(rr, 'lnj', 'lnk'),
        /refused entry "\/lnk": a second entry/
      ],
      [
        'a Joliet name holding "/"',
        () => patchBytes(joliet, ucs2('a.txt'), ucs2('a/txt')),
        /invalid name "a\/txt"/
      ],
      [
        'two Joliet entries of one name',
        () => patchBytes(joliet, ucs2('dup2'), ucs2('dup1')),
        /refused entry "\/dup1"/
      ]
    ];

    test.each(cases)('%s', async (_what, make, message) => {
      const work = path.join(t.dir, 'work');
      mkdirSync(path.join(work, 'outside'), { recursive: true });
      mkdirSync(path.join(work, 'out'));
      const iso = path.join(work, 'hostile.iso');
      writeFileSync(iso, make());
      const before = describeTree(work);
      for (const out of [path.join(work, 'out'), path.join(work, 'not-yet')]) {
        const r = await extract('--image', iso, '--output', out);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(message);
        expect(r.err.split('\n')).toHaveLength(2);
        expect(r.err).toMatch(/^isoforge: image /);
        expect(describeTree(work)).toEqual(before);
      }
      sh('rm', ['-rf', work]);
    });

    test('the same images unpatched extract cleanly (the cases are refused for their names alone)', async () => {
      for (const [name, data] of [
        ['rr', rr],
        ['joliet', joliet]
      ] as const) {
        const iso = path.join(t.dir, `${name}.iso`);
        writeFileSync(iso, data);
        const r = await extract('--image', iso, '--output', path.join(t.dir, `clean-${name}`));
        expect(r.code).toBe(0);
      }
      expect(lstatSync(path.join(t.dir, 'clean-rr/lnk')).isSymbolicLink()).toBe(true);
    });

    test('a name Windows refuses is refused there only', async () => {
      const iso = path.join(t.dir, 'colon.iso');
      writeFileSync(iso, patchRockRidgeName(rr, 'a.txt', 'a:txt'));
      const run = (platform: NodeJS.Platform, out: string) =>
        runExtract(
          { image: iso, output: path.join(t.dir, out), paths: [], overwrite: false, platform },
          { log: new MemoryLogger() }
        );
      await expect(run('win32', 'colon-win')).rejects.toThrow(
        /refused entry "\/a:txt": a character Windows does not allow/
      );
      expect((await run('linux', 'colon-linux')).files).toBe(8);
    });
  }
);

describeWith(['xorriso'], 'extract: a multi-extent file of 4.4 GB stays sparse', () => {
  const t = tempDir('isoforge-extract-big-');
  afterAll(() => t.cleanup());
  const SIZE = 4_400_000_000;
  /** the first extent of a multi-extent file ends here (4 GiB - 2 KiB) */
  const SEAM = 4294965248;

  test('bytes at the start, across the extent seam and at the end; few blocks allocated', async () => {
    needDisk(t.dir, 512 * 2 ** 20, 'the 4.4 GB sparse extract');
    const src = path.join(t.dir, 'src');
    mkdirSync(src);
    const marks: [number, string][] = [
      [0, 'HEAD-of-the-big-file'],
      [SEAM - 8, 'across-the-seam!'],
      [SIZE - 15, 'the-END-of-4.4G']
    ];
    const fd = openSync(path.join(src, 'big.img'), 'w');
    for (const [at, s] of marks) writeSync(fd, Buffer.from(s), 0, s.length, at);
    closeSync(fd);
    const iso = path.join(t.dir, 'big.iso');
    await buildWith({ source: src, output: iso, 'source-date-epoch': String(EPOCH) });
    const out = path.join(t.dir, 'out');
    const started = Date.now();
    const r = await extract('--image', iso, '--output', out);
    expect(r.code).toBe(0);
    const big = path.join(out, 'big.img');
    const st = statSync(big);
    expect(st.size).toBe(SIZE);
    expect(st.blocks * 512).toBeLessThan(64 * 2 ** 20);
    const rfd = openSync(big, 'r');
    for (const [at, s] of marks) {
      const b = Buffer.alloc(s.length);
      readSync(rfd, b, 0, s.length, at);
      expect(b.toString()).toBe(s);
    }
    closeSync(rfd);
    console.log(`extract of a 4.4 GB sparse file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});

describeWith(['xorriso'], 'extract: modes, and files sharing one extent', () => {
  const t = tempDir('isoforge-extract-modes-');
  afterAll(() => t.cleanup());

  test('setuid, setgid and sticky are dropped with a warning; a read-only folder gets its mode last', async () => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'ro'), { recursive: true });
    mkdirSync(path.join(src, 'tmp'));
    writeFileSync(path.join(src, 'suid'), 'x\n');
    writeFileSync(path.join(src, 'sgid'), 'y\n');
    writeFileSync(path.join(src, 'ro/inside.txt'), 'z\n');
    chmodSync(path.join(src, 'suid'), 0o4755);
    chmodSync(path.join(src, 'sgid'), 0o2711);
    chmodSync(path.join(src, 'tmp'), 0o1777);
    chmodSync(path.join(src, 'ro'), 0o555);
    const iso = path.join(t.dir, 'modes.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', iso, src]);
    const out = path.join(t.dir, 'out');
    const r = await extract('--image', iso, '--output', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'warning: extract: 3 entries had setuid, setgid or sticky bits; written without them'
    );
    const mode = (p: string) => lstatSync(path.join(out, p)).mode & 0o7777;
    expect([mode('suid'), mode('sgid'), mode('tmp'), mode('ro')]).toEqual([0o755, 0o711, 0o777, 0o555]);
    expect(readFileSync(path.join(out, 'ro/inside.txt'), 'utf8')).toBe('z\n');
  });

  test('a hundred files pointing at one 1 MiB extent (more data than the image holds) are refused', async () => {
    const src = path.join(t.dir, 'bomb');
    mkdirSync(path.join(src, 'many'), { recursive: true });
    writeFileSync(path.join(src, 'big.bin'), bytes(1024 * 1024, 9));
    for (let i = 0; i < 100; i++) writeFileSync(path.join(src, `many/f${i}`), `small ${i} `.repeat(i + 1));
    const iso = path.join(t.dir, 'bomb.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-o', iso, src]);
    let data: Buffer = readFileSync(iso);
    const img = await readImage(iso);
    await img.source.close();
    const extentOf = (name: string) => {
      const n = img.tree.root.children.find(c => c.name === name);
      return n?.extents[0] ?? { lba: 0, size: 0 };
    };
    // ECMA-119 9.1.3-9.1.4: the extent and the data length, both-endian, at bytes 2-17 of a record
    const field = (e: { lba: number; size: number }) => {
      const b = Buffer.alloc(16);
      writeBoth32(b, 0, e.lba);
      writeBoth32(b, 8, e.size);
      return b;
    };
    const big = field(extentOf('big.bin'));
    for (const f of img.tree.root.children.find(c => c.name === 'many')?.children ?? [])
      data = patchBytes(data, field(f.extents[0]), big);
    const bomb = path.join(t.dir, 'patched.iso');
    writeFileSync(bomb, data);
    const out = path.join(t.dir, 'bomb-out');
    const r = await extract('--image', bomb, '--output', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /refused entry "\/many\/f\d+": files overlap \(more file data than the image holds\)/
    );
    expect(() => lstatSync(out)).toThrow(/ENOENT/);
  });
});
