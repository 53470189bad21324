#!/usr/bin/env node
/* global process, console, SharedArrayBuffer */
/**
 * The benchmark's `least remaster` and `least verify`: the bare work of a remaster or a verify with
 * the default digests, and nothing else. The image is read once, in windows of 6 MiB (three, as
 * isoforge's writer has; synchronous reads on the main thread), and each window is hashed by two
 * worker threads: one SHA-256 standing for the image's digest, one for the files' digests (an
 * image's files are nearly all of its bytes). For a remaster each window is also written to OUT
 * with direct writes, as isoforge writes; with OUT `-` nothing is written (verify). No tree is read,
 * nothing is planned, encoded or compared, no manifest is read or written: whatever isoforge takes
 * beyond this is its own work. It is a plain program, not a bound: isoforge's verify hashes the
 * files' digests on its main thread instead, and ties with it while also reading the tree and the
 * manifest. Beside one openssl pass (which reads 8 KiB at a time, hashing from L1), it shows what
 * one shared read of the image costs two SHA-256 streams in Node on this machine.
 *
 *   node scripts/bench-least.mjs IN.iso OUT|-   prints the digest; exit 0
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

const [input, output] = process.argv.slice(2);
if (!input || !output || !fs.statSync(input, { throwIfNoEntry: false })?.isFile()) {
  console.error('usage: node scripts/bench-least.mjs IN.iso OUT|-');
  process.exit(2);
}
const WINDOW = 6 * 1024 * 1024;
const SLOTS = 3;
const ALIGN = 4096;

const WORKER = `
const { parentPort } = require('node:worker_threads');
const h = require('node:crypto').createHash('sha256');
parentPort.on('message', m => {
  if (m.end) parentPort.postMessage({ id: m.id, digest: h.digest('hex') });
  else { h.update(Buffer.from(m.sab, m.offset, m.length)); parentPort.postMessage({ id: m.id }); }
});
`;
const workers = [0, 1].map(() => new Worker(WORKER, { eval: true }));
const waiting = new Map();
let nextId = 0;
for (const w of workers) w.on('message', m => waiting.get(m.id)?.(m));
const ask = (w, m) =>
  new Promise(resolve => {
    const id = ++nextId;
    waiting.set(id, r => (waiting.delete(id), resolve(r)));
    w.postMessage({ ...m, id });
  });

const size = fs.statSync(input).size;
const fin = fs.openSync(input, 'r');
const { O_WRONLY, O_CREAT, O_TRUNC, O_DIRECT = 0 } = fs.constants;
const fout = output === '-' ? undefined : fs.openSync(output, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT);
// direct writes need a buffer on a page: find where a shared buffer's page starts by trying
const slots = Array.from({ length: SLOTS }, () => {
  const sab = new SharedArrayBuffer(WINDOW + ALIGN);
  const all = Buffer.from(sab);
  if (fout === undefined) return { sab, offset: 0, buf: all.subarray(0, WINDOW), busy: null };
  for (let offset = 0; offset < ALIGN; offset += 16) {
    try {
      fs.writeSync(fout, all, offset, ALIGN, 0);
      return { sab, offset, buf: all.subarray(offset, offset + WINDOW), busy: null };
    } catch {
      if (!O_DIRECT) return { sab, offset: 0, buf: all.subarray(0, WINDOW), busy: null };
    }
  }
  throw new Error('no page-aligned offset accepted for direct writes');
});
for (let pos = 0, k = 0; pos < size; pos += WINDOW, k++) {
  const slot = slots[k % SLOTS];
  if (slot.busy) await slot.busy;
  const length = Math.min(WINDOW, size - pos);
  for (let n = 0; n < length; ) {
    const r = fs.readSync(fin, slot.buf, n, length - n, pos + n);
    if (r === 0) throw new Error(`${input}: shorter than ${size} bytes`);
    n += r;
  }
  // the last window is written whole (direct writes go by pages) and the file cut back after
  const written = Math.ceil(length / ALIGN) * ALIGN;
  const write =
    fout === undefined
      ? undefined
      : new Promise((resolve, reject) =>
          fs.write(fout, slot.buf, 0, written, pos, e => (e ? reject(e) : resolve()))
        );
  slot.busy = Promise.all([write, ...workers.map(w => ask(w, { sab: slot.sab, offset: slot.offset, length }))]);
}
await Promise.all(slots.map(s => s.busy));
const [a, b] = await Promise.all(workers.map(w => ask(w, { end: true })));
if (fout !== undefined) {
  fs.ftruncateSync(fout, size);
  fs.closeSync(fout);
}
fs.closeSync(fin);
if (a.digest !== b.digest) throw new Error('the two digests differ');
console.log(`${size} bytes read, hashed twice${fout === undefined ? '' : ' and written'}: SHA-256 ${a.digest}`);
await Promise.all(workers.map(w => w.terminate()));
