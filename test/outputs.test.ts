/**
 * Where a build writes, through the CLI entry: missing output folders are made (and taken away
 * again when the build fails), nothing but a regular file is ever replaced (FIFOs, sockets,
 * directories, devices: refused before anything is written), and a failed gate keeps the image
 * and says where. Images are read back with xorriso.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import { toBuildConfig } from '../src/config.js';
import { checkPaths } from '../src/image/build.js';
import { CreatedFolders, checkTarget } from '../src/image/targets.js';
import { sidecarTargets } from '../src/integrity/index.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { reservedDeviceName } from '../src/platform.js';
import { formatBytes } from '../src/format.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { cli } from './support/cli.js';

function onlyLine(err: string): string {
  const lines = err.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** Every name under `dir`, recursively, sorted (what a build left there). */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

const t = tempDir('isoforge-outputs-');
const src = path.join(t.dir, 'src');
let n = 0;
/** a fresh folder for one test's outputs */
const place = () => {
  const d = path.join(t.dir, `out-${++n}`);
  mkdirSync(d);
  return d;
};
beforeAll(() => {
  mkdirSync(path.join(src, 'docs'), { recursive: true });
  writeFileSync(path.join(src, 'README.txt'), 'hello\n');
  writeFileSync(path.join(src, 'docs', 'guide.md'), '# guide\n');
});
afterAll(() => t.cleanup());

describeWith(['xorriso'], 'output folders are made', () => {
  test('missing folders for the image and every sidecar are made, as mkdir -p', async () => {
    const base = place();
    const iso = path.join(base, 'build', 'iso', 'x.iso');
    const r = await cli(['build', '--source', src, '--output', iso, '--checksums', 'sha256,sha512']);
    expect(r.err).not.toMatch(/isoforge:/);
    expect(r.code).toBe(0);
    expect(listing(path.join(base, 'build', 'iso'))).toEqual([
      'SHA256SUMS',
      'SHA512SUMS',
      'x.iso',
      'x.iso.manifest.json'
    ]);
    const files = sh('xorriso', ['-indev', iso, '-find', '/', '-type', 'f'], { env: process.env });
    expect(files).toContain("'/docs/guide.md'");
    expect(readFileSync(path.join(base, 'build', 'iso', 'SHA256SUMS'), 'utf8')).toMatch(/ {2}x\.iso\n$/);
  });

  test('a build that fails removes the folders it made, innermost first, and only those', async () => {
    const base = place();
    mkdirSync(path.join(base, 'kept'));
    writeFileSync(path.join(base, 'kept', 'mine.txt'), 'the user was here\n');
    const iso = path.join(base, 'kept', 'new', 'deeper', 'x.iso');
    // fails after the scan (prepare), so the folders were made and the write had not started
    const r = await cli([
      'build',
      '--source',
      src,
      '--output',
      iso,
      '--bios-boot',
      'missing.bin',
      '--hybrid',
      'false'
    ]);
    expect(r.code).toBe(1);
    expect(onlyLine(r.err)).toMatch(/--bios-boot: missing\.bin does not exist in the source/);
    expect(listing(base)).toEqual(['kept', path.join('kept', 'mine.txt')]);
  });

  test('an output inside the source tree is refused before any folder is made', async () => {
    const r = await cli(['build', '--source', src, '--output', path.join(src, 'new', 'x.iso')]);
    expect(r.code).toBe(1);
    expect(onlyLine(r.err)).toMatch(/output .*new\/x\.iso: inside the source tree/);
    expect(existsSync(path.join(src, 'new'))).toBe(false);
  });

  test('a folder made stays when something else wrote into it; mkdir -p through a file fails', async () => {
    const base = place();
    const made = await CreatedFolders.make([path.join(base, 'a', 'b', 'c'), path.join(base, 'a', 'd')]);
    expect(made.paths).toEqual(['a', 'a/b', 'a/b/c', 'a/d'].map(p => path.join(base, p)));
    writeFileSync(path.join(base, 'a', 'd', 'other.txt'), '');
    await made.remove();
    expect(listing(base)).toEqual(['a', 'a/d', 'a/d/other.txt']);
    writeFileSync(path.join(base, 'file'), '');
    await expect(CreatedFolders.make([path.join(base, 'file', 'sub')])).rejects.toThrow(
      /cannot create output directory .*file\/sub: a parent is not a directory/
    );
  });
});

describe('build never replaces what is not a regular file', () => {
  let server: Server;
  let sock: string;
  beforeAll(async () => {
    sock = path.join(t.dir, 'a.sock');
    server = createServer();
    await new Promise<void>(resolve => server.listen(sock, resolve));
  });
  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()));
  });

  const kinds: [string, (p: string) => void, (p: string) => boolean, string][] = [
    ['FIFO', p => execFileSync('mkfifo', [p]), p => lstatSync(p).isFIFO(), 'a FIFO'],
    ['directory', p => mkdirSync(p), p => lstatSync(p).isDirectory(), 'a directory'],
    [
      'symbolic link to a FIFO',
      p => {
        execFileSync('mkfifo', [p + '.fifo']);
        symlinkSync(p + '.fifo', p);
      },
      p => lstatSync(p).isSymbolicLink() && statSync(p).isFIFO(),
      'a FIFO'
    ]
  ];

  test.each(kinds)('an output that is a %s is refused, nothing written', async (_, make, still, words) => {
    const base = place();
    const iso = path.join(base, 'x.iso');
    make(iso);
    const before = listing(base);
    const r = await cli(['build', '--source', src, '--output', iso]);
    expect(r.code).toBe(1);
    expect(onlyLine(r.err)).toBe(
      `isoforge: output ${iso}: exists and is ${words}, not a regular file; isoforge replaces only regular files`
    );
    expect(still(iso)).toBe(true);
    expect(listing(base)).toEqual(before);
  });

  test('an output that is a socket is refused, nothing written', async () => {
    const r = await cli(['build', '--source', src, '--output', sock]);
    expect(r.code).toBe(1);
    expect(onlyLine(r.err)).toMatch(/output .*a\.sock: exists and is a socket, not a regular file/);
    expect(lstatSync(sock).isSocket()).toBe(true);
    expect(readdirSync(t.dir).filter(f => /SHA256SUMS|manifest|\.tmp$/.test(f))).toEqual([]);
  });

  test.each([
    ['SHA256SUMS', 'checksum file', (p: string) => execFileSync('mkfifo', [p]), 'a FIFO'],
    ['x.iso.manifest.json', 'manifest', (p: string) => mkdirSync(p), 'a directory'],
    ['SHA512SUMS', 'checksum file', (p: string) => execFileSync('mkfifo', [p]), 'a FIFO']
  ])(
    'a sidecar %s that is not a regular file is refused before the image is written',
    async (name, what, make, words) => {
      const base = place();
      make(path.join(base, name));
      const before = listing(base);
      const r = await cli([
        'build',
        '--source',
        src,
        '--output',
        path.join(base, 'x.iso'),
        '--checksums',
        'sha256,sha512'
      ]);
      expect(r.code).toBe(1);
      expect(onlyLine(r.err)).toBe(
        `isoforge: ${what} ${path.join(base, name)}: exists and is ${words}, not a regular file; isoforge replaces only regular files`
      );
      expect(listing(base)).toEqual(before);
    }
  );

  test('/dev/full and its would-be sidecars are refused by the checks that run before writing', async () => {
    // only the checks are called: a build is never pointed at a real device
    const config = toBuildConfig(
      resolveOptions(
        optionsFor('build', 'cli'),
        new Map([
          ['source', src],
          ['output', '/dev/full']
        ]),
        {}
      )
    );
    await expect(checkPaths(src, '/dev/full', 'linux', sidecarTargets(config))).rejects.toThrow(
      'output /dev/full: exists and is a character device, not a regular file'
    );
    await expect(checkTarget({ path: '/dev/null', what: 'signature' })).rejects.toThrow(
      'signature /dev/null: exists and is a character device'
    );
    expect(sidecarTargets(config).map(s => s.path)).toEqual(['/dev/full.manifest.json', '/dev/SHA256SUMS']);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  test("Windows' device names are devices in any folder, with any extension", async () => {
    expect(reservedDeviceName('C:\\out\\nul.iso', 'win32')).toBe('NUL');
    expect(reservedDeviceName('out/COM1.tar.gz', 'win32')).toBe('COM1');
    expect(reservedDeviceName('con', 'win32')).toBe('CON');
    expect(reservedDeviceName('aux. ', 'win32')).toBe('AUX');
    expect(reservedDeviceName('console.iso', 'win32')).toBeUndefined();
    expect(reservedDeviceName('out/nul.iso', 'linux')).toBeUndefined();
    await expect(checkTarget({ path: 'out\\nul.iso', what: 'output' }, 'win32')).rejects.toThrow(
      'output out\\nul.iso: names the device NUL, not a file'
    );
  });
});

describe('a failed gate keeps the image and says where', () => {
  test('--max-size: exit 1, one line with the numbers and where the image is; image and sidecars stay', async () => {
    const base = place();
    const iso = path.join(base, 'x.iso');
    const r = await cli(['build', '--source', src, '--output', iso, '--max-size', '1000']);
    expect(r.code).toBe(1);
    const size = statSync(iso).size;
    expect(
      onlyLine(
        r.err
          .split('\n')
          .filter(l => l.startsWith('isoforge:'))
          .join('\n')
      )
    ).toBe(
      `isoforge: max-size: the image is ${size} bytes (${formatBytes(size)}), over the limit of 1000 bytes (1000 B) by ${size - 1000} bytes; the image was kept on disk for inspection at ${iso}`
    );
    expect(listing(base)).toEqual(['SHA256SUMS', 'x.iso', 'x.iso.manifest.json']);
    const ok = await cli(['build', '--source', src, '--output', iso, '--max-size', String(size)]);
    expect(ok.code).toBe(0);
  });
});
