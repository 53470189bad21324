/**
 * The real @actions/artifact and @actions/cache clients against the loopback fake, in process,
 * through src/action's wrappers; and the action's pure parts (diff, gates, summary budget).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { downloadImage, uploadFiles, uploadImage } from '../src/action/artifact.js';
import { baselineKeys, diffManifests, restoreBaseline, saveBaseline } from '../src/action/baseline.js';
import { parseGrowth, runnerEnv } from '../src/action/inputs.js';
import { SUMMARY_BUDGET, buildSummaryHtml, treeHtml } from '../src/action/summary.js';
import { checkGates as gates, type Growth } from '../src/gates.js';
import { MANIFEST_SCHEMA, type Manifest } from '../src/manifest.js';
import { startFakeResults, type FakeResults } from './support/fake-results.js';
import { describeWith, tempDir } from './support/tools.js';

function manifest(size: number, entries: [string, number, string?][]): Manifest {
  return {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'isoforge', version: '0.1.0' },
    volumeId: 'TEST_VOL',
    epoch: 1700000000,
    image: { name: 'test_vol.iso', size, sha256: 'ab'.repeat(32) },
    boot: [{ platform: 'bios', path: 'isolinux/isolinux.bin', emulation: 'none', loadSize: 4, lba: 30 }],
    partitions: [],
    entries: entries.map(([p, s, h]) => ({
      path: p,
      type: 'file',
      size: s,
      mode: '0644',
      sha256: h ?? '00'.repeat(32)
    }))
  };
}

const checkGates = (size: number, maxSize?: number, maxGrowth?: Growth, baselineSize?: number) =>
  gates(size, { maxSize, maxGrowth, baselineSize });

describe('baseline diff and gates', () => {
  test('added, removed and changed files, size change', () => {
    const a = manifest(1000, [
      ['a.txt', 1],
      ['b.txt', 2],
      ['c.txt', 3]
    ]);
    const b = manifest(1500, [
      ['a.txt', 1],
      ['c.txt', 4, '11'.repeat(32)],
      ['d.txt', 5]
    ]);
    const d = diffManifests(a, b);
    expect(d.added.map(e => e.path)).toEqual(['d.txt']);
    expect(d.removed.map(e => e.path)).toEqual(['b.txt']);
    expect(d.changed.map(c => [c.path, c.what])).toEqual([['c.txt', ['size', 'sha256']]]);
    expect(d.sizeAfter - d.sizeBefore).toBe(500);
  });

  test('max-size and max-growth name the numbers', () => {
    expect(checkGates(1000, 2000, parseGrowth('5%'), 990)).toEqual([]);
    const [f] = checkGates(1100, undefined, parseGrowth('5%'), 1000);
    expect(f.option).toBe('--max-growth');
    expect(f.message).toContain(
      'grew by 100 bytes (10.00%) from 1000 to 1100 bytes, over the limit of 5% (50 bytes)'
    );
    const [g] = checkGates(3 * 2 ** 20, 2 ** 20, parseGrowth('1MiB'), 2 ** 20);
    expect(g.message).toContain('over the limit of 1048576 bytes');
    expect(checkGates(3 * 2 ** 20, undefined, parseGrowth('1MiB'), 2 ** 20)[0].message).toContain('1MiB');
    expect(() => parseGrowth('lots')).toThrow('--max-growth: "lots"');
  });
});

describe('summary budget', () => {
  test('a huge tree is trimmed under the budget with a line saying how many were left out', () => {
    const entries: [string, number][] = [];
    for (let i = 0; i < 30000; i++)
      entries.push([`deep/dir/with/a/long/name/file-${String(i).padStart(6, '0')}.bin`, i]);
    const m = manifest(123456789, entries);
    const html = buildSummaryHtml({
      manifest: m,
      imagePath: '/tmp/test_vol.iso',
      counts: { files: 30000, dirs: 6, symlinks: 0 },
      signatures: [],
      checksumPaths: [],
      artifacts: [],
      manifestWhere: 'test_vol.iso.manifest.json in the artifact x-metadata',
      gateFailures: []
    });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_BUDGET);
    expect(html).toMatch(
      /<p>\d+ of 30000 entries left out .* the full list is in test_vol\.iso\.manifest\.json in the artifact x-metadata/
    );
    // largest first
    expect(html.indexOf('file-029999.bin')).toBeLessThan(html.indexOf('file-029998.bin'));
    const small = treeHtml(manifest(1, [['<script>.txt', 1]]), 10000, 'm.json');
    expect(small.omitted).toBe(0);
    expect(small.html).toContain('&#60;script&#62;.txt');
  });
});

describeWith(['tar', 'zstd'], 'the real clients against the loopback fake', () => {
  let fake: FakeResults;
  let saved: NodeJS.ProcessEnv;
  let tmp: { dir: string; cleanup: () => void };
  const write = process.stdout.write.bind(process.stdout);
  const printed: string[] = [];

  beforeAll(async () => {
    // the clients print workflow commands (::debug::...) to stdout: keep them out of jest's output
    process.stdout.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    fake = await startFakeResults();
    tmp = tempDir('isoforge-clients-');
    saved = { ...process.env };
    Object.assign(process.env, fake.env(), {
      GITHUB_WORKSPACE: tmp.dir,
      RUNNER_TEMP: path.join(tmp.dir, 'temp'),
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/isoforge',
      GITHUB_RUN_ID: '4242'
    });
    mkdirSync(path.join(tmp.dir, 'temp'), { recursive: true });
  });
  afterAll(async () => {
    process.stdout.write = write;
    process.env = saved;
    await fake.close();
    tmp.cleanup();
  });

  test('image unzipped, metadata zipped, renamed upload, download back, overwrite', async () => {
    const renv = runnerEnv();
    const img = path.join(tmp.dir, 'out.iso');
    const bytes = randomBytes(9 * 2 ** 20 + 123); // over one 8 MiB block
    writeFileSync(img, bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const up = await uploadImage(img, 'out.iso', renv, { overwrite: false });
    expect(up.digest).toBe(sha);
    expect(up.url).toBe(`https://github.com/acme/isoforge/actions/runs/4242/artifacts/${up.id}`);
    expect(fake.artifactBytes('out.iso')!.equals(bytes)).toBe(true);
    expect(fake.calls.filter(c => c.startsWith('blob:block ')).length).toBe(2);

    // a second upload of the same name is refused by the service, with its message
    await expect(uploadImage(img, 'out.iso', renv, { overwrite: false })).rejects.toThrow(
      /upload of image artifact "out.iso" failed: .*409.*an artifact with this name already exists/
    );
    const again = await uploadImage(img, 'out.iso', renv, { overwrite: true });
    expect(again.id).not.toBe(up.id);

    const renamed = await uploadImage(img, 'release-image.iso', renv, { overwrite: false });
    expect(fake.artifactBytes('release-image.iso')!.equals(bytes)).toBe(true);
    expect(renamed.name).toBe('release-image.iso');

    writeFileSync(`${img}.manifest.json`, '{}\n');
    const meta = await uploadFiles('out.iso-metadata', [`${img}.manifest.json`], tmp.dir, renv, {
      overwrite: false
    });
    expect(meta.id).toBeGreaterThan(0);
    expect(fake.artifactBytes('out.iso-metadata')!.subarray(0, 2).toString()).toBe('PK');

    const got = await downloadImage('release-image.iso', path.join(tmp.dir, 'dl'));
    expect(path.basename(got)).toBe('release-image.iso');
    expect(readFileSync(got).equals(bytes)).toBe(true);
    await expect(downloadImage('nope.iso', path.join(tmp.dir, 'dl2'))).rejects.toThrow(
      '--artifact-name: no artifact "nope.iso" in this run'
    );
  });

  test('baseline saved and restored by prefix through the cache', async () => {
    const renv = runnerEnv();
    const file = path.join(tmp.dir, 'temp', 'isoforge-baseline', 'test_vol.manifest.json');
    const keys = baselineKeys('TEST_VOL', 'main', renv);
    expect(keys.prefix).toBe('isoforge-baseline-TEST_VOL-main-');
    expect(await restoreBaseline(file, keys)).toBeUndefined();
    const m = manifest(2048, [['a', 1]]);
    expect(await saveBaseline(file, m, keys.key)).toBeGreaterThan(0);
    const later = { ...renv, runId: '4243' };
    const r = await restoreBaseline(file, baselineKeys('TEST_VOL', 'main', later));
    expect(r?.key).toBe('isoforge-baseline-TEST_VOL-main-4242');
    expect(r?.manifest.image.size).toBe(2048);
  });
});
