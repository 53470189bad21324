/**
 * The writer's windows and its output file: the same bytes whatever the window size and whether the
 * image goes around the page cache or through it; files read in parts across window boundaries are
 * placed, padded and hashed exactly; an all-zero window stays a hole.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildImage, type ImageResult } from '../src/image/build.js';
import { ImageOutput } from '../src/image/output.js';
import { bytes } from './support/trees.js';
import { tempDir } from './support/tools.js';

const t = tempDir();
const src = path.join(t.dir, 'src');
afterAll(() => t.cleanup());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// sizes around sectors, read parts (2 MiB) and the 64 KiB windows used below
const SIZES = [1, 2047, 2048, 2049, 65535, 65536, 65537, 2 * 1024 * 1024 + 1, 5 * 1024 * 1024 + 123];

beforeAll(() => {
  mkdirSync(path.join(src, 'd'), { recursive: true });
  SIZES.forEach((n, i) => writeFileSync(path.join(src, 'd', `f${i}.bin`), bytes(n, i + 1)));
  writeFileSync(path.join(src, 'empty'), '');
  writeFileSync(path.join(src, 'zeros.bin'), Buffer.alloc(3 * 1024 * 1024));
});

async function build(name: string, extra: { directIo?: boolean; windowSize?: number }): Promise<ImageResult> {
  return buildImage({
    source: src,
    output: path.join(t.dir, name),
    volumeId: 'WINDOWS',
    joliet: true,
    rockRidge: true,
    epoch: 1700000000,
    ...extra
  });
}

test('small windows, direct or buffered output: identical images, exact digests', async () => {
  const a = await build('a.iso', {});
  const b = await build('b.iso', { directIo: false, windowSize: 64 * 1024 });
  const c = await build('c.iso', { directIo: true, windowSize: 6 * 2048 });
  const img = readFileSync(a.output);
  expect(img.length).toBe(a.size);
  expect(readFileSync(b.output).equals(img)).toBe(true);
  expect(readFileSync(c.output).equals(img)).toBe(true);
  expect(a.digests.sha256).toBe(sha256(img));
  expect(c.digests.sha256).toBe(a.digests.sha256);
  for (const r of [a, b, c]) {
    SIZES.forEach((n, i) => {
      const p = `d/f${i}.bin`;
      const want = bytes(n, i + 1);
      expect(r.fileDigests.get(p)).toBe(sha256(want));
      // the file's bytes sit at its block, followed by zeros to the end of its last block
      const f = r.plan.file(p)!;
      const at = f.lba * 2048;
      expect(img.subarray(at, at + n).equals(want)).toBe(true);
      const pad = img.subarray(at + n, at + Math.ceil(n / 2048) * 2048);
      expect(pad.every(x => x === 0)).toBe(true);
    });
  }
});

test('the output file: positioned windows, zero windows left as holes, length set at close', async () => {
  for (const platform of ['linux', 'darwin'] as const) {
    const p = path.join(t.dir, `out-${platform}.bin`);
    const out = ImageOutput.open(p, { platform });
    if (platform === 'darwin') expect(out.isDirect).toBe(false);
    const w = out.window(1024 * 1024);
    w.buf.fill(7);
    await out.write(w.buf, 0);
    w.buf.fill(0);
    await out.write(w.buf, 1024 * 1024);
    w.buf.fill(9, 0, 4096);
    await out.write(w.buf.subarray(0, 4096), 2 * 1024 * 1024);
    await out.close(2 * 1024 * 1024 + 6144);
    const got = readFileSync(p);
    expect(got.length).toBe(2 * 1024 * 1024 + 6144);
    expect(got.subarray(0, 1024 * 1024).every(x => x === 7)).toBe(true);
    expect(got.subarray(1024 * 1024, 2 * 1024 * 1024).every(x => x === 0)).toBe(true);
    expect(got.subarray(2 * 1024 * 1024, 2 * 1024 * 1024 + 4096).every(x => x === 9)).toBe(true);
    // the zero window and the tail were never written: fewer blocks than the length
    expect(statSync(p).blocks * 512).toBeLessThan(got.length);
  }
});

test('an output that exists is never opened for writing', () => {
  const p = path.join(t.dir, 'exists.bin');
  writeFileSync(p, 'keep');
  expect(() => ImageOutput.open(p)).toThrow(/EEXIST/);
  expect(readFileSync(p, 'utf8')).toBe('keep');
});

test.each([
  ['a whole number of blocks (separate end probe)', 4096],
  ['in two read parts over several windows', 2 * 1024 * 1024 + 777],
  ['ending inside a block (end checked by the read itself)', 3000]
])('a file that grows after the scan fails the build: %s', async (_, size) => {
  const dir = path.join(t.dir, `grow-${size}`);
  mkdirSync(dir);
  const file = path.join(dir, 'f.bin');
  writeFileSync(file, bytes(size, 9));
  const output = path.join(t.dir, `grow-${size}.iso`);
  await expect(
    buildImage({
      source: dir,
      output,
      volumeId: 'GROW',
      joliet: false,
      rockRidge: true,
      windowSize: 64 * 1024,
      extensions: [{ name: 'grow', prepare: () => appendFileSync(file, 'x') }]
    })
  ).rejects.toThrow(`f.bin: grew beyond ${size} bytes during the build`);
  expect(existsSync(output)).toBe(false);
});
