/**
 * The writer's windows and its output file: the same bytes whatever the window size, whether the
 * image goes around the page cache or through it, and whether the hash workers or libuv's pool read
 * the files; files read in parts across window boundaries are placed, padded and hashed exactly; an
 * all-zero window stays a hole; a file that changes after the scan fails the build on either path.
 */
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import { buildImage, type DigestJob, type ImageOptions, type ImageResult } from '../src/image/build.js';
import type { ImageExtension } from '../src/image/extension.js';
import { ImageOutput, readInOrder } from '../src/image/output.js';
import { FillPace } from '../src/image/io-tuning.js';
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

async function build(name: string, extra: Partial<ImageOptions>): Promise<ImageResult> {
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

test('small windows, direct or buffered output, workers or pool reading: identical images, exact digests', async () => {
  const a = await build('a.iso', {});
  const b = await build('b.iso', { directIo: false, windowSize: 64 * 1024 });
  const c = await build('c.iso', { directIo: true, windowSize: 6 * 2048 });
  const d = await build('d.iso', { reads: 'pool', windowSize: 64 * 1024 });
  const e = await build('e.iso', { reads: 'pool' });
  const img = readFileSync(a.output);
  expect(img.length).toBe(a.size);
  for (const r of [b, c, d, e]) {
    expect(readFileSync(r.output).equals(img)).toBe(true);
    expect(r.digests.sha256).toBe(a.digests.sha256);
  }
  expect(a.digests.sha256).toBe(sha256(img));
  for (const r of [a, b, c, d, e]) {
    SIZES.forEach((n, i) => {
      const p = `d/f${i}.bin`;
      const want = bytes(n, i + 1);
      const f = r.plan.file(p)!;
      expect(r.fileDigests.get(f)).toBe(sha256(want));
      // the file's bytes sit at its block, followed by zeros to the end of its last block
      const at = f.lba * 2048;
      expect(img.subarray(at, at + n).equals(want)).toBe(true);
      const pad = img.subarray(at + n, at + Math.ceil(n / 2048) * 2048);
      expect(pad.every(x => x === 0)).toBe(true);
    });
  }
});

test('digest jobs: continued on the image worker or on one of their own, and plain ones', async () => {
  const suffixes = [Buffer.from('signature head'), Buffer.alloc(0), Buffer.alloc(100000, 7)];
  let asked = 0;
  // on the image worker's SHA-256, continued (OpenPGP); on a worker of their own: BLAKE2b-512
  // (minisign), and a SHA-512 continued though the image's digests do not include it
  const pgp: DigestJob = { algorithm: 'sha256', continueWith: () => (asked++, suffixes) };
  const mini: DigestJob = { algorithm: 'blake2b512' };
  const other: DigestJob = { algorithm: 'sha512', continueWith: () => suffixes.slice(0, 1) };
  const r = await build('continued.iso', { digests: ['sha256'], digestJobs: [pgp, mini, other] });
  const img = readFileSync(r.output);
  const digest = (alg: string, ...parts: Buffer[]) => {
    const h = createHash(alg);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
  expect(asked).toBe(1);
  expect(r.digests.sha256).toBe(sha256(img));
  expect(r.digests.sha512).toBeUndefined();
  expect(r.jobs.get(pgp)!.digest.toString('hex')).toBe(sha256(img));
  expect(r.jobs.get(pgp)!.continued.map(d => d.toString('hex'))).toEqual(
    suffixes.map(x => digest('sha256', img, x))
  );
  expect(r.jobs.get(mini)!.digest.toString('hex')).toBe(digest('blake2b512', img));
  expect(r.jobs.get(mini)!.continued).toEqual([]);
  expect(r.jobs.get(other)!.digest.toString('hex')).toBe(digest('sha512', img));
  expect(r.jobs.get(other)!.continued.map(d => d.toString('hex'))).toEqual([
    digest('sha512', img, suffixes[0])
  ]);
  // without jobs, none are made
  const plain = await build('plain.iso', {});
  expect(plain.jobs.size).toBe(0);
  rmSync(r.output);
  rmSync(plain.output);
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

test('readInOrder: a whole file in order, around the page cache or through it, in small chunks', async () => {
  const data = bytes(5 * 65536 + 2048 + 17, 9);
  const dirs = [t.dir, ...(existsSync('/dev/shm') ? ['/dev/shm'] : [])]; // tmpfs may refuse O_DIRECT
  for (const dir of dirs) {
    const file = path.join(dir, `isoforge-ordered-${process.pid}.bin`);
    writeFileSync(file, data);
    try {
      // where an image could be written around the page cache, it is read back that way too
      const probe = ImageOutput.open(`${file}.probe`, { direct: true });
      const canDirect = probe.isDirect;
      probe.abandon();
      rmSync(`${file}.probe`);
      for (const direct of [true, false]) {
        const chunks: Buffer[] = [];
        const r = await readInOrder(file, c => chunks.push(Buffer.from(c)), {
          direct,
          chunk: 65536,
          inflight: 3
        });
        expect(r.direct).toBe(direct && canDirect);
        expect(chunks.map(c => c.length)).toEqual([65536, 65536, 65536, 65536, 65536, 2048 + 17]);
        expect(Buffer.concat(chunks).equals(data)).toBe(true);
      }
    } finally {
      rmSync(file);
    }
  }
  await expect(readInOrder(path.join(t.dir, 'missing.bin'), () => undefined)).rejects.toThrow(/ENOENT/);
});

test('an output that exists is never opened for writing', () => {
  const p = path.join(t.dir, 'exists.bin');
  writeFileSync(p, 'keep');
  expect(() => ImageOutput.open(p)).toThrow(/EEXIST/);
  expect(readFileSync(p, 'utf8')).toBe('keep');
});

const READS = ['sync', 'pool'] as const;
const GROW_CASES = [
  ['a whole number of blocks (separate end probe)', 4096],
  ['in two read parts over several windows', 2 * 1024 * 1024 + 777],
  ['ending inside a block (end checked by the read itself)', 3000]
] as const;

test.each(READS.flatMap(reads => GROW_CASES.map(([what, size]) => [reads, what, size] as const)))(
  'a file that grows after the scan fails the build (%s reading): %s',
  async (reads, _, size) => {
    const dir = path.join(t.dir, `grow-${reads}-${size}`);
    mkdirSync(dir);
    const file = path.join(dir, 'f.bin');
    writeFileSync(file, bytes(size, 9));
    const output = path.join(t.dir, `grow-${reads}-${size}.iso`);
    await expect(
      buildImage({
        source: dir,
        output,
        volumeId: 'GROW',
        joliet: false,
        rockRidge: true,
        windowSize: 64 * 1024,
        reads,
        extensions: [{ name: 'grow', prepare: () => appendFileSync(file, 'x') }]
      })
    ).rejects.toThrow(`f.bin: grew beyond ${size} bytes during the build`);
    expect(existsSync(output)).toBe(false);
  }
);

test.each(READS)('a file that shrinks after the scan fails the build (%s reading)', async reads => {
  const dir = path.join(t.dir, `shrink-${reads}`);
  mkdirSync(dir);
  const file = path.join(dir, 'f.bin');
  writeFileSync(file, bytes(200_000, 4));
  const output = path.join(t.dir, `shrink-${reads}.iso`);
  await expect(
    buildImage({
      source: dir,
      output,
      volumeId: 'SHRINK',
      joliet: false,
      rockRidge: true,
      windowSize: 64 * 1024,
      reads,
      extensions: [{ name: 'shrink', prepare: () => writeFileSync(file, bytes(70_000, 4)) }]
    })
  ).rejects.toThrow('f.bin: shrank from 200000 to 70000 bytes during the build');
  expect(existsSync(output)).toBe(false);
});

test.each(READS)('a read that fails (%s reading) names the file and leaves no output', async reads => {
  // the scan saw a file; by the time it is read, a directory stands at its path (open works, read fails)
  const dir = path.join(t.dir, `eisdir-${reads}`);
  mkdirSync(dir);
  const file = path.join(dir, 'f.bin');
  writeFileSync(file, bytes(5000, 3));
  const output = path.join(t.dir, `eisdir-${reads}.iso`);
  const swap = () => {
    rmSync(file);
    mkdirSync(file);
  };
  await expect(
    buildImage({
      source: dir,
      output,
      volumeId: 'EISDIR',
      joliet: false,
      rockRidge: true,
      reads,
      extensions: [{ name: 'swap', prepare: swap }]
    })
  ).rejects.toThrow(/^cannot read .*f\.bin: EISDIR/);
  expect(existsSync(output)).toBe(false);
  expect(statSync(file).isDirectory()).toBe(true);
});

test('reads move to the pool after 3 slow windows in the last 8, not after one', () => {
  const MiB = 1024 * 1024;
  const pace = new FillPace();
  // from memory: 4 MiB of one file in 1.4 ms, 75 small files in 1.5 ms
  for (let i = 0; i < 50; i++) pace.record(1.4, 4 * MiB, 1);
  for (let i = 0; i < 50; i++) pace.record(1.5, 4 * MiB, 75);
  expect(pace.slow).toBe(false);
  // a preempted worker now and then: one slow window in every 8
  for (let i = 0; i < 40; i++) pace.record(i % 8 === 0 ? 30 : 1.5, 4 * MiB, 75);
  expect(pace.slow).toBe(false);
  // two slow windows close together are still not enough
  pace.record(40, 4 * MiB, 75);
  pace.record(40, 4 * MiB, 75);
  expect(pace.slow).toBe(false);
  for (let i = 0; i < 8; i++) pace.record(1.5, 4 * MiB, 75);
  // a cold disk: one file at 470 MB/s (8.9 ms per 4 MiB > 6.1 ms allowed)
  for (let i = 0; i < 2; i++) pace.record(8.9, 4 * MiB, 1);
  expect(pace.slow).toBe(false);
  pace.record(8.9, 4 * MiB, 1);
  expect(pace.slow).toBe(true);
  // and it stays with the pool
  pace.record(1, 4 * MiB, 1);
  expect(pace.slow).toBe(true);

  // small files with a seek each (1 ms apiece) trip it too
  const seeks = new FillPace();
  for (let i = 0; i < 3; i++) seeks.record(75, 4 * MiB, 75);
  expect(seeks.slow).toBe(true);
});

test('zero padding longer than a window: the windows after its first are zeros too', async () => {
  // the zero writer's piece has no bytes of its own; every window it spans is filled with zeros
  const pad: ImageExtension = { name: 'pad', padding: { bytes: 300 * 1024, align: 32 * 1024 } };
  const small = await build('padded-small.iso', { extensions: [pad], windowSize: 64 * 1024 });
  const whole = await build('padded-whole.iso', { extensions: [pad] });
  const img = readFileSync(small.output);
  expect(img.equals(readFileSync(whole.output))).toBe(true);
  expect(img.length % (32 * 1024)).toBe(0);
  const volumeEnd = small.plan.volumeBlocks * 2048;
  expect(img.length - volumeEnd).toBeGreaterThanOrEqual(300 * 1024);
  expect(img.subarray(volumeEnd).every(x => x === 0)).toBe(true);
  rmSync(small.output);
  rmSync(whole.output);
});
