/**
 * The BUNDLED verify action (dist/verify/index.js) run as the runner runs it: the image named by
 * `artifact-name` is downloaded from the current run of the loopback results service (uploaded
 * there by the bundled build action), checked, and `result` says pass or fail.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { addIsolinux, ISOLINUX_DIR } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
import { unsafeOutput } from './support/hostile.js';
import { baseEnv, runAction } from './support/run-action.js';
import { describeWith, tempDir } from './support/tools.js';

describeWith(['tar', 'zstd'], 'the bundled verify action', () => {
  let fake: FakeResults;
  let tmp: { dir: string; cleanup: () => void };
  let env: NodeJS.ProcessEnv;
  let ws: string;

  beforeAll(async () => {
    fake = await startFakeResults();
    tmp = tempDir('isoforge-verify-action-');
    ws = path.join(tmp.dir, 'ws');
    mkdirSync(path.join(ws, 'tree'), { recursive: true });
    mkdirSync(path.join(tmp.dir, 'temp'));
    writeFileSync(path.join(ws, 'tree', 'hello.txt'), 'hello\n');
    if (existsSync(ISOLINUX_DIR)) addIsolinux(path.join(ws, 'tree'));
    env = {
      ...baseEnv(),
      ...fake.env('run-7', 'job-7'),
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: path.join(tmp.dir, 'temp'),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/installer',
      GITHUB_RUN_ID: '7',
      GITHUB_REF: 'refs/heads/topic'
    };
    const built = await runAction(
      'dist/index.js',
      {
        source: 'tree',
        'volume-id': 'VERIFY_ME',
        'bios-boot': existsSync(ISOLINUX_DIR) ? 'isolinux/isolinux.bin' : '',
        baseline: 'false'
      },
      env,
      ws
    );
    if (built.code !== 0) throw new Error(`build action failed: ${built.stdout}`);
  });
  afterAll(async () => {
    await fake?.close();
    tmp?.cleanup();
  });

  test('downloads the image by artifact-name, checks it against its manifest: pass', async () => {
    const r = await runAction(
      'dist/verify/index.js',
      {
        'artifact-name': 'verify_me.iso',
        manifest: 'true',
        'expect-boot': existsSync(ISOLINUX_DIR) ? 'bios' : ''
      },
      env,
      ws
    );
    expect(r.commands.filter(c => c.command === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['result']).toBe('pass');
    expect(path.basename(r.outputs['image-path'])).toBe('verify_me.iso');
    const checks = JSON.parse(r.outputs['checks']) as { name: string; ok: boolean }[];
    expect(checks.map(c => c.name)).toEqual(expect.arrayContaining(['structure', 'manifest']));
    expect(r.summary).toContain('isoforge verify: pass');
    expect(Buffer.byteLength(r.summary)).toBeLessThan(1024 * 1024);
  });

  test('a check that fails sets result=fail and fails the step naming the check', async () => {
    const r = await runAction(
      'dist/verify/index.js',
      { 'artifact-name': 'verify_me.iso', 'expect-boot': 'uefi' },
      env,
      ws
    );
    expect(r.code).toBe(1);
    expect(r.outputs['result']).toBe('fail');
    expect(r.commands.find(c => c.command === 'error' && c.message.startsWith('expect-boot:'))).toBeDefined();
    expect(r.summary).toContain('isoforge verify: fail');
  });

  test('an artifact that does not exist: a one-line error naming the input', async () => {
    const r = await runAction('dist/verify/index.js', { 'artifact-name': 'nope.iso' }, env, ws);
    expect(r.code).toBe(1);
    expect(r.outputs['result']).toBe('fail');
    expect(r.commands.find(c => c.command === 'error')?.message).toMatch(
      /^isoforge verify: input artifact-name: no artifact "nope.iso" in this run/
    );
  });

  test('names and a volume id that carry workflow commands are shown escaped, never run', async () => {
    const tree = path.join(tmp.dir, 'hostile-tree');
    mkdirSync(tree);
    writeFileSync(path.join(tree, `${'n'.repeat(120)}.txt`), 'x\n');
    const image = path.join(ws, 'hostile.iso');
    await buildWith({ source: tree, output: image, 'volume-id': 'PLAIN', 'source-date-epoch': '1700000000' });
    const data = readFileSync(image);
    // the PVD volume id (ECMA-119 8.4.6, 32 bytes at 40) and the Rock Ridge name, patched in place
    const vid = Buffer.alloc(32, 0x20);
    Buffer.from('\n::error::forged%0A::add-mask::x').copy(vid);
    vid.copy(data, 16 * 2048 + 40);
    const name = '\n::add-mask::secret\r::stop-commands::tok ##[set-output name=result;]pass\x1b[2J';
    const at = data.indexOf(Buffer.from('n'.repeat(120)), 17 * 2048);
    expect(at).toBeGreaterThan(0);
    Buffer.from(name).copy(data, at);
    writeFileSync(image, data);

    const r = await runAction('dist/verify/index.js', { image: 'hostile.iso', manifest: 'true' }, env, ws);
    expect(r.code).toBe(1);
    expect(r.outputs['result']).toBe('fail');
    // the runner's parsers: `::name::` at a line's start after blanks, `##[name]` anywhere
    const commands = r.stdout.split('\n').filter(l => l.trimStart().startsWith('::'));
    const names = commands.map(l => /^\s*::([A-Za-z-]+)/.exec(l)?.[1]);
    expect(names.filter(n => !['error', 'debug', 'group', 'endgroup'].includes(n ?? ''))).toEqual([]);
    expect(r.stdout).not.toContain('##[');
    // every annotation the action made is one line once the runner decodes it, with nothing raw
    const errors = r.commands.filter(c => c.command === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.message).not.toMatch(/[\n\r]/);
      expect(unsafeOutput(e.message)).toBeUndefined();
    }
    // the names are there, escaped
    expect(r.stdout).toContain('\\n::add-mask::secret\\r::stop-commands::tok #\\x23[set-output');
    expect(r.stdout).toContain('volume "\\n::error::forged%0A::add-mask::x"');
    // the summary: no raw control character, each table row on its line (no blank line ends its HTML)
    expect(unsafeOutput(r.summary.replace(/::/g, ''))).toBeUndefined();
    const rows = r.summary.split('\n').filter(l => l.startsWith('<tr>'));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.filter(l => !l.endsWith('</tr>'))).toEqual([]);
    expect(r.summary).toContain('\\n::add-mask::secret\\r::stop-commands::tok');
  });
});
