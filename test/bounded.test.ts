/**
 * Odd inputs end a run quickly and cleanly (issue 18.3): small files are read with a bound and
 * must be regular files, a FIFO never blocks an open. Run as users run it, the bundled CLI
 * (dist/cli/index.js) in its own process, so that a hang or a runaway read is killed by the
 * test's deadline instead of taking the test runner with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  truncateSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import { readFileChunks } from '../src/boot/source-chunks.js';
import { main } from '../src/cli/main.js';
import type { FileNode } from '../src/image/tree.js';
import { escapeInvalidUtf8 } from '../src/image/scan.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const CLI = path.resolve('dist/cli/index.js');
const ISOLINUX = '/usr/lib/ISOLINUX/isolinux.bin';

/** The CLI with a hard deadline (SIGKILL: the old code ignored SIGTERM while a FIFO open hung). */
function cli(args: string[], deadlineMs = 10000) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: deadlineMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
  });
  return { ...r, ms: Date.now() - started, lines: r.stderr.trim().split('\n') };
}

describeWith(['mkfifo'], 'small inputs are read with a bound', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  const fifo = path.join(t.dir, 'fifo');
  const out = path.join(t.dir, 'out.iso');
  beforeAll(() => {
    mkdirSync(path.join(src, 'isolinux'), { recursive: true });
    copyFileSync(ISOLINUX, path.join(src, 'isolinux', 'isolinux.bin'));
    writeFileSync(path.join(src, 'a.txt'), 'a');
    sh('mkfifo', [fifo]);
  });
  afterAll(() => t.cleanup());
  const boot = ['build', '--source', src, '--output', out, '--bios-boot', 'isolinux/isolinux.bin'];

  test('/dev/zero as --mbr-template: one line naming the path and the 32 KiB limit, at once', () => {
    const r = cli([...boot, '--mbr-template', '/dev/zero']);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'isoforge: --mbr-template /dev/zero: a character device, not a regular file; an MBR template is read whole, at most 32 KiB'
    ]);
    expect(r.ms).toBeLessThan(10000);
  });

  test('an MBR template above 32 KiB is refused with its size and the limit', () => {
    const big = path.join(t.dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(32 * 1024 + 1, 0x90));
    const r = cli([...boot, '--mbr-template', big]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      `isoforge: --mbr-template ${big}: 32769 bytes; an MBR template is read whole, at most 32 KiB`
    ]);
  });

  test('a FIFO with no writer as --mbr-template: an error, no hang, no output', () => {
    const r = cli([...boot, '--mbr-template', fifo]);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      `isoforge: --mbr-template ${fifo}: a FIFO, not a regular file; an MBR template is read whole, at most 32 KiB`
    ]);
    expect(spawnSync('ls', ['-A', t.dir], { encoding: 'utf8' }).stdout.split('\n')).not.toContain('out.iso');
  });

  test('a FAT source file swapped for a FIFO after the scan: an error, no blocked open', async () => {
    const node: FileNode = {
      kind: 'file',
      name: 'BOOTX64.EFI',
      path: 'EFI/BOOT/BOOTX64.EFI',
      mode: 0o100644,
      mtime: 0,
      uid: 0,
      gid: 0,
      serial: 0,
      lba: 0,
      size: 10,
      data: { type: 'file', path: fifo }
    };
    const read = (async () => {
      for await (const chunk of readFileChunks(node, 'uefi-boot')) expect(chunk).toBeDefined();
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise(resolve => (timer = setTimeout(() => resolve('still blocked after 3 s'), 3000)));
    const outcome = await Promise.race([
      read.then(
        () => 'read',
        (e: Error) => e.message
      ),
      late
    ]);
    clearTimeout(timer);
    // a writer's open ends an open that blocks (on the old code), so the test leaves no thread stuck
    closeSync(openSync(fifo, 'r+'));
    await read.catch(() => undefined);
    expect(outcome).toBe(`--uefi-boot: cannot read ${fifo}: a FIFO, not a regular file`);
  });

  describe('verify', () => {
    const iso = path.join(t.dir, 'plain.iso');
    beforeAll(() => {
      const r = cli(['build', '--source', src, '--output', iso, '--checksums', 'none']);
      expect(r.status).toBe(0);
    });

    test.each([
      ['--gpg-public-key', 'a public key', '1 MiB'],
      ['--minisign-public-key', 'a public key', '16 KiB']
    ])('a FIFO as %s: an error naming it and the limit, no hang', (option, kind, limit) => {
      const sig = path.join(t.dir, 'sig');
      writeFileSync(sig, 'not a signature');
      const r = cli(['verify', '--image', iso, option, fifo, '--signature', sig]);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `${option} ${fifo}: a FIFO, not a regular file; ${kind} is read whole, at most ${limit}`
      );
    });

    test.each([
      ['--manifest-file', 'a manifest', '128 MiB'],
      ['--checksums-file', 'a checksum file', '16 MiB']
    ])('/dev/zero as %s: an error naming it and the limit', (option, kind, limit) => {
      const r = cli(['verify', '--image', iso, option, '/dev/zero']);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `${option} /dev/zero: a character device, not a regular file; ${kind} is read whole, at most ${limit}`
      );
    });

    test('a FIFO as the image of inspect: an error, no hang', () => {
      const r = cli(['inspect', fifo]);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.lines).toHaveLength(1);
      expect(r.stderr).toContain(fifo);
    });
  });
});

describe('names that are not UTF-8 (issue 18.4)', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  test('a Latin-1 name: one line naming the folder and the bytes, nothing written', async () => {
    const src = path.join(t.dir, 'src');
    const sub = path.join(src, 'docs');
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'a');
    // caf\xe9-latin1.txt: the name as bytes, as an old archive leaves it
    const name = Buffer.concat([Buffer.from(sub + '/caf'), Buffer.from([0xe9]), Buffer.from('-latin1.txt')]);
    writeFileSync(name, 'x');
    const out = path.join(t.dir, 'out.iso');
    let err = '';
    const code = await main(['build', '--source', src, '--output', out], {
      stdout: () => undefined,
      stderr: s => (err += s),
      env: {},
      isTTY: false
    });
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([
      `isoforge: source folder ${sub}: the name "caf\\xe9-latin1.txt" is not valid UTF-8; rename it (e.g. convmv -f latin1 -t utf8)`
    ]);
    expect(readdirSync(t.dir).sort()).toEqual(['src']);
  });

  test('a name holding U+FFFD itself is valid UTF-8 and builds', async () => {
    const src = path.join(t.dir, 'ok');
    mkdirSync(src);
    writeFileSync(path.join(src, 'caf\uFFFD.txt'), 'x');
    const out = path.join(t.dir, 'ok.iso');
    const code = await main(['build', '--source', src, '--output', out, '--checksums', 'none'], {
      stdout: () => undefined,
      stderr: () => undefined,
      env: {},
      isTTY: false
    });
    expect(code).toBe(0);
    expect(escapeInvalidUtf8(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x82]))).toBe('a\\xffé\\xe2\\x82');
  });
});

/**
 * Start a build of 64 GiB of holes (minutes of reading zeros, no disk), wait until its temporary
 * file is beside the output, send `sig`, and see how the process ends.
 */
async function interruptBuild(
  args: string[],
  env: NodeJS.ProcessEnv,
  outDir: string,
  sig: NodeJS.Signals,
  twice = false
) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (text += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (text += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  );
  const begun = Date.now();
  while (readdirSync(outDir).length === 0) {
    if (Date.now() - begun > 60000) child.kill('SIGKILL');
    expect(Date.now() - begun).toBeLessThan(60000);
    await new Promise(r => setTimeout(r, 50));
  }
  await new Promise(r => setTimeout(r, 300));
  const sent = Date.now();
  child.kill(sig);
  if (twice) {
    // a moment apart, so that the two are two deliveries, not one pending signal
    await new Promise(r => setTimeout(r, 20));
    child.kill(sig);
  }
  const deadline = setTimeout(() => child.kill('SIGKILL'), 10000);
  const end = await exited;
  clearTimeout(deadline);
  return { ...end, ms: Date.now() - sent, text, left: readdirSync(outDir) };
}

describe('SIGTERM and SIGINT end a build promptly, leaving nothing', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());
  const tree = (name: string) => {
    const src = path.join(t.dir, `src-${name}`);
    const outDir = path.join(t.dir, `out-${name}`);
    mkdirSync(src);
    mkdirSync(outDir);
    writeFileSync(path.join(src, 'big.bin'), '');
    truncateSync(path.join(src, 'big.bin'), 64 * 1024 ** 3);
    return { src, outDir };
  };

  // 128 + the signal's number, whether the build ends by itself within the grace (here: it stops
  // at once) or is ended by force (a second signal); SIGTERM used to give SIGINT's 130 the first way
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130]
  ] as const)('the CLI, %s during the write: exit %i', async (sig, code) => {
    const { src, outDir } = tree(`cli-${sig}`);
    const args = [CLI, 'build', '--source', src, '--output', path.join(outDir, 'x.iso')];
    const r = await interruptBuild(args, process.env, outDir, sig);
    expect({ exit: r.code, killedBy: r.signal, left: r.left }).toEqual({
      exit: code,
      killedBy: null,
      left: []
    });
    expect(r.ms).toBeLessThan(2500);
    expect(r.text).toContain('interrupted');
  });

  test('the CLI, a second SIGTERM at once: exit 143 at once, the temporary image removed', async () => {
    const { src, outDir } = tree('cli-twice');
    const args = [CLI, 'build', '--source', src, '--output', path.join(outDir, 'x.iso')];
    const r = await interruptBuild(args, process.env, outDir, 'SIGTERM', true);
    expect({ exit: r.code, killedBy: r.signal, left: r.left }).toEqual({
      exit: 143,
      killedBy: null,
      left: []
    });
    expect(r.ms).toBeLessThan(1000);
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('the action (dist/index.js), %s during the write', async sig => {
    const { src, outDir } = tree(`action-${sig}`);
    const io = path.join(t.dir, `io-${sig}`);
    mkdirSync(io);
    writeFileSync(path.join(io, 'output'), '');
    writeFileSync(path.join(io, 'summary'), '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_WORKSPACE: t.dir,
      RUNNER_TEMP: io,
      GITHUB_OUTPUT: path.join(io, 'output'),
      GITHUB_STEP_SUMMARY: path.join(io, 'summary'),
      INPUT_SOURCE: src,
      INPUT_OUTPUT: path.join(outDir, 'x.iso'),
      INPUT_UPLOAD: 'false'
    };
    const r = await interruptBuild([path.resolve('dist/index.js')], env, outDir, sig);
    expect({ exit: r.code === 0 ? 0 : 'non-zero', killedBy: r.signal, left: r.left }).toEqual({
      exit: 'non-zero',
      killedBy: null,
      left: []
    });
    expect(r.ms).toBeLessThan(2500);
  });
});
