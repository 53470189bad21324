/**
 * The committed CLI bundle, run as users run it (`npx isoforge` → dist/cli/index.js): help, and an
 * image of a generated tree that xorriso and bsdtar read back exactly.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { describeTree, makeTree } from './support/trees.js';

const CLI = path.resolve('dist/cli/index.js');

describeWith(['xorriso', 'bsdtar'], 'dist/cli/index.js', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  test('--help lists the build options with their defaults', () => {
    const r = run(process.execPath, [CLI, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--volume-id STRING\n.*\(default: ISOFORGE[;)]/);
    const b = run(process.execPath, [CLI, 'build', '--help']);
    expect(b.stdout).toMatch(/--source-date-epoch INTEGER/);
  });

  test('build → the tree reads back exactly in xorriso and bsdtar', () => {
    const src = path.join(t.dir, 'src');
    makeTree(src, { hardlinks: true });
    const iso = path.join(t.dir, 'x.iso');
    const r = run(
      process.execPath,
      [CLI, 'build', '--source', src, '--output', iso, '--volume-id', 'CLI_TEST'],
      {
        env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
      }
    );
    expect(r.stderr).toContain('sha256');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(iso);
    const want = describeTree(src);
    const x = path.join(t.dir, 'xorriso');
    sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', x]);
    expect(describeTree(x)).toEqual(want);
    const b = path.join(t.dir, 'bsdtar');
    mkdirSync(b);
    sh('bsdtar', ['-xpf', iso, '-C', b]);
    expect(describeTree(b)).toEqual(want);
  });

  test('a bad option: one line, exit 1, no stack', () => {
    const r = run(process.execPath, [
      CLI,
      'build',
      '--source',
      t.dir,
      '--output',
      path.join(t.dir, 'y.iso'),
      '--volume-id',
      'bad\tid'
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^isoforge: --volume-id: "bad\\tid" has characters outside printable ASCII/)
    ]);
  });
});
