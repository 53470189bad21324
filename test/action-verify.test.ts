/**
 * The BUNDLED verify action (dist/verify/index.js) run as the runner runs it: the image named by
 * `artifact-name` is downloaded from the current run of the loopback results service (uploaded
 * there by the bundled build action), checked, and `result` says pass or fail.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { addIsolinux, ISOLINUX_DIR } from './support/boottrees.js';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
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
      /^isoforge verify: --artifact-name: no artifact "nope.iso" in this run/
    );
  });
});
