/**
 * verify's one read of the image runs on two worker threads that hand windows to each other
 * (src/read/image-pass.ts, pass-worker.ts): an image that ends early, an abort and a main thread
 * busy meanwhile must each end the pass as the single-threaded pass did.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readImage } from '../src/read/image.js';
import { hashImageOnce } from '../src/read/image-pass.js';
import { readManifest } from '../src/read/manifest.js';
import { buildWith } from './support/build.js';
import { tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const t = tempDir();
afterAll(() => t.cleanup());
const MiB = 1024 * 1024;

let image: string;
beforeAll(async () => {
  const src = path.join(t.dir, 'src');
  mkdirSync(src);
  writeFileSync(path.join(src, 'big.bin'), bytes(20 * MiB + 5, 1));
  for (let i = 0; i < 30; i++) writeFileSync(path.join(src, `f${i}.dat`), bytes(1000 + i * 7919, 2 + i));
  image = path.join(t.dir, 'x.iso');
  await buildWith({ source: src, output: image, 'source-date-epoch': '1700000000' });
});

test.each([
  ['with the image digests', ['sha256'] as const],
  ['files only', [] as const]
])('an image that shrinks before the pass ends it naming the image (%s)', async (_, algorithms) => {
  const copy = path.join(t.dir, `shrunk-${algorithms.length}.iso`);
  copyFileSync(image, copy);
  const img = await readImage(copy);
  try {
    truncateSync(copy, 9 * MiB + 100);
    await expect(hashImageOnce(img, [...algorithms], { windowSize: 4 * MiB })).rejects.toThrow(
      `image ${copy}: image: the image ended while reading (truncated?)`
    );
  } finally {
    await img.source.close();
  }
});

test('an abort ends the pass at once, its threads ended before it settles', async () => {
  // 3 GiB of zeros after the image (sparse): a whole pass is seconds of SHA-256 on two threads
  const big = path.join(t.dir, 'big.iso');
  copyFileSync(image, big);
  truncateSync(big, 3 * 1024 * MiB);
  const img = await readImage(big);
  try {
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 100);
    await expect(hashImageOnce(img, ['sha256'], { signal: stop.signal })).rejects.toThrow(/abort/i);
    // the rejection waits for both threads' exit: a thread left hashing would take seconds
    expect(Date.now() - started).toBeLessThan(1500);
  } finally {
    await img.source.close();
  }
});

test("a main thread busy meanwhile (a manifest's parse) does not change the digests", async () => {
  const img = await readImage(image);
  try {
    const alone = await readManifest(img);
    const passing = hashImageOnce(img, ['sha256', 'sha512'], { windowSize: 1 * MiB });
    // ~300 ms of this thread's time while the threads hash
    const until = Date.now() + 300;
    while (Date.now() < until) JSON.parse(JSON.stringify(alone));
    const together = await readManifest(img, { digests: passing.then(p => p.files) });
    expect(together).toEqual(alone);
    const data = readFileSync(image);
    expect((await passing).digests).toEqual({
      sha256: createHash('sha256').update(data).digest('hex'),
      sha512: createHash('sha512').update(data).digest('hex')
    });
  } finally {
    await img.source.close();
  }
});
