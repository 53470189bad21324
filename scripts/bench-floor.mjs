#!/usr/bin/env node
/* global process, console */
/**
 * The benchmark's hashing floor: what computing isoforge's default digests costs on this machine
 * when nothing else is done. It lists the tree (readdir and lstat, names sorted), then two threads
 * read every regular file, in that order, through a 6 MiB buffer: one computes the SHA-256 of all
 * the bytes in turn (the image digest's work; an image holds more than the files, so this is
 * less), the other every file's own SHA-256 (the manifest's). No image is made and nothing is
 * written. Each thread reads the files itself, as two separate tools would; isoforge reads them
 * once, so it could come in under this by the cost of one page-cache copy, never by the hashing.
 *
 *   node scripts/bench-floor.mjs TREE   prints the two digests' summary line; exit 0
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
    else if (st.isFile()) files.push(p);
  }
};
walk(tree);

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const buf = Buffer.allocUnsafe(6 * 1024 * 1024);
const all = createHash('sha256');
let bytes = 0;
let last = '';
for (const p of workerData.files) {
  const h = workerData.each ? createHash('sha256') : all;
  const fd = fs.openSync(p, 'r');
  try {
    for (let pos = 0; ; ) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (workerData.each) last = h.digest('hex');
}
parentPort.postMessage({ bytes, digest: workerData.each ? last : all.digest('hex') });
`;
const thread = each =>
  new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { files, each } });
    w.once('message', resolve);
    w.once('error', reject);
  });
const [stream, each] = await Promise.all([thread(false), thread(true)]);
console.log(
  `${files.length} files, ${stream.bytes} bytes: SHA-256 of all ${stream.digest}; ` +
    `${each.bytes} bytes hashed file by file (last ${each.digest})`
);
