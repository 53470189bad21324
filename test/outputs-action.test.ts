/**
 * Where the BUNDLED action (dist/index.js, run as the runner runs it) writes, and what a failed
 * gate publishes: missing output folders are made and removed again when the build fails; a
 * failed max-size or max-growth gate uploads no artifact (the loopback results service sees no
 * artifact call), asks for no attestation (a loopback OIDC token service sees no request) and saves
 * no baseline, and says the image was kept on disk and where. Needs `npm run bundle` first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { formatBytes } from '../src/format.js';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
import { runAction, runnerEnv } from './support/run-action.js';
import { describeWith, tempDir } from './support/tools.js';

const BUNDLE = 'dist/index.js';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describeWith(['tar', 'zstd'], 'the bundled action: output folders and gates', () => {
  let fake: FakeResults;
  let tmp: { dir: string; cleanup: () => void };
  let ws: string;
  let eventPath: string;
  let oidc: Server;
  let oidcRequests: string[];

  const envFor = (runId: string, ref: string): NodeJS.ProcessEnv =>
    runnerEnv({
      runId,
      ref,
      workspace: ws,
      runnerTemp: path.join(tmp.dir, 'runner-temp'),
      eventPath,
      service: fake.env(`run-${runId}`, `job-${runId}`)
    });
  const inputs = (extra: Record<string, string>) => ({
    source: 'tree',
    'volume-id': 'GATED',
    checksums: 'sha256',
    ...extra
  });
  const artifactsOf = (runId: string) => fake.artifacts.filter(a => a.runId === `run-${runId}`);

  beforeAll(async () => {
    fake = await startFakeResults();
    tmp = tempDir('isoforge-outputs-action-');
    ws = path.join(tmp.dir, 'workspace');
    mkdirSync(path.join(ws, 'tree', 'docs'), { recursive: true });
    writeFileSync(path.join(ws, 'tree', 'README.txt'), 'hello\n');
    writeFileSync(path.join(ws, 'tree', 'docs', 'guide.md'), '# guide\n');
    eventPath = path.join(tmp.dir, 'event.json');
    writeFileSync(
      eventPath,
      JSON.stringify({ repository: { default_branch: 'main', full_name: 'acme/installer' } })
    );
    // an OIDC token service that only records: an attestation would start by asking it for a token
    oidcRequests = [];
    oidc = createServer((req, res) => {
      oidcRequests.push(req.url ?? '');
      res.writeHead(500).end();
    });
    await new Promise<void>(r => oidc.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await fake?.close();
    await new Promise<void>(r => (oidc ? oidc.close(() => r()) : r()));
    tmp?.cleanup();
  });

  test('missing output folders are made; the image is built and uploaded from there', async () => {
    const r = await runAction(
      BUNDLE,
      inputs({ output: 'out/deep/x.iso', baseline: 'false' }),
      envFor('201', 'refs/heads/main'),
      ws
    );
    expect(r.commands.filter(c => c.command === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    const image = path.join(ws, 'out', 'deep', 'x.iso');
    expect(r.outputs['image-path']).toBe(image);
    expect(readdirSync(path.dirname(image)).sort()).toEqual(['SHA256SUMS', 'x.iso', 'x.iso.manifest.json']);
    expect(sha256(fake.artifactBytes('x.iso')!)).toBe(sha256(readFileSync(image)));
  });

  test('a build that fails removes the output folders it made', async () => {
    const r = await runAction(
      BUNDLE,
      inputs({ output: 'made/here/x.iso', 'bios-boot': 'missing.bin', hybrid: 'false', baseline: 'false' }),
      envFor('202', 'refs/heads/main'),
      ws
    );
    expect(r.code).toBe(1);
    expect(r.commands.find(c => c.command === 'error')?.message).toMatch(
      /^isoforge: input bios-boot: missing\.bin does not exist in the source/
    );
    expect(existsSync(path.join(ws, 'made'))).toBe(false);
    expect(artifactsOf('202')).toEqual([]);
  });

  test('a failed max-size gate uploads nothing, attests nothing, saves no baseline; the image stays', async () => {
    const calls = fake.calls.length;
    const env = {
      ...envFor('203', 'refs/heads/main'),
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(oidc.address() as AddressInfo).port}/token`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
      GITHUB_TOKEN: 'workflow-token'
    };
    const r = await runAction(
      BUNDLE,
      inputs({ output: 'gated/x.iso', 'max-size': '1000', attest: 'true' }),
      env,
      ws
    );
    expect(r.code).toBe(1);
    const image = path.join(ws, 'gated', 'x.iso');
    const size = readFileSync(image).length;
    const errors = r.commands.filter(c => c.command === 'error');
    expect(errors.map(e => [e.props, e.message])).toEqual([
      [
        'title=isoforge max-size',
        `max-size: the image is ${size} bytes (${formatBytes(size)}), over the limit of 1000 bytes (1000 B) by ${size - 1000} bytes`
      ],
      [
        '',
        `isoforge: max-size failed; the image was kept on disk for inspection at ${image}; nothing was published (no artifact, attestation or baseline)`
      ]
    ]);
    // nothing published: no artifact call, no token asked for, no baseline saved
    expect(artifactsOf('203')).toEqual([]);
    expect(fake.calls.slice(calls).filter(c => /ArtifactService|CreateCacheEntry/.test(c))).toEqual([]);
    expect(oidcRequests).toEqual([]);
    expect(fake.caches).toEqual([]);
    expect(existsSync(`${image}.sigstore.json`)).toBe(false);
    // the image and its sidecars are kept, the outputs describe them, the summary says so
    expect(readdirSync(path.dirname(image)).sort()).toEqual(['SHA256SUMS', 'x.iso', 'x.iso.manifest.json']);
    expect(r.outputs['image-path']).toBe(image);
    expect(r.outputs['artifact-id']).toBeUndefined();
    expect(r.summary).toContain(
      `the image was kept on disk for inspection at ${image}; nothing was published`
    );
  });

  test('a failed max-growth gate uploads nothing and saves no baseline', async () => {
    const first = await runAction(
      BUNDLE,
      inputs({ output: 'grow/x.iso', 'max-growth': '5%' }),
      envFor('204', 'refs/heads/main'),
      ws
    );
    expect(first.code).toBe(0);
    expect(fake.caches.map(c => c.key)).toEqual(['isoforge-baseline-GATED-main-204']);
    writeFileSync(path.join(ws, 'tree', 'big.bin'), randomBytes(1024 * 1024));
    const r = await runAction(
      BUNDLE,
      inputs({ output: 'grow/x.iso', 'max-growth': '5%' }),
      envFor('205', 'refs/heads/main'),
      ws
    );
    expect(r.code).toBe(1);
    const err = r.commands.find(c => c.command === 'error' && c.props === 'title=isoforge max-growth');
    expect(err?.message).toMatch(/^max-growth: the image grew by \d+ bytes/);
    expect(r.commands.filter(c => c.command === 'error').pop()?.message).toBe(
      `isoforge: max-growth failed; the image was kept on disk for inspection at ${path.join(ws, 'grow', 'x.iso')}; nothing was published (no artifact, attestation or baseline)`
    );
    expect(artifactsOf('205')).toEqual([]);
    expect(fake.caches.map(c => c.key)).toEqual(['isoforge-baseline-GATED-main-204']);
    expect(readFileSync(path.join(ws, 'grow', 'x.iso')).length).toBe(Number(r.outputs['image-size']));
  });
});
