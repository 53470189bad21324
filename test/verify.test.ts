/**
 * `isoforge verify` and `isoforge inspect` through the CLI entry (main(argv, io)), on a bootable
 * hybrid image built by isoforge, on xorriso images, and on broken ones. Checksums and signatures
 * are made by the real tools (sha256sum, gpg, minisign).
 */
import {
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
  closeSync
} from 'node:fs';
import * as path from 'node:path';
import { main } from '../src/cli/main.js';
import type { Manifest } from '../src/manifest.js';
import { ISOHDPFX, addIsolinux, addGrubEfi, buildGrubImages } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = '';
  let err = '';
  const started = Date.now();
  const code = await main(argv, {
    stdout: s => (out += s),
    stderr: s => (err += s),
    env: {},
    isTTY: false
  });
  return { code, out, err, ms: Date.now() - started };
}

function row(out: string, name: string): string {
  return out.split('\n').find(l => l.startsWith(`${name} `)) ?? `(no row ${name})`;
}

describeWith(
  ['xorriso', 'mkfs.fat', 'mcopy', 'grub-mkstandalone', 'gpg', 'minisign', 'sha256sum'],
  'verify and inspect',
  () => {
    const t = tempDir('isoforge-verify-');
    const hybrid = path.join(t.dir, 'hybrid.iso');
    const plain = path.join(t.dir, 'plain.iso');
    beforeAll(async () => {
      const grub = buildGrubImages(path.join(t.dir, 'grub'));
      const src = path.join(t.dir, 'src');
      addIsolinux(src);
      addGrubEfi(src, grub);
      writeFileSync(path.join(src, 'data.bin'), bytes(100_000, 5));
      await buildWith({
        source: src,
        output: hybrid,
        'volume-id': 'VERIFY_ME',
        'source-date-epoch': '1700000000',
        'bios-boot': 'isolinux/isolinux.bin',
        'uefi-boot': 'boot/grub/efi.img',
        hybrid: 'true',
        'mbr-template': ISOHDPFX,
        manifest: 'true'
      });
      sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-o', plain, src]);
    });
    afterAll(() => t.cleanup());

    test('our hybrid image passes --expect-boot bios,uefi --manifest', async () => {
      const r = await cli(['verify', '--image', hybrid, '--expect-boot', 'bios,uefi', '--manifest']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(row(r.out, 'structure')).toMatch(/pass .*VERIFY_ME.*El Torito \(bios, uefi\)/);
      expect(row(r.out, 'expect-boot')).toMatch(/pass +bios isolinux\/isolinux.bin, uefi /);
      expect(row(r.out, 'manifest')).toMatch(/pass .*SHA-256 match/);
    });

    test('an xorriso image without boot options: passes, and fails --expect-boot uefi', async () => {
      const ok = await cli(['verify', '--image', plain]);
      expect([ok.code, row(ok.out, 'structure')]).toEqual([0, expect.stringMatching(/pass/)]);
      const r = await cli(['verify', '--image', plain, '--expect-boot', 'uefi']);
      expect(r.code).toBe(1);
      expect(row(r.out, 'expect-boot')).toMatch(/FAIL +no El Torito uefi entry/);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });

    test('a byte changed inside one file fails --manifest naming the file', async () => {
      const bad = path.join(t.dir, 'changed.iso');
      copyFileSync(hybrid, bad);
      const m = JSON.parse(readFileSync(`${hybrid}.manifest.json`, 'utf8')) as Manifest;
      const e = m.entries.find(x => x.path === 'data.bin')!;
      const fd = openSync(bad, 'r+');
      writeSync(fd, Buffer.from([0x55 ^ bytes(100_000, 5)[777]]), 0, 1, e.lba! * 2048 + 777);
      closeSync(fd);
      const r = await cli(['verify', '--image', bad, '--manifest-file', `${hybrid}.manifest.json`]);
      expect(r.code).toBe(1);
      expect(row(r.out, 'structure')).toMatch(/pass/);
      expect(row(r.out, 'manifest')).toMatch(/FAIL +data.bin: content differs/);
      expect(r.err).toMatch(/^isoforge: verify failed: manifest: data.bin: content differs/);
    });

    test('random bytes, a cut image and a root extent past the end: one-line errors within seconds', async () => {
      const random = path.join(t.dir, 'random.iso');
      writeFileSync(random, bytes(1024 * 1024, 99));
      const cut = path.join(t.dir, 'cut.iso');
      writeFileSync(cut, readFileSync(hybrid).subarray(0, 40_000));
      const far = path.join(t.dir, 'far.iso');
      const data = readFileSync(plain);
      // ECMA-119 8.4.18: root record at PVD byte 156, extent (both-endian) at +2
      data.writeUInt32LE(0x7ffffff0, 16 * 2048 + 156 + 2);
      data.writeUInt32BE(0x7ffffff0, 16 * 2048 + 156 + 6);
      writeFileSync(far, data);
      for (const [file, why] of [
        [random, /not an ISO 9660 image/],
        [cut, /truncated/],
        [far, /past the end of the image/]
      ] as const) {
        const r = await cli([
          'verify',
          '--image',
          file,
          '--expect-boot',
          'bios',
          '--manifest-file',
          `${hybrid}.manifest.json`
        ]);
        expect(r.code).toBe(1);
        expect(r.ms).toBeLessThan(5000);
        const lines = r.err.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(why);
        expect(r.err).not.toMatch(/\n\s+at /);
        const i = await cli(['inspect', file]);
        expect(i.code).toBe(1);
        expect(i.err.trim().split('\n')).toEqual([expect.stringMatching(why)]);
      }
    });

    test('checksums (GNU and BSD), max-size', async () => {
      const dir = path.dirname(hybrid);
      const name = path.basename(hybrid);
      writeFileSync(path.join(dir, 'SHA256SUMS'), sh('sha256sum', [name], { cwd: dir }));
      writeFileSync(path.join(dir, 'SHA512SUMS'), sh('sha512sum', ['--tag', name], { cwd: dir }));
      writeFileSync(
        path.join(dir, 'WRONG'),
        sh('sha256sum', ['-b', path.basename(plain)], { cwd: dir }).replace(path.basename(plain), name)
      );
      const gnu = await cli(['verify', '--image', hybrid, '--checksums-file', path.join(dir, 'SHA256SUMS')]);
      expect([gnu.code, row(gnu.out, 'checksums')]).toEqual([
        0,
        expect.stringMatching(/pass +SHA256 of hybrid.iso match/)
      ]);
      const bsd = await cli(['verify', '--image', hybrid, '--checksums-file', path.join(dir, 'SHA512SUMS')]);
      expect([bsd.code, row(bsd.out, 'checksums')]).toEqual([0, expect.stringMatching(/pass +SHA512/)]);
      const wrong = await cli(['verify', '--image', hybrid, '--checksums-file', path.join(dir, 'WRONG')]);
      expect([wrong.code, row(wrong.out, 'checksums')]).toEqual([
        1,
        expect.stringMatching(/FAIL +SHA256 of hybrid.iso is/)
      ]);
      const size = readFileSync(hybrid).length;
      expect((await cli(['verify', '--image', hybrid, '--max-size', String(size)])).code).toBe(0);
      const over = await cli(['verify', '--image', hybrid, '--max-size', String(size - 1)]);
      expect([over.code, row(over.out, 'max-size')]).toEqual([1, expect.stringMatching(/FAIL/)]);
      const missing = await cli(['verify', '--image', hybrid, '--checksums-file', path.join(dir, 'NOPE')]);
      expect([missing.code, missing.out]).toEqual([1, '']);
      expect(missing.err).toMatch(/^isoforge: --checksums-file .*NOPE: does not exist\n$/);
    });

    test('OpenPGP signature made by gpg, minisign signatures (prehashed and legacy)', async () => {
      const home = path.join(t.dir, 'gnupg');
      sh('mkdir', ['-m', '700', home]);
      const env = { ...process.env, GNUPGHOME: home };
      sh(
        'gpg',
        [
          '--batch',
          '--passphrase',
          '',
          '--quick-gen-key',
          'Verify Test <v@example.org>',
          'ed25519',
          'sign',
          'never'
        ],
        { env }
      );
      const pub = path.join(t.dir, 'key.asc');
      writeFileSync(pub, sh('gpg', ['--armor', '--export'], { env }));
      sh('gpg', ['--batch', '--yes', '--armor', '--detach-sign', '-o', `${hybrid}.asc`, hybrid], { env });
      const good = await cli(['verify', '--image', hybrid, '--gpg-public-key', pub]);
      expect([good.code, row(good.out, 'signature (OpenPGP)')]).toEqual([
        0,
        expect.stringMatching(/pass +good OpenPGP signature/)
      ]);
      const inline = await cli(['verify', '--image', hybrid, '--gpg-public-key', readFileSync(pub, 'utf8')]);
      expect(inline.code).toBe(0);
      const other = await cli([
        'verify',
        '--image',
        plain,
        '--gpg-public-key',
        pub,
        '--signature',
        `${hybrid}.asc`
      ]);
      expect([other.code, row(other.out, 'signature (OpenPGP)')]).toEqual([1, expect.stringMatching(/FAIL/)]);

      const mpub = path.join(t.dir, 'm.pub');
      const msec = path.join(t.dir, 'm.key');
      sh('minisign', ['-G', '-W', '-p', mpub, '-s', msec]);
      sh('minisign', ['-S', '-s', msec, '-m', hybrid, '-x', `${hybrid}.minisig`]);
      const m1 = await cli(['verify', '--image', hybrid, '--minisign-public-key', mpub]);
      expect([m1.code, row(m1.out, 'signature (minisign)')]).toEqual([
        0,
        expect.stringMatching(/pass +good minisign/)
      ]);
      const key = readFileSync(mpub, 'utf8').split('\n')[1];
      sh('minisign', ['-S', '-l', '-s', msec, '-m', plain, '-x', path.join(t.dir, 'legacy.minisig')]);
      const m2 = await cli([
        'verify',
        '--image',
        plain,
        '--minisign-public-key',
        key,
        '--signature',
        path.join(t.dir, 'legacy.minisig')
      ]);
      expect(m2.code).toBe(0);
      const m3 = await cli([
        'verify',
        '--image',
        plain,
        '--minisign-public-key',
        mpub,
        '--signature',
        `${hybrid}.minisig`
      ]);
      expect([m3.code, row(m3.out, 'signature (minisign)')]).toEqual([
        1,
        expect.stringMatching(/FAIL +bad minisign signature/)
      ]);
      // a forged trusted comment
      const sig = readFileSync(`${hybrid}.minisig`, 'utf8').replace(
        /^trusted comment: .*$/m,
        'trusted comment: forged'
      );
      writeFileSync(path.join(t.dir, 'forged.minisig'), sig);
      const m4 = await cli([
        'verify',
        '--image',
        hybrid,
        '--minisign-public-key',
        mpub,
        '--signature',
        path.join(t.dir, 'forged.minisig')
      ]);
      expect(row(m4.out, 'signature (minisign)')).toMatch(
        /FAIL +the minisign trusted comment signature is bad/
      );
    });

    test('an implanted MD5 (isoforge --implant-md5) is checked as checkisomd5 does', async () => {
      const src = path.join(t.dir, 'md5src');
      mkdirSync(src);
      writeFileSync(path.join(src, 'payload.bin'), bytes(200_000, 8));
      const iso = path.join(t.dir, 'md5.iso');
      await buildWith({ source: src, output: iso, 'implant-md5': 'true' });
      expect(run('checkisomd5', [iso], { input: '' }).status).toBe(0);
      const r = await cli(['verify', '--image', iso]);
      expect([r.code, row(r.out, 'implanted MD5')]).toEqual([
        0,
        expect.stringMatching(/pass +implanted MD5 [0-9a-f]{32} matches/)
      ]);
      const data = readFileSync(iso);
      data[data.length - 40 * 2048] ^= 1; // inside the covered range, in file data
      writeFileSync(iso, data);
      expect(run('checkisomd5', [iso], { input: '' }).status).toBe(1);
      const bad = await cli(['verify', '--image', iso]);
      expect([bad.code, row(bad.out, 'implanted MD5')]).toEqual([1, expect.stringMatching(/FAIL/)]);
    });

    test('inspect: a readable report and the manifest as JSON', async () => {
      const r = await cli(['inspect', hybrid]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/volume +"VERIFY_ME"/);
      expect(r.out).toMatch(/boot +bios +isolinux\/isolinux.bin/);
      expect(r.out).toMatch(/partition +(mbr|gpt)/);
      expect(r.out).toMatch(/0644 +100000 +data.bin/);
      const j = await cli(['inspect', hybrid, '--json']);
      const m = JSON.parse(j.out) as Manifest;
      const built = JSON.parse(readFileSync(`${hybrid}.manifest.json`, 'utf8')) as Manifest;
      expect(m.entries).toEqual(built.entries);
      expect(m.boot.map(b => [b.platform, b.lba])).toEqual(built.boot.map(b => [b.platform, b.lba]));
      // xorriso reports the same El Torito entries
      const x = run('xorriso', ['-indev', hybrid, '-report_el_torito', 'plain']);
      for (const b of m.boot)
        expect(x.stdout).toMatch(
          new RegExp(`El Torito boot img :\\s+\\d+\\s+${b.platform === 'bios' ? 'BIOS' : 'UEFI'}`)
        );
    });
  }
);
