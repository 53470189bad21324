/**
 * What a build holds per file for the manifest until the image is written: each file's SHA-256 as
 * 32 raw bytes in slabs, found by the file's first block (the files finish in block order). The
 * hash worker answers a window with the finished files' indices in it and their raw digests; it
 * used to send back a copy of every path and a 64-character hex string, kept in a Map until the
 * manifest was written (~150 bytes per file more; a million small files: 747 bytes of RSS per file
 * against the 700 asked), and then a Map from a path string per file (~110 bytes more).
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { FileDigests } from '../src/image/file-digests.js';
import { HashWorker, type FileRange } from '../src/image/hasher.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

test("FileDigests: hex by a file's block across slabs; blocks out of order are refused", () => {
  const d = new FileDigests();
  const n = 70000; // three slabs of 32,768
  const all = Buffer.concat(Array.from({ length: n }, (_, i) => sha256(Buffer.from(`f${i}`))));
  // files of one to three blocks, as a build lays them out, up to past 2^31
  const block = (i: number) => (i === n - 1 ? 2 ** 32 - 1 : 40 + 3 * i + (i % 3));
  for (let i = 0; i < n; i++) d.add(block(i), all, i * 32);
  expect(d.size).toBe(n);
  for (const i of [0, 1, 2, 32767, 32768, 65536, n - 2, n - 1])
    expect(d.get({ lba: block(i) })).toBe(all.toString('hex', i * 32, i * 32 + 32));
  expect(d.get({ lba: block(5) })).toBeDefined();
  for (const lba of [0, 39, block(4) + 1, block(n - 2) + 1]) expect(d.get({ lba })).toBeUndefined();
  expect(() => d.add(block(5), all, 0)).toThrow(/internal: the digest of block 57 after/);
  expect(d.size).toBe(n);
});

/** Every string anywhere in a message. */
function strings(x: unknown, out: string[] = []): string[] {
  if (typeof x === 'string') out.push(x);
  else if (Array.isArray(x)) x.forEach(v => strings(v, out));
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x))
    Object.values(x).forEach(v => strings(v, out));
  return out;
}

test('the worker answers a window with indices and raw digests, not the paths and hex again', async () => {
  const files = ['a/one.txt', 'a/two.bin', 'b/three-spanning-two-windows.dat'];
  const data = files.map((f, i) => Buffer.alloc(3000 + 1000 * i, f));
  const sab = new SharedArrayBuffer(8192);
  const win = Buffer.from(sab);
  const hw = new HashWorker([]);
  const replies: unknown[] = [];
  (hw as unknown as { worker: Worker }).worker.on('message', m => replies.push(m));
  try {
    // window 1: one, two, the first 1,000 bytes of three; window 2: the rest of three
    data[0].copy(win, 0);
    data[1].copy(win, 3000);
    data[2].copy(win, 7000, 0, 1000);
    const blocks = [20, 22, 30];
    const first: FileRange[] = [
      { block: blocks[0], start: 0, end: 3000, last: true },
      { block: blocks[1], start: 3000, end: 7000, last: true },
      { block: blocks[2], start: 7000, end: 8000, last: false }
    ];
    await hw.submit(sab, 0, 8000, first);
    data[2].copy(win, 0, 1000);
    await hw.submit(sab, 0, 4000, [{ block: blocks[2], start: 0, end: 4000, last: true }]);
    blocks.forEach((lba, i) => expect(hw.fileDigests.get({ lba })).toBe(sha256(data[i]).toString('hex')));
    expect(replies).toHaveLength(2);
    const said = replies.flatMap(r => strings(r));
    for (const f of files) expect(said).not.toContain(f);
    expect(said.filter(s => /^[0-9a-f]{64}$/.test(s))).toEqual([]);
  } finally {
    await hw.close();
  }
});
