#!/usr/bin/env node
/* global process, console, SharedArrayBuffer, Atomics */
/**
 * The benchmark's hashing floor: what isoforge's default digests cost on this machine when nothing
 * else is done. It lists the tree (readdir and lstat, names sorted), then two threads go through
 * all the files' bytes, one after another, in windows of 6 MiB: each window is read once (the two
 * threads take turns, with plain synchronous reads) and hashed by both, one thread computing the
 * SHA-256 of all the bytes in turn (the image digest's work; an image holds more than the files),
 * the other each file's own SHA-256 (the manifest's). Four windows in a shared buffer; the threads
 * meet through Atomics, not messages. No image is made and nothing is written.
 *
 *   node scripts/bench-floor.mjs TREE   prints a summary line; exit 0
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

const tree = process.argv[2];
if (!tree || !fs.statSync(tree, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node scripts/bench-floor.mjs TREE (a directory)');
  process.exit(2);
}

const files = [];
const walk = dir => {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isDirectory()) walk(p);
    else if (st.isFile()) files.push({ path: p, size: st.size });
  }
};
walk(tree);

const WINDOW = 6 * 1024 * 1024;
const SLOTS = 4;
const total = files.reduce((s, f) => s + f.size, 0);
const windows = Math.ceil(total / WINDOW);
// window k's parts: [file index, position in the file, length, the file's last part]
const parts = Array.from({ length: windows }, () => []);
for (let i = 0, at = 0; i < files.length; i++) {
  const { size } = files[i];
  if (size === 0) parts[Math.min(Math.floor(at / WINDOW), windows - 1)]?.push([i, 0, 0, true]);
  for (let pos = 0; pos < size;) {
    const n = Math.min(size - pos, WINDOW - (at % WINDOW));
    parts[Math.floor(at / WINDOW)].push([i, pos, n, pos + n === size]);
    pos += n;
    at += n;
  }
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { me, sab, ctl, files, parts, WINDOW, SLOTS } = workerData;
// ctl: [0] windows filled (in order), [1 + t] windows thread t has hashed
const c = new Int32Array(ctl);
const view = k => Buffer.from(sab, (k % SLOTS) * WINDOW, WINDOW);
const waitFor = (i, v) => { for (let x; (x = Atomics.load(c, i)) < v; ) Atomics.wait(c, i, x); };
const all = createHash('sha256');
let each;
let digests = 0;
let nextFill = me;
const fill = k => {
  // the slot is free once both threads hashed window k - SLOTS; window k - 1 is filled first
  waitFor(1, k - SLOTS + 1); waitFor(2, k - SLOTS + 1); waitFor(0, k);
  const buf = view(k);
  let off = 0;
  for (const [i, pos, n] of parts[k]) {
    if (n === 0) continue;
    const fd = fs.openSync(files[i].path, 'r');
    try {
      for (let got = 0; got < n; ) {
        const r = fs.readSync(fd, buf, off + got, n - got, pos + got);
        if (r === 0) throw new Error(files[i].path + ': shorter than listed');
        got += r;
      }
    } finally { fs.closeSync(fd); }
    off += n;
  }
  Atomics.store(c, 0, k + 1); Atomics.notify(c, 0);
};
for (let k = 0; k < parts.length; k++) {
  // fill this thread's windows up to one ahead of the one to hash, then hash window k
  while (nextFill <= k + 1 && nextFill < parts.length) { fill(nextFill); nextFill += 2; }
  waitFor(0, k + 1);
  const buf = view(k);
  let off = 0;
  for (const [, , n, last] of parts[k]) {
    if (me === 0) all.update(buf.subarray(off, off + n));
    else { each ??= createHash('sha256'); each.update(buf.subarray(off, off + n)); if (last) { each.digest(); each = undefined; digests++; } }
    off += n;
  }
  Atomics.store(c, 1 + me, k + 1); Atomics.notify(c, 1 + me);
}
parentPort.postMessage(me === 0 ? all.digest('hex') : digests);
`;
const sab = new SharedArrayBuffer(SLOTS * WINDOW);
const ctl = new SharedArrayBuffer(3 * 4);
const thread = me =>
  new Promise((resolve, reject) => {
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { me, sab, ctl, files, parts, WINDOW, SLOTS }
    });
    w.once('message', resolve);
    w.once('error', reject);
  });
const [digest, count] = await Promise.all([thread(0), thread(1)]);
console.log(`${files.length} files, ${total} bytes: SHA-256 of all ${digest}; ${count} file digests`);
