/* global Buffer, setImmediate */
/**
 * The trees `npm run bench` times (scripts/bench.mjs), generated deterministically: sizes from a
 * seeded xorshift32, contents the AES-128-CTR keystream of a fixed key (fast and incompressible).
 * A plan (relative path and size of every file) is computed first, so the disk it needs is known
 * before a byte is written.
 */
import { createCipheriv } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const CHUNK = 8 * MiB;
const ZEROS = Buffer.alloc(CHUNK);
const KEY = Buffer.from('isoforge-bench-k'); // 16 bytes: AES-128
const yieldNow = () => new Promise(resolve => setImmediate(resolve)); // lets SIGINT in

/** xorshift32: u() is uniform in [0, 1). */
export function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

/** The keystream of one tree, handed out in slices; the seed sets the IV. */
class Keystream {
  constructor(seed) {
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(seed, 0);
    this.cipher = createCipheriv('aes-128-ctr', KEY, iv);
    this.buf = Buffer.alloc(0);
    this.pos = 0;
  }
  take(n) {
    if (n > CHUNK) return this.cipher.update(Buffer.alloc(n));
    if (this.pos + n > this.buf.length) [this.buf, this.pos] = [this.cipher.update(ZEROS), 0];
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }
}

const pad = (n, w) => String(n).padStart(w, '0');
const STEMS = ['libcore', 'kernel-module', 'firmware', 'locale', 'README', 'icon', 'font', 'net-tools', 'x'];
const EXTS = ['.deb', '.rpm', '.so.1', '.ko', '.bin', '.dat', '.txt', '.gz', '.png', '.json', '.conf', ''];

/**
 * "That tree": one 1 GiB file (big/installer.img) and 20,000 files of 0.5-150 KB, 20 in each of
 * 1,000 directories (pkgs/d000 ... pkgs/d999); 2.0 GiB in all. `scale` multiplies the counts
 * and the big file's size (development runs only).
 */
export function bigTreePlan(scale = 1) {
  const u = prng(0x15f0f0e1);
  const big = { rel: 'big/installer.img', size: Math.round(GiB * scale), stream: true };
  const files = [big];
  const count = Math.max(1, Math.round(20000 * scale));
  for (let i = 0; i < count; i++) {
    const size = 512 + Math.floor(u() ** 1.8 * (150000 - 512));
    const name = `${STEMS[Math.floor(u() * STEMS.length)]}-${pad(i % 20, 2)}${EXTS[i % EXTS.length]}`;
    files.push({ rel: `pkgs/d${pad(Math.floor(i / 20), 3)}/${name}`, size });
  }
  return { seed: 1, files, big };
}

/**
 * The mid-sized tree of the 741 MB case: the big tree's first 5,000 small files (0.5-150 KB)
 * and a 512 MiB file in place of the 1 GiB one.
 */
export function midTreePlan(scale = 1) {
  const plan = bigTreePlan(0.25 * scale);
  plan.big.size = Math.round(512 * MiB * scale);
  return { ...plan, seed: 3 };
}

/** `count` files of 100-4,096 bytes, 100 per directory, directories two levels deep (s00/d00). */
export function smallTreePlan(count) {
  const u = prng(0x5eed0200);
  const files = [];
  for (let i = 0; i < count; i++) {
    const d = Math.floor(i / 100);
    const size = 100 + Math.floor(u() * (4096 - 100 + 1));
    files.push({
      rel: `s${pad(Math.floor(d / 100), 2)}/d${pad(d % 100, 2)}/f${pad(i, 6)}${EXTS[i % 12]}`,
      size
    });
  }
  return { seed: 2, files };
}

/** Bytes a plan takes on a file system with 4 KiB blocks (files and directories). */
export function diskBytes(plan) {
  const dirs = new Set(plan.files.map(f => path.dirname(f.rel)));
  return plan.files.reduce((sum, f) => sum + Math.ceil(f.size / 4096) * 4096, 0) + dirs.size * 4096;
}

export const planBytes = plan => plan.files.reduce((sum, f) => sum + f.size, 0);

/** Writes a plan under `root` (which must not exist yet). */
export async function writeTree(root, plan) {
  const ks = new Keystream(plan.seed);
  const made = new Set();
  for (let i = 0; i < plan.files.length; i++) {
    const f = plan.files[i];
    const file = path.join(root, f.rel);
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    if (f.stream) {
      const fd = fs.openSync(file, 'w');
      try {
        for (let done = 0; done < f.size; done += CHUNK) {
          const chunk = ks.cipher.update(ZEROS);
          fs.writeSync(fd, chunk, 0, Math.min(CHUNK, f.size - done));
          await yieldNow();
        }
      } finally {
        fs.closeSync(fd);
      }
    } else {
      fs.writeFileSync(file, ks.take(f.size));
      if (i % 2000 === 0) await yieldNow();
    }
  }
}

/**
 * The same tree with one file made big and sparse: hard links to every file of `src` except
 * `sparseRel` (if it is there), and `sparseRel` a sparse file of `size` bytes (no disk used).
 * Throws if `dst` cannot hold hard links to `src` (another file system).
 */
export async function writeSparseVariant(src, dst, sparseRel, size) {
  let n = 0;
  const walk = rel => {
    fs.mkdirSync(path.join(dst, rel), { recursive: true });
    for (const e of fs.readdirSync(path.join(src, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(path.join(src, r)), path.join(dst, r));
      else if (e.isFile() && r !== sparseRel) {
        fs.linkSync(path.join(src, r), path.join(dst, r));
        n++;
      }
    }
  };
  walk('');
  const file = path.join(dst, sparseRel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, size);
  fs.closeSync(fd);
  await yieldNow();
  return { files: n + 1, bytes: size + (await treeStats(dst, [sparseRel])).bytes };
}

/** Counts the regular files and bytes under `root` and, with `warm`, reads them all once. */
export async function treeStats(root, skipRel = [], warm = false) {
  const buf = warm ? Buffer.alloc(CHUNK) : null;
  let files = 0;
  let bytes = 0;
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop();
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) stack.push(r);
      if (!e.isFile() || skipRel.includes(r)) continue;
      const file = path.join(root, r);
      files++;
      if (!warm) {
        bytes += fs.statSync(file).size;
        continue;
      }
      const fd = fs.openSync(file, 'r');
      for (let got; (got = fs.readSync(fd, buf, 0, CHUNK, null)) > 0;) bytes += got;
      fs.closeSync(fd);
      if (files % 2000 === 0) await yieldNow();
    }
  }
  return { files, bytes };
}
