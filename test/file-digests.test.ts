/**
 * What a build holds per file for the manifest until the image is written: each file's SHA-256 as
 * 32 raw bytes in slabs, found by the tree's own path string. The hash worker answers a window
 * with the finished files' indices in it and their raw digests; it used to send back a copy of
 * every path and a 64-character hex string, kept in a Map until the manifest was written (~150
 * bytes per file more; a million small files: 747 bytes of RSS per file against the 700 asked).
 */
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { FileDigests } from '../src/image/file-digests.js';
import { HashWorker, type FileRange } from '../src/image/hasher.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

test('FileDigests: hex by path across slabs, a digest given again replaces the first', () => {
  const d = new FileDigests();
  const n = 70000; // three slabs of 32,768
  const all = Buffer.concat(Array.from({ length: n }, (_, i) => sha256(Buffer.from(`f${i}`))));
  for (let i = 0; i < n; i++) d.add(`d/f${i}`, all, i * 32);
  expect(d.size).toBe(n);
  for (const i of [0, 1, 32767, 32768, 65536, n - 1])
    expect(d.get(`d/f${i}`)).toBe(all.toString('hex', i * 32, i * 32 + 32));
  expect(d.has('d/f5')).toBe(true);
  expect(d.has('d/none')).toBe(false);
  expect(d.get('d/none')).toBeUndefined();
  d.add('d/f5', all, 0);
  expect(d.size).toBe(n);
  expect(d.get('d/f5')).toBe(all.toString('hex', 0, 32));
  expect([...d.entries()][n - 1]).toEqual([`d/f${n - 1}`, d.get(`d/f${n - 1}`)]);
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
    const first: FileRange[] = [
      { path: files[0], start: 0, end: 3000, last: true },
      { path: files[1], start: 3000, end: 7000, last: true },
      { path: files[2], start: 7000, end: 8000, last: false }
    ];
    await hw.submit(sab, 0, 8000, first);
    data[2].copy(win, 0, 1000);
    await hw.submit(sab, 0, 4000, [{ path: files[2], start: 0, end: 4000, last: true }]);
    files.forEach((f, i) => expect(hw.fileDigests.get(f)).toBe(sha256(data[i]).toString('hex')));
    expect(replies).toHaveLength(2);
    const said = replies.flatMap(r => strings(r));
    for (const f of files) expect(said).not.toContain(f);
    expect(said.filter(s => /^[0-9a-f]{64}$/.test(s))).toEqual([]);
  } finally {
    await hw.close();
  }
});
