/**
 * Inputs that must not be cut or bent (issue 13.6): list inputs split on lines, commas only inside
 * enumerations; retention-days as actions/upload-artifact takes it; an empty source folder.
 * Through the CLI's main() and the action's readInputs (INPUT_* as the runner sets them), with
 * the real @actions/artifact client against the loopback results service, read back with xorriso.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { uploadImage } from '../src/action/artifact.js';
import { readInputs, runnerEnv } from '../src/action/inputs.js';
import { inProcessService } from './support/in-process.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { cli } from './support/cli.js';

const DAY = 24 * 3600 * 1000;

/** Run `fn` with the runner's INPUT_<NAME> variables set (and nothing else of them). */
function withInputs<T>(inputs: Record<string, string>, fn: () => T): T {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v;
  try {
    return fn();
  } finally {
    process.env = saved;
  }
}

/** xorriso's El Torito report: the boot image paths, in catalog order. */
function bootPaths(iso: string): string[] {
  const r = sh('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
  return [...r.matchAll(/^El Torito img path :\s+\d+\s+(\S.*)$/gm)].map(m => m[1].trim());
}

describeWith(['xorriso'], 'list inputs split on lines; commas only in enumerations', () => {
  let tmp: { dir: string; cleanup: () => void };
  let src: string;
  beforeAll(() => {
    tmp = tempDir('isoforge-inputs-');
    src = path.join(tmp.dir, 'tree');
    mkdirSync(path.join(src, 'boot,v2'), { recursive: true });
    mkdirSync(path.join(src, 'alt'), { recursive: true });
    writeFileSync(path.join(src, 'boot,v2', 'eltorito.img'), randomBytes(4096));
    writeFileSync(path.join(src, 'alt', 'second.img'), randomBytes(4096));
  });
  afterAll(() => tmp.cleanup());

  test('CLI: a --bios-boot path holding a comma is one path; repeated flags are several', async () => {
    const iso = path.join(tmp.dir, 'comma.iso');
    const r = await cli([
      'build',
      '--source',
      src,
      '--output',
      iso,
      '--bios-boot',
      'boot,v2/eltorito.img',
      '--bios-boot',
      'alt/second.img',
      '--checksums',
      'sha256,sha512'
    ]);
    expect(r.err).not.toMatch(/^isoforge:/m);
    expect(r.code).toBe(0);
    expect(bootPaths(iso)).toEqual(['/boot,v2/eltorito.img', '/alt/second.img']);
    // the enumeration still splits at its comma: both checksum files
    expect(readFileSync(path.join(tmp.dir, 'SHA512SUMS'), 'utf8')).toContain('comma.iso');
  });

  test('action: a multi-line input splits on lines only; enumerations on commas too', () => {
    const ws = tmp.dir;
    const inputs = withInputs(
      {
        source: 'tree',
        'bios-boot': 'boot,v2/eltorito.img\r\nalt/second.img\n',
        'uefi-boot': 'EFI,old',
        checksums: 'sha256, SHA512\nnone'
      },
      () => readInputs('build', { ...runnerEnv({}), workspace: ws, temp: ws })
    );
    expect(inputs.values['bios-boot']).toEqual(['boot,v2/eltorito.img', 'alt/second.img']);
    expect(inputs.values['uefi-boot']).toEqual(['EFI,old']);
    expect(inputs.values['checksums']).toEqual(['sha256', 'sha512', 'none']);
    const verify = withInputs({ image: 'x.iso', 'expect-boot': 'bios,uefi', 'boot-media': 'cd\ndisk' }, () =>
      readInputs('verify', { ...runnerEnv({}), workspace: ws, temp: ws })
    );
    expect(verify.values['expect-boot']).toEqual(['bios', 'uefi']);
    expect(verify.values['boot-media']).toEqual(['cd', 'disk']);
  });
});

describe('retention-days as actions/upload-artifact takes it', () => {
  // the toolkit's warning is a workflow command on stdout
  const svc = inProcessService('isoforge-retention-', dir => ({
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    GITHUB_REPOSITORY: 'acme/isoforge',
    GITHUB_RUN_ID: '77',
    // the repository's maximum, as the runner tells the toolkit
    GITHUB_RETENTION_DAYS: '30'
  }));

  const upload = async (days: string, name: string) => {
    const inputs = withInputs({ source: 'tree', 'retention-days': days }, () =>
      readInputs('build', runnerEnv())
    );
    const img = path.join(svc.dir, name);
    writeFileSync(img, randomBytes(4096));
    const before = Date.now();
    await uploadImage(img, name, runnerEnv(), { retentionDays: inputs.retentionDays, overwrite: false });
    const art = svc.fake.artifacts.find(a => a.name === name)!;
    return { inputs, art, before };
  };

  test("0 is the repository's default: no expiry is sent", async () => {
    const { inputs, art } = await upload('0', 'zero.iso');
    expect(inputs.retentionDays).toBeUndefined();
    expect(art.expiresAt).toBeUndefined();
  });

  test('more days than the repository allows are lowered by the toolkit, with its warning', async () => {
    svc.printed.length = 0;
    const { inputs, art, before } = await upload('400', 'long.iso');
    expect(inputs.retentionDays).toBe(400);
    const days = (Date.parse(art.expiresAt!) - before) / DAY;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    expect(svc.printed.join('')).toMatch(
      /^::warning::Retention days cannot be greater .* Using 30 instead\./m
    );
  });
});

describeWith(['xorriso', 'isoinfo'], 'an empty source folder', () => {
  test('builds a valid image, with one warning naming the folder', async () => {
    const tmp = tempDir('isoforge-empty-');
    try {
      const src = path.join(tmp.dir, 'empty');
      mkdirSync(src);
      const iso = path.join(tmp.dir, 'empty.iso');
      const r = await cli(['build', '--source', src, '--output', iso]);
      expect(r.code).toBe(0);
      const warnings = r.err.split('\n').filter(l => l.startsWith('warning:'));
      expect(warnings).toEqual([expect.stringContaining(`source ${src}: `)]);
      expect(warnings[0]).toMatch(/empty/);
      // xorriso loads it (no SORRY/FAILURE) and finds the root alone
      const x = sh('xorriso', ['-abort_on', 'SORRY', '-indev', iso, '-find', '/'], {});
      expect(x.trim().split('\n')).toEqual(["'/'"]);
      expect(sh('isoinfo', ['-d', '-i', iso])).toMatch(/Volume id: ISOFORGE/);
    } finally {
      tmp.cleanup();
    }
  });
});
