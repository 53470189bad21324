/**
 * The BUNDLED action (dist/index.js) run as the runner runs it (INPUT_* variables, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_EVENT_PATH) against the loopback
 * fake of the results service, with the real @actions/artifact and @actions/cache clients inside.
 * Needs `npm run bundle` first (CI's check-dist keeps dist/ current).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { addIsolinux, ISOLINUX_DIR } from './support/boottrees.js';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
import { runAction, runnerEnv } from './support/run-action.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const BUNDLE = 'dist/index.js';
const ONE_MIB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describeWith(['tar', 'zstd', 'bsdtar'], 'the bundled action against the loopback results service', () => {
  let fake: FakeResults;
  let tmp: { dir: string; cleanup: () => void };
  let ws: string;
  let runnerTemp: string;
  let eventPath: string;

  const envFor = (runId: string, ref: string, withService = true): NodeJS.ProcessEnv =>
    runnerEnv({
      runId,
      ref,
      workspace: ws,
      runnerTemp,
      eventPath,
      service: withService ? fake.env(`run-${runId}`, `job-${runId}`) : {}
    });
  const inputs = (extra: Record<string, string> = {}) => ({
    source: 'tree',
    'volume-id': 'ACME_TEST',
    'bios-boot': 'isolinux/isolinux.bin',
    checksums: 'sha256,sha512',
    'max-growth': '5%',
    'retention-days': '7',
    ...extra
  });

  beforeAll(async () => {
    fake = await startFakeResults();
    tmp = tempDir('isoforge-action-');
    ws = path.join(tmp.dir, 'workspace');
    runnerTemp = path.join(tmp.dir, 'runner-temp');
    mkdirSync(path.join(ws, 'tree', 'docs'), { recursive: true });
    mkdirSync(runnerTemp);
    writeFileSync(path.join(ws, 'tree', 'README.txt'), 'hello\n');
    writeFileSync(path.join(ws, 'tree', 'docs', 'guide.md'), '# guide\n');
    writeFileSync(path.join(ws, 'tree', 'data.bin'), randomBytes(300 * 1024));
    if (existsSync(ISOLINUX_DIR)) addIsolinux(path.join(ws, 'tree'));
    eventPath = path.join(tmp.dir, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({ repository: { default_branch: 'main', full_name: 'acme/installer' } })
    );
  });
  afterAll(async () => {
    await fake?.close();
    tmp?.cleanup();
  });

  test('first run on main: builds, uploads unzipped, sets every output, writes the summary, saves a baseline', async () => {
    const r = await runAction(BUNDLE, inputs(), envFor('101', 'refs/heads/main'), ws);
    expect(r.commands.filter(c => c.command === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    const o = r.outputs;
    const image = path.join(runnerTemp, 'acme_test.iso');
    expect(o['image-path']).toBe(image);
    const bytes = readFileSync(image);
    expect(o['image-size']).toBe(String(bytes.length));
    expect(o['volume-id']).toBe('ACME_TEST');
    expect(o['sha256']).toBe(sha256(bytes));
    expect(o['sha512']).toBe(createHash('sha512').update(bytes).digest('hex'));
    expect(o['manifest-path']).toBe(`${image}.manifest.json`);
    for (const k of ['checksums-path', 'signature-paths']) expect(k in o).toBe(true);
    // the blob the service stored is the image, byte for byte; its digest is the image's SHA-256
    expect(fake.artifactBytes('acme_test.iso')!.equals(bytes)).toBe(true);
    expect(o['artifact-digest']).toBe(o['sha256']);
    const art = fake.artifacts.find(a => a.name === 'acme_test.iso')!;
    expect(o['artifact-id']).toBe(String(art.id));
    expect(o['artifact-url']).toBe(`https://github.com/acme/installer/actions/runs/101/artifacts/${art.id}`);
    expect(art.expiresAt).toBeDefined();
    // the metadata artifact: a zip with the manifest (read back with bsdtar)
    const meta = fake.artifacts.find(a => a.name === 'acme_test.iso-metadata')!;
    expect(o['metadata-artifact-id']).toBe(String(meta.id));
    const zip = path.join(tmp.dir, 'meta.zip');
    writeFileSync(zip, fake.artifactBytes('acme_test.iso-metadata')!);
    expect(sh('bsdtar', ['-tf', zip]).split('\n')).toContain('acme_test.iso.manifest.json');
    // the summary: volume id, SHA-256, boot entries, under 1 MiB
    expect(Buffer.byteLength(r.summary)).toBeLessThan(ONE_MIB);
    expect(r.summary).toContain('ACME_TEST');
    expect(r.summary).toContain(o['sha256']);
    if (existsSync(ISOLINUX_DIR))
      expect(r.summary).toMatch(/<b>bios<\/b>: <code>isolinux\/isolinux\.bin<\/code>/);
    expect(r.summary).toContain(o['artifact-url']);
    expect(r.summary).toContain('No baseline yet');
    // phases are groups; the baseline was saved under the run id
    expect(r.stdout).toMatch(/^::group::write$/m);
    expect(r.stdout).toMatch(/^::group::upload$/m);
    expect(fake.caches.map(c => c.key)).toEqual(['isoforge-baseline-ACME_TEST-main-101']);
  });

  test('a pull request run shows the baseline diff and saves nothing', async () => {
    writeFileSync(path.join(ws, 'tree', 'NEW.txt'), 'new file\n');
    writeFileSync(path.join(ws, 'tree', 'README.txt'), 'hello, changed\n');
    const r = await runAction(BUNDLE, inputs(), envFor('102', 'refs/pull/7/merge'), ws);
    expect(r.code).toBe(0);
    expect(r.summary).toContain('Compared with <code>isoforge-baseline-ACME_TEST-main-101</code>');
    expect(r.summary).toMatch(/1 added, 0 removed, 1 changed/);
    expect(r.summary).toContain('<code>NEW.txt</code>');
    expect(fake.caches.length).toBe(1);
  });

  test('growth over max-growth fails the step with an error annotation naming the numbers', async () => {
    writeFileSync(path.join(ws, 'tree', 'big.bin'), randomBytes(2 * ONE_MIB));
    const r = await runAction(BUNDLE, inputs(), envFor('103', 'refs/pull/7/merge'), ws);
    expect(r.code).toBe(1);
    const err = r.commands.find(c => c.command === 'error' && c.props.includes('isoforge max-growth'));
    expect(err?.message).toMatch(
      /^max-growth: the image grew by \d+ bytes \(\d+\.\d+%\) from \d+ to \d+ bytes, over the limit of 5% \(\d+ bytes\)$/
    );
    expect(r.summary).toContain('max-growth: the image grew by');
    // the image was kept on disk for inspection, and nothing was uploaded
    expect(existsSync(r.outputs['image-path'])).toBe(true);
    expect(fake.artifacts.filter(a => a.runId === 'run-103')).toEqual([]);
  });

  test('without a token it builds and skips the upload with a notice', async () => {
    const env = envFor('104', 'refs/heads/main', false);
    // the output directory does not exist yet: it is made
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
    const r2 = await runAction(BUNDLE, inputs({ output: 'out/plain.iso', 'max-growth': '' }), env, ws);
    expect(r2.code).toBe(0);
    expect(r2.outputs['image-path']).toBe(path.join(ws, 'out', 'plain.iso'));
    expect(statSync(r2.outputs['image-path']).size).toBe(Number(r2.outputs['image-size']));
    expect(r2.outputs['artifact-id']).toBeUndefined();
    const notices = r2.commands.filter(c => c.command === 'notice').map(c => c.message);
    expect(notices.join('\n')).toMatch(/upload skipped \(not running in GitHub Actions\)/);
    expect(notices.join('\n')).toMatch(/baseline skipped/);
  });

  test('a service failure fails the step with the service message; the image stays', async () => {
    fake.failNext.set('ArtifactService/CreateArtifact', {
      status: 403,
      code: 'permission_denied',
      msg: 'artifact storage quota has been hit'
    });
    const r = await runAction(BUNDLE, inputs({ baseline: 'false' }), envFor('105', 'refs/heads/feature'), ws);
    expect(r.code).toBe(1);
    const err = r.commands.find(c => c.command === 'error')!;
    expect(err.message).toMatch(
      /upload of image artifact "acme_test\.iso" failed: .*artifact storage quota has been hit/
    );
    expect(existsSync(path.join(runnerTemp, 'acme_test.iso'))).toBe(true);
  });

  test('thousands of files: the summary is trimmed under 1 MiB and says where the full list is', async () => {
    const big = path.join(ws, 'many');
    const long = 'a-rather-long-directory-name-to-make-rows-heavy';
    for (let d = 0; d < 12; d++) {
      const dir = path.join(big, `${long}-${d}`, 'and-another-level-of-nesting');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 1000; i++) writeFileSync(path.join(dir, `file-with-a-long-name-${i}.txt`), '');
    }
    const r = await runAction(
      BUNDLE,
      { source: 'many', 'volume-id': 'MANY', baseline: 'false', checksums: '' },
      envFor('106', 'refs/heads/feature'),
      ws
    );
    expect(r.code).toBe(0);
    const bytes = Buffer.byteLength(r.summary);
    expect(bytes).toBeLessThan(ONE_MIB);
    expect(bytes).toBeGreaterThan(ONE_MIB / 2);
    expect(r.summary).toMatch(
      /<p>\d+ of 12024 entries left out to keep this summary under 1 MiB; the full list is in many\.iso\.manifest\.json in the artifact many\.iso-metadata\.<\/p>/
    );
    expect(sha256(fake.artifactBytes('many.iso')!)).toBe(r.outputs['sha256']);
  });

  test('bad input fails before anything is written, naming the input', async () => {
    const r = await runAction(
      BUNDLE,
      inputs({ 'max-growth': 'lots', output: 'never.iso' }),
      envFor('107', 'refs/heads/x'),
      ws
    );
    expect(r.code).toBe(1);
    expect(r.commands.find(c => c.command === 'error')?.message).toContain('input max-growth: "lots"');
    expect(existsSync(path.join(ws, 'never.iso'))).toBe(false);
  });

  test('secrets are masked first; attest without id-token permission fails before building', async () => {
    const secret = 'correct-horse-battery-staple-9f3c';
    const r = await runAction(
      BUNDLE,
      inputs({ attest: 'true', 'gpg-passphrase': secret, output: 'attested.iso' }),
      envFor('108', 'refs/heads/main'),
      ws
    );
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`::add-mask::${secret}`);
    expect(r.stdout.split(secret).length).toBe(2);
    expect(r.commands.find(c => c.command === 'error')?.message).toContain(
      'attest: true needs `permissions: id-token: write` and `attestations: write` in the workflow'
    );
    expect(existsSync(path.join(ws, 'attested.iso'))).toBe(false);
  });
});
