/**
 * Remaster (issue 16, the tree part): `build --source-image IN.iso [--source OVERLAY] [--remove P]`.
 * The image's tree read back by xorriso, bsdtar and 7-Zip after removals and an overlay; a plain
 * genisoimage image keeps its files; two remasters are the same bytes; iPXE's image, remastered,
 * boots under SeaBIOS as the original does; bad inputs are one line each and write nothing.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import { toBuildConfig } from '../src/config.js';
import { MemoryLogger } from '../src/log.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { withImage } from '../src/read/image.js';
import { imageRuns } from '../src/image/image-data.js';
import { bootImage } from '../src/read/qemu.js';
import { openRemaster } from '../src/read/remaster.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { describeTree, makeTree, type Entry, diffTrees } from './support/trees.js';

const EPOCH = '1700000000';
const IPXE = '/usr/lib/ipxe/ipxe.iso';

const diff = diffTrees;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** What the tree should be after the remaster: the source less the removed paths, plus the overlay. */
function expected(source: Map<string, Entry>, overlay: Map<string, Entry>, removed: string[]) {
  const out = new Map([...source].filter(([k]) => !removed.some(r => k === r || k.startsWith(`${r}/`))));
  for (const [k, v] of overlay) out.set(k, v);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function extract(tool: 'xorriso' | 'bsdtar' | '7zz', iso: string, out: string): void {
  mkdirSync(out, { recursive: true });
  if (tool === 'xorriso') {
    const r = run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/WARNING|FAILURE|SORRY/);
  } else if (tool === 'bsdtar') sh('bsdtar', ['-xpf', iso, '-C', out]);
  else expect(run('7zz', ['x', '-y', `-o${out}`, iso]).status).toBe(0);
}

describeWith(
  ['xorriso', 'bsdtar', '7zz'],
  'remaster of an isoforge image with an overlay and --remove',
  () => {
    const t = tempDir();
    const src = path.join(t.dir, 'src');
    const ov = path.join(t.dir, 'overlay');
    const base = path.join(t.dir, 'base.iso');
    const out = path.join(t.dir, 'out.iso');
    const removed = ['many', 'links/dangling', 'sizes/2049.bin'];
    let want: Map<string, Entry>;

    beforeAll(async () => {
      makeTree(src, { hardlinks: true });
      mkdirSync(path.join(ov, 'deep'), { recursive: true });
      writeFileSync(path.join(ov, 'autoinstall.yaml'), 'autoinstall:\n  version: 1\n');
      writeFileSync(path.join(ov, 'README.txt'), 'replaced by the overlay\n');
      writeFileSync(path.join(ov, 'deep', 'added.txt'), 'merged into deep/\n');
      chmodSync(path.join(ov, 'autoinstall.yaml'), 0o600);
      want = expected(describeTree(src), describeTree(ov), removed);
      await buildWith({ source: src, output: base, 'volume-id': 'TRICKY_BASE', 'source-date-epoch': EPOCH });
      const flags = ['--source-image', base, '--source', ov, '--source-date-epoch', EPOCH];
      for (const r of removed) flags.push('--remove', `/${r}`);
      const r = await cli(['build', ...flags, '--output', out]);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.not.stringMatching(/warn/i) });
    });
    afterAll(() => t.cleanup());

    test('xorriso and bsdtar extract the source less the removed paths plus the overlay (bytes, modes, links)', () => {
      for (const tool of ['xorriso', 'bsdtar'] as const) {
        const dir = path.join(t.dir, tool);
        extract(tool, out, dir);
        expect(diff(want, describeTree(dir))).toEqual([]);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('7-Zip reads the same names and bytes through Joliet', () => {
      const dir = path.join(t.dir, '7z');
      extract('7zz', out, dir);
      const noModes = (m: Map<string, Entry>) =>
        new Map([...m].filter(([, e]) => e.type !== 'symlink').map(([k, e]) => [k, { ...e, mode: 0 }]));
      const got = noModes(describeTree(dir, { modes: false, symlinks: false }));
      // Joliet has no links: the links folder is there, empty
      expect(diff(noModes(want), got)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });

    test('the volume id is kept and the hard link still shares its blocks', async () => {
      expect(sh('isoinfo', ['-d', '-i', out])).toMatch(/Volume id: TRICKY_BASE/);
      await withImage(out, async img => {
        const lba = (p: string) => {
          let found: number | undefined;
          const walk = (n: typeof img.tree.root) => {
            if (n.path === p) found = n.extents[0]?.lba;
            n.children.forEach(walk);
          };
          walk(img.tree.root);
          return found;
        };
        expect(lba('hard/one.txt')).toBeDefined();
        expect(lba('hard/two.txt')).toBe(lba('hard/one.txt'));
        expect(img.problems).toEqual([]);
      });
    });

    test('two remasters of the same inputs are byte-identical', async () => {
      const again = path.join(t.dir, 'again.iso');
      const flags = ['--source-image', base, '--source', ov, '--source-date-epoch', EPOCH];
      for (const r of removed) flags.push('--remove', r);
      const r = await cli(['build', ...flags, '--output', again]);
      expect(r.code).toBe(0);
      expect(sha256(again)).toBe(sha256(out));
    });

    test('a remaster of the remaster without an overlay gives the same tree', async () => {
      const plain = path.join(t.dir, 'plain.iso');
      const r = await cli(['build', '--source-image', out, '--output', plain, '--source-date-epoch', EPOCH]);
      expect(r.code).toBe(0);
      const dir = path.join(t.dir, 'plain');
      extract('bsdtar', plain, dir);
      expect(diff(want, describeTree(dir))).toEqual([]);
    });
  }
);

describeWith(
  ['genisoimage', 'bsdtar'],
  'remaster of a plain genisoimage image (level 1, no Rock Ridge)',
  () => {
    const t = tempDir();
    const iso = path.join(t.dir, 'plain.iso');

    beforeAll(() => {
      const src = path.join(t.dir, 'src');
      mkdirSync(path.join(src, 'DOCS'), { recursive: true });
      writeFileSync(path.join(src, 'README.TXT'), 'plain iso 9660\n');
      writeFileSync(path.join(src, 'DOCS', 'BIG.BIN'), Buffer.alloc(300_000, 7));
      writeFileSync(path.join(src, 'DOCS', 'EMPTY.DAT'), '');
      sh('genisoimage', ['-quiet', '-V', 'PLAIN_VOL', '-o', iso, src]);
    });
    afterAll(() => t.cleanup());

    test('keeps its files: the same bsdtar listing and bytes, and its volume id', async () => {
      const out = path.join(t.dir, 'out.iso');
      const r = await cli(['build', '--source-image', iso, '--output', out, '--source-date-epoch', EPOCH]);
      expect(r.code).toBe(0);
      const list = (f: string) => sh('bsdtar', ['-tf', f]).split('\n').filter(Boolean).sort();
      expect(list(out)).toEqual(list(iso));
      const a = path.join(t.dir, 'a');
      const b = path.join(t.dir, 'b');
      extract('bsdtar', iso, a);
      extract('bsdtar', out, b);
      const bytesOnly = (m: Map<string, Entry>) => new Map([...m].map(([k, e]) => [k, { ...e, mode: 0 }]));
      const before = bytesOnly(describeTree(a));
      expect(before.size).toBe(4);
      expect(diff(before, bytesOnly(describeTree(b)))).toEqual([]);
      expect(sh('isoinfo', ['-d', '-i', out])).toMatch(/Volume id: PLAIN_VOL/);
    });
  }
);

/** A remaster's boots: the console's lines from `from` to the `marker` line, as SeaBIOS mirrors them. */
async function consoleLines(
  image: string,
  media: 'cd' | 'disk',
  marker: string,
  from: string,
  times: string[]
) {
  const r = await bootImage({ image, firmware: 'bios', media, marker, timeoutMs: 60_000 });
  times.push(`${path.basename(image)} SeaBIOS ${media}: ${r.ok ? `${r.elapsedMs} ms` : r.reason}`);
  expect(r.ok ? 'ok' : r.reason).toBe('ok');
  const text = (r.seenOn === 'screen' ? r.screen : r.serial).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const lines = text
    .slice(0, text.indexOf(marker))
    .split(/\r?\n/)
    .map(l => l.trimEnd());
  // the line holding the marker is still being written (the screen mirror lags a character)
  return lines
    .slice(
      lines.findIndex(l => l.includes(from)),
      -1
    )
    .filter(Boolean);
}

const THIRD_PARTY = [
  {
    name: 'iPXE (isolinux BIOS, efi.img, isohybrid MBR)',
    iso: IPXE,
    // iPXE's own banner: its kernel, loaded by ISOLINUX through the tree
    marker: 'Open Source Network Boot Firmware',
    from: 'ISOLINUX',
    seen: 'Loading ipxe.krn... ok',
    volume: 'ISOIMAGE',
    entries: [/El Torito boot img :\s+1\s+BIOS\s+y\s+none/, /El Torito boot img :\s+2\s+UEFI\s+y\s+none/],
    // what iPXE's EFI binary (in efi.img, the replayed UEFI entry) prints under OVMF
    uefiMarker: 'iPXE initialising',
    // the UEFI image of the tree, which is also the remaster's appended ESP
    esp: 'efi.img'
  },
  {
    name: 'grub-rescue (eltorito.img with GRUB2 boot info, GRUB2 MBR)',
    iso: '/usr/lib/grub-rescue/grub-rescue-cdrom.iso',
    // an entry of its grub.cfg, which GRUB reads through the tree
    marker: 'Memtest86+',
    from: 'Booting from',
    seen: 'Welcome to GRUB!',
    volume: undefined,
    entries: [/El Torito boot img :\s+1\s+BIOS\s+y\s+none/],
    uefiMarker: undefined,
    esp: undefined
  }
];

for (const img of THIRD_PARTY) {
  describeWith(
    ['qemu-system-x86_64', 'xorriso', 'bsdtar', 'isoinfo', 'sgdisk', img.iso],
    `remaster of ${img.name}`,
    () => {
      const t = tempDir();
      const out = path.join(t.dir, `remastered-${path.basename(img.iso)}`);
      const times: string[] = [];

      beforeAll(async () => {
        const ov = path.join(t.dir, 'ov');
        mkdirSync(ov);
        writeFileSync(path.join(ov, 'registration.txt'), 'injected by the remaster\n');
        const flags = ['--source-image', img.iso, '--source', ov, '--source-date-epoch', EPOCH];
        const r = await cli(['build', ...flags, '--output', out]);
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: expect.not.stringMatching(/warn/i) });
      });
      afterAll(() => {
        console.log(`${img.name} boots under TCG:\n${times.join('\n')}`);
        t.cleanup();
      });

      test('the boot setup is replayed (entries, MBR boot code, volume id); the overlay file is there', () => {
        const report = sh('xorriso', ['-indev', out, '-report_el_torito', 'plain']);
        for (const e of img.entries) expect(report).toMatch(e);
        expect(sh('bsdtar', ['-xOf', out, 'registration.txt'])).toBe('injected by the remaster\n');
        const code = (f: string) => readFileSync(f).subarray(0, 432);
        expect(code(out).equals(code(img.iso))).toBe(true);
        const volume = (f: string) => /Volume id: (.*)/.exec(sh('isoinfo', ['-d', '-i', f]))![1];
        expect(volume(out)).toBe(volume(img.iso));
        if (img.volume) expect(volume(out)).toBe(img.volume);
      });

      const esp = img.esp;
      if (esp)
        test(`${esp} is stored once: the tree file is GPT partition 2, where the UEFI entry points`, () => {
          const file = path.join(t.dir, 'esp.img');
          sh('xorriso', ['-osirrox', 'on', '-indev', img.iso, '-extract', `/${esp}`, file]);
          const image = readFileSync(out);
          const want = readFileSync(file);
          const at: number[] = [];
          for (let i = image.indexOf(want); i >= 0; i = image.indexOf(want, i + 1)) at.push(i);
          const uefi = /El Torito boot img :\s+2\s+UEFI\s.*\s(\d+)\s*$/m.exec(
            sh('xorriso', ['-indev', out, '-report_el_torito', 'plain'])
          );
          expect(at).toEqual([Number(uefi?.[1]) * 2048]);
          expect(sh('sgdisk', ['-i', '2', out])).toContain(`First sector: ${at[0] / 512} `);
          expect(sh('sgdisk', ['-v', out])).toContain('No problems found');
        });

      for (const media of ['cd', 'disk'] as const) {
        const marker = img.uefiMarker;
        if (marker)
          test(`boots under OVMF as a ${media} as the original does (${marker})`, async () => {
            for (const image of [img.iso, out]) {
              const r = await bootImage({ image, firmware: 'uefi', media, marker, timeoutMs: 90_000 });
              times.push(`${path.basename(image)} OVMF ${media}: ${r.ok ? `${r.elapsedMs} ms` : r.reason}`);
              expect(r.ok ? 'ok' : r.reason).toBe('ok');
            }
          });
        test(`boots under SeaBIOS as a ${media} to the same console text as the original`, async () => {
          const original = await consoleLines(img.iso, media, img.marker, img.from, times);
          expect(original).toContain(img.seen);
          expect(await consoleLines(out, media, img.marker, img.from, times)).toEqual(original);
        });
      }
    }
  );
}

describeWith(['grub-mkrescue', 'xorriso'], 'a boot setup that cannot be replayed', () => {
  test("grub-mkrescue's Apple partition map (HFS+) is one line naming it and --replay-boot without-apm; --replay-boot false builds, saying what it dropped", async () => {
    const t = tempDir();
    try {
      const tree = path.join(t.dir, 'tree');
      mkdirSync(path.join(tree, 'boot/grub'), { recursive: true });
      writeFileSync(path.join(tree, 'boot/grub/grub.cfg'), 'echo hello\n');
      const iso = path.join(t.dir, 'rescue.iso');
      sh('grub-mkrescue', ['-o', iso, tree]);
      const outDir = path.join(t.dir, 'out');
      mkdirSync(outDir);
      const out = path.join(outDir, 'm.iso');
      const r = await cli(['build', '--source-image', iso, '--output', out]);
      expect(r.code).not.toBe(0);
      expect(r.err.trim().split('\n')).toEqual([
        `isoforge: --replay-boot: cannot replay the Apple partition map (APM) and its HFS+ file system (GPT partition 3 HFSPLUS) of ${iso}; give --replay-boot without-apm (drops it), boot options, or --replay-boot false`
      ]);
      expect(readdirSync(outDir)).toEqual([]);
      const plain = await cli(['build', '--source-image', iso, '--output', out, '--replay-boot', 'false']);
      expect(plain.code).toBe(0);
      expect(plain.err).toMatch(
        /its boot setup is not replayed \(--replay-boot false\); dropped: 2 El Torito entries/
      );
      expect(sh('xorriso', ['-indev', out, '-report_el_torito', 'plain'])).not.toMatch(/El Torito boot img/);
    } finally {
      t.cleanup();
    }
  });
});

describeWith(['xorriso'], 'remaster: bad inputs are one line each and write nothing', () => {
  const t = tempDir();
  const iso = path.join(t.dir, 'in.iso');
  const outDir = path.join(t.dir, 'out');
  const remaster = (...extra: string[]) => cli(['build', '--source-image', iso, ...extra]);

  beforeAll(async () => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'dir'), { recursive: true });
    writeFileSync(path.join(src, 'dir', 'file.txt'), 'x\n');
    writeFileSync(path.join(src, 'top.txt'), 'y\n');
    await buildWith({ source: src, output: iso, 'source-date-epoch': EPOCH });
    mkdirSync(outDir);
  });
  afterAll(() => t.cleanup());

  const oneLine = (r: { code: number; err: string }, text: RegExp) => {
    expect(r.code).not.toBe(0);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(text);
    expect(readdirSync(outDir)).toEqual([]);
  };

  test('--remove of a path the image does not hold names it', async () => {
    const r = await remaster('--remove', 'dir/missing.txt', '--output', path.join(outDir, 'o.iso'));
    oneLine(r, /--remove: \/dir\/missing\.txt does not exist in the source image/);
  });

  test('an overlay file where the image has a folder names the path', async () => {
    const ov = path.join(t.dir, 'ov-clash');
    mkdirSync(ov);
    writeFileSync(path.join(ov, 'dir'), 'a file over a folder\n');
    const r = await remaster('--source', ov, '--output', path.join(outDir, 'o.iso'));
    oneLine(r, /\/dir: a file in the overlay .* but a folder in the source image/);
  });

  test('the output may not be the source image, by its name, a hard link or a symbolic link', async () => {
    const before = sha256(iso);
    const hard = path.join(t.dir, 'hard.iso');
    const soft = path.join(t.dir, 'soft.iso');
    linkSync(iso, hard);
    symlinkSync(iso, soft);
    for (const o of [iso, hard, soft]) {
      const r = await remaster('--output', o);
      oneLine(r, /is the source image/);
    }
    expect(sha256(iso)).toBe(before);
    rmSync(hard);
    rmSync(soft);
  });

  test('a source image that is no ISO, a folder, or missing', async () => {
    const junk = path.join(t.dir, 'junk.iso');
    writeFileSync(junk, Buffer.alloc(100_000, 0x41));
    const o = path.join(outDir, 'o.iso');
    oneLine(await cli(['build', '--source-image', junk, '--output', o]), /junk\.iso: not an ISO 9660 image/);
    oneLine(await cli(['build', '--source-image', t.dir, '--output', o]), /not a regular file/);
    oneLine(
      await cli(['build', '--source-image', path.join(t.dir, 'nope.iso'), '--output', o]),
      /nope\.iso: does not exist/
    );
  });

  test('a source image changed during the build is caught before the output is renamed', async () => {
    const copy = path.join(t.dir, 'copy.iso');
    writeFileSync(copy, readFileSync(iso));
    const config = toBuildConfig(
      resolveOptions(
        optionsFor('build', 'cli'),
        new Map([
          ['source-image', copy],
          ['output', path.join(outDir, 'o.iso')]
        ]),
        {}
      )
    );
    const r = await openRemaster(config, [config.output], new MemoryLogger());
    try {
      await expect(r.unchanged()).resolves.toBeUndefined();
      const later = statSync(copy).mtimeMs / 1000 + 10;
      utimesSync(copy, later, later);
      await expect(r.unchanged()).rejects.toThrow(/copy\.iso: changed during the build/);
    } finally {
      await r.close();
    }
  });
});

test('a file of several extents maps to its runs in the image (ECMA-119 9.1.6), across extent ends', () => {
  const extents = [
    { offset: 10 * 2048, length: 4096 },
    { offset: 50 * 2048, length: 2048 },
    { offset: 7 * 2048, length: 100 }
  ];
  expect(imageRuns(extents, 0, 6244)).toEqual([
    { at: 0, pos: 20480, length: 4096 },
    { at: 4096, pos: 102400, length: 2048 },
    { at: 6144, pos: 14336, length: 100 }
  ]);
  // a window's part that starts inside the first extent and ends inside the last
  expect(imageRuns(extents, 4000, 2200)).toEqual([
    { at: 0, pos: 20480 + 4000, length: 96 },
    { at: 96, pos: 102400, length: 2048 },
    { at: 2144, pos: 14336, length: 56 }
  ]);
  expect(imageRuns(extents, 5000, 10)).toEqual([{ at: 0, pos: 102400 + 904, length: 10 }]);
  expect(imageRuns(extents, 6244, 0)).toEqual([]);
});
