/**
 * verify --manifest with --checksums-file reads the image once (src/read/image-pass.ts): the image
 * digests and every file's SHA-256 come from the same windows. Counted by the kernel: the bytes
 * this process read (/proc/self/io rchar, all threads) while verify ran.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryLogger } from '../src/log.js';
import type { Manifest } from '../src/manifest.js';
import { readImage } from '../src/read/image.js';
import { hashImageOnce } from '../src/read/image-pass.js';
import { readManifest } from '../src/read/manifest.js';
import { runVerify, type VerifyConfig } from '../src/read/verify.js';
import { buildWith } from './support/build.js';
import { tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const t = tempDir();
afterAll(() => t.cleanup());
const MiB = 1024 * 1024;

const readBytes = () => Number(/^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))![1]);

let image: string;
beforeAll(async () => {
  const src = path.join(t.dir, 'src');
  mkdirSync(path.join(src, 'd'), { recursive: true });
  writeFileSync(path.join(src, 'big.bin'), bytes(24 * MiB + 77, 3));
  for (let i = 0; i < 40; i++) writeFileSync(path.join(src, 'd', `f${i}.dat`), bytes(100 + i * 3001, 10 + i));
  writeFileSync(path.join(src, 'empty'), '');
  linkSync(path.join(src, 'd', 'f7.dat'), path.join(src, 'hard.dat'));
  image = path.join(t.dir, 'out', 'x.iso');
  mkdirSync(path.dirname(image));
  await buildWith({
    source: src,
    output: image,
    checksums: 'sha256,sha512',
    'source-date-epoch': '1700000000'
  });
});

const config = (over: Partial<VerifyConfig> = {}): VerifyConfig => ({
  image,
  expectBoot: [],
  manifest: true,
  checksumsFile: path.join(t.dir, 'out', 'SHA256SUMS'),
  bootTest: [],
  bootMedia: [],
  bootTimeout: 60,
  bootMemory: 1024,
  ...over
});

test('the manifest and checksums checks read the image once between them', async () => {
  const size = readFileSync(image).length;
  const before = readBytes();
  const r = await runVerify(config(), { log: new MemoryLogger() });
  const read = readBytes() - before;
  expect(r.checks.map(c => [c.name, c.ok])).toEqual([
    ['structure', true],
    ['manifest', true],
    ['checksums', true]
  ]);
  // once: the image, its manifest and sums (before: twice the image, on two threads)
  expect(read).toBeGreaterThanOrEqual(size);
  expect(read).toBeLessThan(1.1 * size);
});

test('one pass gives the same digests as hashing each file and the image on its own, in windows that cut extents', async () => {
  const img = await readImage(image);
  try {
    const data = readFileSync(image);
    for (const windowSize of [5000, 2048 * 3 + 1, 8 * MiB]) {
      const pass = await hashImageOnce(img, ['sha256', 'sha512'], { windowSize });
      expect(pass.digests).toEqual({
        sha256: createHash('sha256').update(data).digest('hex'),
        sha512: createHash('sha512').update(data).digest('hex')
      });
      const alone: Manifest = await readManifest(img);
      const together = await readManifest(img, { digests: pass.files });
      expect(together).toEqual(alone);
      // every file was hashed in the pass (none left to readManifest): 43 distinct contents
      expect(pass.files.size).toBe(
        new Set(alone.entries.filter(e => e.type === 'file').map(e => e.lba ?? -1)).size
      );
    }
  } finally {
    await img.source.close();
  }
});

test('a changed byte of one file fails the manifest naming it, and the checksums', async () => {
  const m = JSON.parse(readFileSync(`${image}.manifest.json`, 'utf8')) as Manifest;
  const f = m.entries.find(e => e.path === 'd/f20.dat')!;
  const bad = path.join(t.dir, 'out', 'bad.iso');
  writeFileSync(bad, readFileSync(image));
  writeFileSync(`${bad}.manifest.json`, readFileSync(`${image}.manifest.json`));
  writeFileSync(
    path.join(t.dir, 'out', 'BAD.SUMS'),
    readFileSync(path.join(t.dir, 'out', 'SHA256SUMS'), 'utf8').replace(/x\.iso/g, 'bad.iso')
  );
  const fd = openSync(bad, 'r+');
  writeSync(fd, Buffer.from([0xee]), 0, 1, f.lba! * 2048 + 5000);
  closeSync(fd);
  const r = await runVerify(config({ image: bad, checksumsFile: path.join(t.dir, 'out', 'BAD.SUMS') }), {
    log: new MemoryLogger()
  });
  expect(r.checks.map(c => [c.name, c.ok])).toEqual([
    ['structure', true],
    ['manifest', false],
    ['checksums', false]
  ]);
  expect(r.checks[1].detail).toMatch(/^\/?d\/f20\.dat.*: content differs/);
  expect(r.checks[2].detail).toMatch(/^SHA256 of bad\.iso is [0-9a-f]{64}, BAD\.SUMS says/);
});

test("the pass's windows read the image half a page off its page offsets (4K aliasing of the kernel's copy)", async () => {
  const img = await readImage(image);
  const fill = img.source.fill.bind(img.source);
  const distances: number[] = [];
  img.source.fill = (buf, offset, what) => {
    distances.push((((buf.byteOffset - offset) % 4096) + 4096) % 4096);
    return fill(buf, offset, what);
  };
  try {
    const pass = await hashImageOnce(img, ['sha256']);
    expect(pass.digests.sha256).toBe(createHash('sha256').update(readFileSync(image)).digest('hex'));
    // the 24 MiB image in 6 MiB windows: every window's bytes land 2048 bytes off their page offset
    expect(distances.length).toBeGreaterThanOrEqual(4);
    expect(new Set(distances)).toEqual(new Set([2048]));
  } finally {
    await img.source.close();
  }
});
