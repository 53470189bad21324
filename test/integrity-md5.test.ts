/**
 * The implanted MD5 against isomd5sum itself (implantisomd5 on a copy must give the same bytes;
 * checkisomd5 says PASS, and FAIL after one changed byte), the checksum-file merge against
 * sha256sum, and the manifest's serialization. Builds through buildImage + prepareIntegrity
 * exactly as src/pipeline.ts wires them, without boot extensions.
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  openSync,
  readSync,
  writeSync,
  closeSync
} from 'node:fs';
import * as path from 'node:path';
import type { BuildConfig } from '../src/config.js';
import { buildImage } from '../src/image/build.js';
import {
  mergeChecksumFile,
  parseManifest,
  prepareIntegrity,
  serializeManifest
} from '../src/integrity/index.js';
import { scryptParams } from '../src/integrity/minisign.js';
import { DEFAULT_IDS } from '../src/image/labels.js';
import { MemoryLogger } from '../src/log.js';
import { buildWith } from './support/build.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

function config(source: string, output: string, extra: Partial<BuildConfig> = {}): BuildConfig {
  return {
    source,
    output,
    volumeId: 'MD5',
    ids: DEFAULT_IDS,
    joliet: true,
    rockRidge: true,
    epoch: 1_700_000_000,
    biosBoot: [],
    biosBootLoadSize: 4,
    bootInfoTable: true,
    grub2BootInfo: false,
    uefiBoot: [],
    uefiBootSize: undefined,
    boot: [],
    appendPartition: [],
    bootCatalog: 'boot.catalog',
    bootCatalogHide: false,
    hybrid: undefined,
    mbrTemplate: undefined,
    mbrKind: 'auto',
    checksums: ['sha256'],
    checksumFormat: 'gnu',
    manifest: true,
    implantMd5: false,
    directIo: true,
    gpgPrivateKey: undefined,
    gpgPassphrase: undefined,
    minisignPrivateKey: undefined,
    minisignPassword: undefined,
    attest: false,
    maxSize: undefined,
    ...extra
  };
}

/** What runBuild does, minus boot. */
async function build(c: BuildConfig) {
  const log = new MemoryLogger();
  const integrity = await prepareIntegrity(c, log);
  const image = await buildImage({
    source: c.source,
    output: c.output,
    volumeId: c.volumeId,
    joliet: c.joliet,
    rockRidge: c.rockRidge,
    epoch: c.epoch,
    log,
    digests: integrity.digests,
    taps: integrity.taps,
    finish: integrity.finish
  });
  const sidecars = await integrity.publish(image);
  return { image, sidecars, log };
}

function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  b[0] ^= 0xff;
  writeSync(fd, b, 0, 1, offset);
  closeSync(fd);
}

describeWith(['implantisomd5', 'checkisomd5', 'sha256sum'], 'implant-md5 matches isomd5sum', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('isoforge-md5-');
  });
  afterAll(() => tmp?.cleanup());

  test.each([
    ['40 MiB (several 16 MiB sink buffers)', 40 * 1024 * 1024 + 12345],
    ['small (fragments shorter than a 32 KiB read)', 40 * 1024],
    ['just under 21 reads', 21 * 32768 - 40 * 2048]
  ])(
    '%s: same bytes as implantisomd5, checkisomd5 PASS, one byte changed → FAIL',
    async (name, bytes) => {
      const dir = path.join(tmp.dir, name.split(' ')[0]);
      const src = path.join(dir, 'src');
      mkdirSync(src, { recursive: true });
      const data = Buffer.alloc(bytes);
      for (let i = 0; i < bytes; i++) data[i] = (i * 31 + (i >> 9)) & 0xff;
      writeFileSync(path.join(src, 'data.bin'), data);
      writeFileSync(path.join(src, 'a.txt'), 'a\n');

      const plain = path.join(dir, 'plain.iso');
      await build(config(src, plain, { manifest: false, checksums: [] }));
      const ref = path.join(dir, 'ref.iso');
      copyFileSync(plain, ref);
      sh('implantisomd5', [ref]);

      const ours = path.join(dir, 'ours.iso');
      const r = await build(config(src, ours, { implantMd5: true, checksums: ['sha256', 'sha512'] }));
      const big = bytes > 1024 * 1024;
      // implantisomd5 appends fragment sums; when a fragment is shorter than its 32 KiB read
      // (images under ~700 KiB) slots are skipped and checkisomd5 fails its own image. Ours places
      // each sum where checkisomd5 reads it: identical bytes otherwise.
      expect(readFileSync(ours).equals(readFileSync(ref))).toBe(big);
      expect(run('checkisomd5', ['--verbose', ours], { input: '' }).status).toBe(0);
      expect(run('checkisomd5', ['--verbose', ref], { input: '' }).status).toBe(big ? 0 : 1);
      // the digests cover the implanted bytes
      expect(r.image.digests.sha256).toBe(sh('sha256sum', [ours]).split(' ')[0]);
      expect(r.image.digests.sha512).toBe(sh('sha512sum', [ours]).split(' ')[0]);
      expect(readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')).toBe(
        `${r.image.digests.sha256}  ours.iso\n`
      );
      expect(r.sidecars.manifest.image.md5Implanted).toBe(true);
      {
        const m = r.sidecars.manifest.entries.find(e => e.path === 'data.bin')!;
        // (the last 15 sectors are outside the implanted MD5 by design)
        flipByte(ours, m.lba! * 2048 + 10);
        expect(run('checkisomd5', [ours], { input: '' }).status).toBe(1);
      }
    },
    120_000
  );
});

describeWith(
  ['checkisomd5', 'xorriso'],
  'implant-md5 on a hybrid image (superblock copy at the partition offset)',
  () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeAll(() => {
      tmp = tempDir('isoforge-md5h-');
    });
    afterAll(() => tmp?.cleanup());

    test('checkisomd5 PASS on the disk; the copy at block 32 keeps a blank field (as implantisomd5 leaves it)', async () => {
      const src = path.join(tmp.dir, 'src');
      mkdirSync(path.join(src, 'EFI', 'BOOT'), { recursive: true });
      writeFileSync(path.join(src, 'EFI', 'BOOT', 'BOOTX64.EFI'), Buffer.alloc(64 * 1024, 0x90));
      writeFileSync(path.join(src, 'data.bin'), Buffer.alloc(1024 * 1024, 0x61));
      const iso = path.join(tmp.dir, 'h.iso');
      const r = await buildWith({ source: src, output: iso, 'uefi-boot': 'EFI', 'implant-md5': 'true' });
      expect(r.sidecars.manifest.partitions.length).toBeGreaterThan(0);
      expect(run('checkisomd5', [iso], { input: '' }).status).toBe(0);
      const img = readFileSync(iso);
      const field = (block: number) =>
        img.subarray(block * 2048 + 883, block * 2048 + 883 + 512).toString('latin1');
      expect(field(16)).toMatch(/^ISO MD5SUM = [0-9a-f]{32};SKIPSECTORS = 15;/);
      expect(img[32 * 2048]).toBe(1); // the PVD copy (ECMA-119 8.4.1 type 1) at the partition offset
      expect(field(32)).toBe(' '.repeat(512));
      // xorriso still loads both the image and the partition's copy of the tree
      expect(run('xorriso', ['-indev', iso, '-find', '/data.bin']).status).toBe(0);
    }, 120_000);
  }
);

describeWith(['sha256sum', 'sha512sum'], 'checksum files', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('isoforge-sums-');
  });
  afterAll(() => tmp?.cleanup());

  test('merge keeps other lines in order, replaces ours, escapes odd names like coreutils', () => {
    const dir = tmp.dir;
    const names = ['one.iso', 'two words.iso', 'back\\slash.iso', 'three.iso'];
    for (const n of names) writeFileSync(path.join(dir, n), `content of ${n}\n`);
    // a file as sha256sum writes it (GNU, binary marker, escaped name), then ours merged in
    const initial = sh('sha256sum', ['-b', 'one.iso', 'back\\slash.iso', 'two words.iso'], { cwd: dir });
    writeFileSync(path.join(dir, 'two words.iso'), 'changed\n');
    const hex = (n: string) => sh('sha256sum', [n], { cwd: dir }).replace(/^\\/, '').split(' ')[0];
    let text = mergeChecksumFile(initial, 'sha256', hex('two words.iso'), 'two words.iso', 'gnu');
    text = mergeChecksumFile(text, 'sha256', hex('three.iso'), 'three.iso', 'gnu');
    text = mergeChecksumFile(text, 'sha256', hex('back\\slash.iso'), 'back\\slash.iso', 'gnu');
    writeFileSync(path.join(dir, 'SUMS'), text);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(initial.split('\n')[0]);
    expect(lines[1]).toBe(`\\${hex('back\\slash.iso')}  back\\\\slash.iso`);
    expect(lines[2]).toBe(`${hex('two words.iso')}  two words.iso`);
    expect(lines[3]).toBe(`${hex('three.iso')}  three.iso`);
    const c = run('sha256sum', ['-c', '--strict', 'SUMS'], { cwd: dir });
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
    const bsd = mergeChecksumFile(undefined, 'sha256', hex('one.iso'), 'one.iso', 'bsd');
    expect(bsd).toBe(sh('sha256sum', ['--tag', 'one.iso'], { cwd: dir }));
  });

  test('manifest: stable text, one entry per line, parse validates', async () => {
    const src = path.join(tmp.dir, 'mtree');
    mkdirSync(path.join(src, 'd'), { recursive: true });
    writeFileSync(path.join(src, 'd', 'f'), 'f\n');
    writeFileSync(path.join(src, 'g'), 'g\n');
    const out = path.join(tmp.dir, 'm.iso');
    const r = await build(config(src, out));
    const text = readFileSync(`${out}.manifest.json`, 'utf8');
    expect(text).toBe(serializeManifest(r.sidecars.manifest));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r.sidecars.manifest)));
    const lines = text.split('\n');
    expect(lines.filter(l => l.startsWith('    {"path": '))).toHaveLength(3);
    expect(lines.find(l => l.includes('"d/f"'))).toBe(
      `    {"path": "d/f", "type": "file", "size": 2, "mode": "0644", "sha256": "${sh('sha256sum', [path.join(src, 'd', 'f')]).split(' ')[0]}", "lba": ${r.sidecars.manifest.entries.find(e => e.path === 'd/f')!.lba}},`
    );
    // rebuilding gives the same bytes
    const again = await build(config(src, path.join(tmp.dir, 'm2.iso')));
    expect(
      serializeManifest({
        ...again.sidecars.manifest,
        image: { ...again.sidecars.manifest.image, name: 'm.iso' }
      })
    ).toBe(text);
    expect(() => parseManifest('{', 'x.json')).toThrow(/^x\.json: not a manifest \(not JSON/);
    expect(() => parseManifest(JSON.stringify({ schema: 'other/2' }), 'x.json')).toThrow(/schema "other\/2"/);
    const bad = JSON.parse(text);
    bad.entries[0].sha256 = 'xyz';
    expect(() => parseManifest(JSON.stringify(bad), 'x.json')).toThrow(/entries\[0\]: "sha256"/);
    // no manifest when asked
    await build(config(src, path.join(tmp.dir, 'n.iso'), { manifest: false }));
    expect(run('ls', [path.join(tmp.dir, 'n.iso.manifest.json')]).status).not.toBe(0);
  });

  test('scrypt parameters as libsodium picks them for minisign keys', () => {
    // minisign -G stores opslimit 2^25 and memlimit 2^30 (crypto_pwhash_scryptsalsa208sha256 SENSITIVE)
    expect(scryptParams(2 ** 25, 2 ** 30)).toEqual({ N: 2 ** 20, r: 8, p: 1 });
    expect(scryptParams(2 ** 19, 2 ** 24)).toEqual({ N: 2 ** 14, r: 8, p: 1 });
  });
});
