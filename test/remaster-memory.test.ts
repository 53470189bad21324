/**
 * Remaster memory (issue 16): a 2 GiB image (made by isoforge from a sparse file) remastered with
 * an overlay by the bundled CLI in its own process; its peak RSS (GNU time's %M) stays under the
 * issue's 150 MiB whatever the image's size, because file data streams through the windows.
 * Needs dist/ (npm run bundle).
 */
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeWith, needDisk, run, sh, tempDir } from './support/tools.js';

const CLI = path.resolve('dist/cli/index.js');
const TIME = '/usr/bin/time';
const LIMIT_KIB = 150 * 1024;

describeWith([TIME, 'bsdtar'], 'remastering a 2 GiB image keeps memory bounded', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

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
    const common = ['--source-date-epoch', '1700000000', '--checksums', 'none', '--manifest', 'false'];
    sh(process.execPath, [CLI, 'build', '--source', src, '--output', big, ...common]);
    const r = run(TIME, [
      '-f',
      'maxrss %M',
      process.execPath,
      CLI,
      'build',
      '--source-image',
      big,
      '--source',
      ov,
      '--output',
      out
    ]);
    expect(r.status).toBe(0);
    const kib = Number(/maxrss (\d+)/.exec(r.stderr)![1]);
    console.log(`remaster of a 2 GiB image: peak RSS ${(kib / 1024).toFixed(1)} MiB`);
    expect(kib).toBeLessThan(LIMIT_KIB);
    expect(sh('bsdtar', ['-xOf', out, 'added.txt'])).toBe('added\n');
    expect(sh('bsdtar', ['-tvf', out])).toMatch(/2147483648 .* big\.bin/);
  }, 300_000);
});
