/**
 * Remaster memory (issue 16): a 2 GiB image (made by isoforge from a sparse file) and an image of
 * 20,000 small files, each remastered with an overlay by the bundled CLI in its own process; the
 * peak RSS (GNU time's %M) stays under the 150 MiB whatever the image's size, because file
 * data streams through the windows, and whatever its file count, because the reader's trees are
 * not held beside the build's (173 MiB for the small files before, when they were; 139 now) and,
 * with the default manifest and checksums, because the reader hands the files to the build's nodes
 * as it walks instead of keeping its own until the walk ends (155-161 MiB before, when the young
 * generation grew to 32 MB with them; 140-145 now). Needs dist/ (npm run bundle).
 */
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeWith, needDisk, run, sh, tempDir } from './support/tools.js';

const CLI = path.resolve('dist/cli/index.js');
const TIME = '/usr/bin/time';
const LIMIT_KIB = 150 * 1024;

/** Peak RSS in KiB of the bundled CLI remastering `image` with the overlay folder `ov` into `out`. */
function remasterRss(image: string, ov: string, out: string, ...extra: string[]): number {
  const args = ['build', '--source-image', image, '--source', ov, '--output', out, ...extra];
  const r = run(TIME, ['-f', 'maxrss %M', process.execPath, CLI, ...args]);
  expect(r.status).toBe(0);
  return Number(/maxrss (\d+)/.exec(r.stderr)![1]);
}

describeWith([TIME, 'bsdtar'], 'remastering a 2 GiB image keeps memory bounded', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const common = ['--source-date-epoch', '1700000000', '--checksums', 'none', '--manifest', 'false'];

  test('peak RSS below 150 MiB; the overlay file and the big file read back', () => {
    needDisk(t.dir, 256 * 1024 * 1024, 'two sparse 2 GiB images');
    const src = path.join(t.dir, 'src');
    const ov = path.join(t.dir, 'ov');
    mkdirSync(src);
    mkdirSync(ov);
    writeFileSync(path.join(src, 'small.txt'), 'small\n');
    writeFileSync(path.join(src, 'big.bin'), '');
    truncateSync(path.join(src, 'big.bin'), 2 * 1024 ** 3);
    writeFileSync(path.join(ov, 'added.txt'), 'added\n');
    const big = path.join(t.dir, 'big.iso');
    const out = path.join(t.dir, 'out.iso');
    sh(process.execPath, [CLI, 'build', '--source', src, '--output', big, ...common]);
    const kib = remasterRss(big, ov, out);
    console.log(`remaster of a 2 GiB image: peak RSS ${(kib / 1024).toFixed(1)} MiB`);
    expect(kib).toBeLessThan(LIMIT_KIB);
    expect(sh('bsdtar', ['-xOf', out, 'added.txt'])).toBe('added\n');
    expect(sh('bsdtar', ['-tvf', out])).toMatch(/2147483648 .* big\.bin/);
  }, 300_000);

  test('an image of 20,000 files: peak RSS below 150 MiB, with and without the manifest; the overlay file reads back', () => {
    const src = path.join(t.dir, 'many');
    const ov = path.join(t.dir, 'ov2');
    for (let d = 0; d < 200; d++) {
      mkdirSync(path.join(src, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(path.join(src, `d${d}`, `file-${f}.txt`), `${d}/${f}\n`);
    }
    mkdirSync(ov);
    writeFileSync(path.join(ov, 'added.txt'), 'added\n');
    const many = path.join(t.dir, 'many.iso');
    const out = path.join(t.dir, 'many-out.iso');
    sh(process.execPath, [CLI, 'build', '--source', src, '--output', many, ...common]);
    const bare = remasterRss(many, ov, out, ...common);
    // the defaults: a manifest and SHA256SUMS beside the image, as the bench's remaster
    const sidecars = remasterRss(many, ov, out, '--source-date-epoch', '1700000000');
    const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
    console.log(`remaster of a 20,000-file image: peak RSS ${mib(bare)}, ${mib(sidecars)} with the manifest`);
    expect(bare).toBeLessThan(LIMIT_KIB);
    expect(sidecars).toBeLessThan(LIMIT_KIB);
    expect(sh('bsdtar', ['-xOf', out, 'added.txt'])).toBe('added\n');
    expect(sh('bsdtar', ['-xOf', out, 'd199/file-99.txt'])).toBe('199/99\n');
  }, 300_000);
});
