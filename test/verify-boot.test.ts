/**
 * `verify --boot-test`: the hybrid image boots in QEMU (SeaBIOS, OVMF; CD and disk), a missing
 * marker fails at the timeout; a marker ISOLINUX only SAYs (on the screen, never on COM1) passes.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import {
  ISOHDPFX,
  ISOLINUX_DIR,
  MARKERS,
  SYSLINUX_BIOS_MODULES,
  addGrubEfi,
  addIsolinux,
  buildGrubImages
} from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { describeWith, run, tempDir } from './support/tools.js';

const CLI = path.resolve('dist/cli/index.js');
import { MemoryLogger } from '../src/log.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { runVerify, toVerifyConfig } from '../src/read/verify.js';
import { cli } from './support/cli.js';

const row = (out: string, name: string) => out.split('\n').find(l => l.startsWith(`${name} `)) ?? '';

/** verify --boot-test bios (CD) for a marker the image never prints: exit 1, the kept log's path. */
async function neverPrinted(iso: string, timeout: number) {
  const started = Date.now();
  const r = await cli([
    'verify',
    '--image',
    iso,
    '--boot-test',
    'bios',
    '--boot-media',
    'cd',
    '--boot-marker',
    'this text is never printed',
    '--boot-timeout',
    String(timeout)
  ]);
  expect(r.code).toBe(1);
  // a failure keeps the full serial log and says where; a passing run leaves nothing behind
  const log = /full log (\S+\.serial\.log)/.exec(r.out)?.[1];
  expect(log && existsSync(log)).toBeTruthy();
  return { out: r.out, log: log!, secs: (Date.now() - started) / 1000 };
}

describeWith(
  ['qemu-system-x86_64', 'mkfs.fat', 'mcopy', 'grub-mkstandalone'],
  'verify --boot-test in QEMU',
  () => {
    let t: ReturnType<typeof tempDir>;
    let iso = '';
    beforeAll(async () => {
      // made here, not at collection, so that a filtered run (-t) leaves nothing behind
      t = tempDir('isoforge-verify-boot-');
      iso = path.join(t.dir, 'boot.iso');
      const grub = buildGrubImages(path.join(t.dir, 'grub'));
      const src = path.join(t.dir, 'src');
      addIsolinux(src);
      addGrubEfi(src, grub);
      await buildWith({
        source: src,
        output: iso,
        'volume-id': 'BOOT_TEST',
        'bios-boot': 'isolinux/isolinux.bin',
        'uefi-boot': 'boot/grub/efi.img',
        hybrid: 'true',
        'mbr-template': ISOHDPFX
      });
    });
    afterAll(() => t.cleanup());

    test('--boot-test bios passes as CD and as disk with the ISOLINUX marker', async () => {
      // the bundled CLI with its own temporary folder: other suites' boots come and go in the
      // shared one meanwhile (counting isoforge-serial-* there failed once in CI)
      const own = tempDir('isoforge-verify-tmp-');
      try {
        const v = run(
          process.execPath,
          [CLI, 'verify', '--image', iso, '--boot-test', 'bios', '--boot-marker', MARKERS.isolinux],
          { env: { ...process.env, TMPDIR: own.dir } }
        );
        expect(v.stdout).toMatch(/boot-test bios cd +pass +marker seen after/);
        expect(v.stdout).toMatch(/boot-test bios disk +pass/);
        expect(v.status).toBe(0);
        // the serial logs and QEMU's folders are gone
        expect(readdirSync(own.dir)).toEqual([]);
      } finally {
        own.cleanup();
      }
    });

    test('--boot-test uefi passes as CD and as disk with the GRUB marker', async () => {
      const r = await cli([
        'verify',
        '--image',
        iso,
        '--boot-test',
        'uefi',
        '--boot-marker',
        MARKERS.grubEfi
      ]);
      expect(row(r.out, 'boot-test uefi cd')).toMatch(/pass/);
      expect(row(r.out, 'boot-test uefi disk')).toMatch(/pass/);
      expect(r.code).toBe(0);
    });

    test('a marker never printed fails at the timeout, with the serial tail', async () => {
      const r = await neverPrinted(iso, 10);
      expect(row(r.out, 'boot-test bios cd')).toMatch(/FAIL/);
      expect(r.out).toContain('serial console (last lines)');
      expect(r.out).toContain(MARKERS.isolinux); // what it did print
      rmSync(path.dirname(r.log), { recursive: true, force: true });
      expect(r.secs).toBeGreaterThanOrEqual(9);
      expect(r.secs).toBeLessThan(40);
    });
  }
);

describeWith(['qemu-system-x86_64'], 'verify --boot-test sees the screen (ISOLINUX SAY)', () => {
  let t: ReturnType<typeof tempDir>;
  let iso = '';
  const SAID = 'Welcome to ACME';
  beforeAll(async () => {
    t = tempDir('isoforge-verify-say-');
    iso = path.join(t.dir, 'say.iso');
    // ISOLINUX with a config that only SAYs (no SERIAL directive: nothing of it reaches COM1)
    const dir = path.join(t.dir, 'src', 'isolinux');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(ISOLINUX_DIR, 'isolinux.bin'), path.join(dir, 'isolinux.bin'));
    copyFileSync(path.join(SYSLINUX_BIOS_MODULES, 'ldlinux.c32'), path.join(dir, 'ldlinux.c32'));
    writeFileSync(path.join(dir, 'isolinux.cfg'), `SAY ${SAID}\n`);
    await buildWith({
      source: path.join(t.dir, 'src'),
      output: iso,
      'volume-id': 'SAY_TEST',
      'bios-boot': 'isolinux/isolinux.bin',
      hybrid: 'true',
      'mbr-template': ISOHDPFX
    });
  });
  afterAll(() => t.cleanup());

  test('a marker ISOLINUX SAYs on the screen passes --boot-test bios, as CD and as disk', async () => {
    const r = await cli([
      'verify',
      '--image',
      iso,
      '--boot-test',
      'bios',
      '--boot-marker',
      SAID,
      '--boot-timeout',
      '30'
    ]);
    expect(row(r.out, 'boot-test bios cd')).toMatch(
      /pass +marker seen after [\d.]+ s on the screen \((TCG|KVM)/
    );
    expect(row(r.out, 'boot-test bios disk')).toMatch(/pass +marker seen after [\d.]+ s on the screen/);
    expect(r.code).toBe(0);
  });

  test('the report records the accelerator, and the log says which and why', async () => {
    const raw = new Map([
      ['image', iso],
      ['boot-test', 'bios'],
      ['boot-media', 'cd'],
      ['boot-marker', SAID],
      ['boot-timeout', '30']
    ]);
    const log = new MemoryLogger();
    const report = await runVerify(toVerifyConfig(resolveOptions(optionsFor('verify', 'cli'), raw)), { log });
    expect(report.ok).toBe(true);
    const accel = report.serialLogs[0].accel;
    expect(['kvm', 'tcg']).toContain(accel);
    const said = log.lines.find(l => l.message.startsWith('boot-test: QEMU accelerator'))?.message;
    expect(said).toMatch(new RegExp(`^boot-test: QEMU accelerator ${accel!.toUpperCase()}; \\S`));
    expect(report.checks.find(c => c.name === 'boot-test bios cd')?.detail).toContain(
      `(${accel!.toUpperCase()}`
    );
  });

  test('a marker printed nowhere fails at a short timeout that names the accelerator; the log keeps the screen', async () => {
    const r = await neverPrinted(iso, 4);
    expect(row(r.out, 'boot-test bios cd')).toMatch(
      /FAIL +no "this text is never printed" on the serial console or the screen within 4 s \((TCG|KVM)[;)]/
    );
    // what the screen showed is in the report's tail and in the kept log
    expect(r.out).toContain('--- screen (text mirrored by SeaBIOS) ---');
    expect(r.out).toMatch(new RegExp(`\\| ${SAID}`));
    expect(readFileSync(r.log, 'utf8')).toContain(SAID);
    rmSync(path.dirname(r.log), { recursive: true, force: true });
    expect(r.secs).toBeLessThan(25); // the timeout, a KVM probe at most, start and stop
  });
});
