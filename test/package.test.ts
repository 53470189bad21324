/**
 * The npm package as users get it: `npm pack` ships the CLI bundle, README, LICENSE and docs (not
 * test/, src/ nor the two action bundles), installs from the tarball with no registry at all
 * (`npm install --offline`), and `npx isoforge build` from there makes an image that xorriso reads
 * back exactly. Uses the committed dist/cli, as CI does (check-dist keeps it fresh).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { describeTree, makeTree } from './support/trees.js';

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** npm with no update check and no registry traffic, in `cwd` */
function npm(args: string[], cwd: string) {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' };
  return run('npm', args, { cwd, env, timeout: 120_000 });
}

describeWith(['npm', 'xorriso'], 'npm package', () => {
  const t = tempDir('isoforge-pack-');
  afterAll(() => t.cleanup());
  let packed: PackResult;

  beforeAll(() => {
    const r = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', t.dir], process.cwd());
    if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
    packed = (JSON.parse(r.stdout) as PackResult[])[0];
  }, 120_000);

  test('ships dist/cli whole, README, LICENSE and docs; no sources, tests or action bundles', () => {
    const files = packed.files.map(f => f.path).sort();
    const want = [
      ...readdirSync('dist/cli').map(f => `dist/cli/${f}`),
      ...readdirSync('docs').map(f => `docs/${f}`),
      'LICENSE',
      'README.md',
      'package.json'
    ].sort();
    expect(files).toEqual(want);
    expect(files).toContain('dist/cli/index.js');
  });

  test('installs offline into an empty folder; npx isoforge build → xorriso reads the tree back', () => {
    const app = path.join(t.dir, 'app');
    sh('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), '{ "private": true }\n');
    const inst = npm(['install', '--offline', '--no-audit', path.join(t.dir, packed.filename)], app);
    expect([inst.status, inst.stderr]).toEqual([0, expect.not.stringContaining('ERR')]);
    expect(readdirSync(path.join(app, 'node_modules')).sort()).toEqual([
      '.bin',
      '.package-lock.json',
      'isoforge'
    ]);

    const src = path.join(t.dir, 'src');
    makeTree(src);
    const iso = path.join(t.dir, 'out', 'pack.iso');
    sh('mkdir', ['-p', path.dirname(iso)]);
    const b = run(
      'npx',
      ['--offline', 'isoforge', 'build', '--source', src, '--output', iso, '--volume-id', 'PACKED'],
      {
        cwd: app,
        env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', npm_config_update_notifier: 'false' },
        timeout: 120_000
      }
    );
    expect([b.status, b.stdout.trim()]).toEqual([0, iso]);
    const x = path.join(t.dir, 'xorriso');
    sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', x]);
    expect(describeTree(x)).toEqual(describeTree(src));
    const pvd = sh('xorriso', ['-indev', iso, '-pvd_info'], { input: '' });
    expect(pvd).toMatch(/Volume Id\s*:\s*PACKED/);
  }, 180_000);
});
