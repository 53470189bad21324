// npm run bench: whole-process wall time and peak RSS of isoforge (the committed CLI bundle) next to
// `xorriso -as mkisofs -R -J` on the same tree, run alternately. Also the library with and without
// hashing. Speed and memory targets are checked here, not in timed tests.
//   BENCH_GIB=2 (tree size), BENCH_RUNS=3, BENCH_DIR=.bench, BENCH_OUT (default .bench/out)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statfsSync, writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const GIB = Number(process.env.BENCH_GIB ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = path.resolve(process.env.BENCH_DIR ?? '.bench');
const tree = path.join(dir, `tree-${GIB}g`);
// BENCH_OUT=/dev/shm/isoforge-bench writes the images to memory, taking the disk's writeback
// (which throttles whichever tool happens to cross the dirty-page threshold) out of the numbers
const out = path.resolve(process.env.BENCH_OUT ?? path.join(dir, 'out'));
mkdirSync(out, { recursive: true });

const need = GIB * 3.2 * 2 ** 30;
const fs0 = statfsSync(dir);
if (fs0.bavail * fs0.bsize < need && !existsSync(path.join(tree, '.done'))) {
  console.error(`bench: needs ${(need / 2 ** 30).toFixed(1)} GiB free in ${dir}`);
  process.exit(1);
}

// the tree: a few large files (3/4 of the bytes) and 10,000 small ones in 100 folders
if (!existsSync(path.join(tree, '.done'))) {
  rmSync(tree, { recursive: true, force: true });
  const total = GIB * 2 ** 30;
  const bigCount = 4;
  const big = Math.floor((total * 0.75) / bigCount);
  const small = Math.floor((total * 0.25) / 10000);
  const chunk = Buffer.alloc(16 * 2 ** 20);
  mkdirSync(path.join(tree, 'big'), { recursive: true });
  for (let i = 0; i < bigCount; i++) {
    const p = path.join(tree, 'big', `blob${i}.bin`);
    writeFileSync(p, '');
    for (let done = 0; done < big; done += chunk.length) {
      randomFillSync(chunk);
      writeFileSync(p, chunk.subarray(0, Math.min(chunk.length, big - done)), { flag: 'a' });
    }
  }
  const sb = Buffer.alloc(small);
  for (let d = 0; d < 100; d++) {
    mkdirSync(path.join(tree, 'small', `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) {
      randomFillSync(sb);
      writeFileSync(path.join(tree, 'small', `d${d}`, `file-${f}.dat`), sb);
    }
  }
  writeFileSync(path.join(tree, '.done'), '');
}
rmSync(path.join(out), { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function timed(label, cmd, args, env = {}) {
  execFileSync('sync');
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const rss = Number(r.stderr.trim().split('\n').pop()) / 1024;
  return { secs, rss };
}

const cli = path.resolve('dist/cli/index.js');
const cases = [
  ['isoforge (RR+Joliet, sha256 + per-file sha256 + manifest)', process.execPath, [cli, 'build', '--quiet', '--source', tree, '--output', path.join(out, 'isoforge.iso'), '--source-date-epoch', '1700000000', '--checksums', 'sha256']],
  ['isoforge (no checksum file, no manifest)', process.execPath, [cli, 'build', '--quiet', '--source', tree, '--output', path.join(out, 'isoforge-nosum.iso'), '--source-date-epoch', '1700000000', '--checksums', 'none', '--manifest', 'false']],
  ['xorriso -as mkisofs -R -J', 'xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-o', path.join(out, 'xorriso.iso'), tree]],
  ['xorriso -as mkisofs -R -J --md5', 'xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '--md5', '-o', path.join(out, 'xorriso-md5.iso'), tree]]
];
const results = new Map(cases.map(c => [c[0], []]));
// warm the page cache once so every tool reads from memory alike
for (const c of cases.slice(0, 1)) timed(c[0], c[1], c[2]);
for (let i = 0; i < RUNS; i++) {
  // rotate the order each round, and start every run from the same state (no old output, synced)
  const round = cases.slice(i % cases.length).concat(cases.slice(0, i % cases.length));
  for (const [label, cmd, args] of round) {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    results.get(label).push(timed(label, cmd, args));
  }
}
const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`tree: ${GIB} GiB (4 large files + 10,000 small files), ${RUNS} runs each, alternated; whole-process wall time`);
console.log('| tool | median s | min s | max s | peak RSS MiB |');
console.log('|---|---|---|---|---|');
for (const [label, rs] of results) {
  const s = rs.map(r => r.secs);
  console.log(`| ${label} | ${median(s).toFixed(2)} | ${Math.min(...s).toFixed(2)} | ${Math.max(...s).toFixed(2)} | ${Math.max(...rs.map(r => r.rss)).toFixed(0)} |`);
}

// the writer alone, in this process, with and without hashing (image SHA-256 + per-file SHA-256)
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--outDir', path.join(dir, 'lib')], { stdio: 'ignore' });
const { buildImage } = await import(path.join(dir, 'lib/src/image/build.js'));
const lib = { 'writer, hashing on (sha256 of the image + of every file)': {}, 'writer, hashing off': { digests: [], fileDigests: false } };
const libTimes = new Map(Object.keys(lib).map(k => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [label, extra] of Object.entries(lib)) {
    execFileSync('sync');
    const t = process.hrtime.bigint();
    await buildImage({ source: tree, output: path.join(out, 'lib.iso'), volumeId: 'BENCH', joliet: true, rockRidge: true, epoch: 1700000000, ...extra });
    libTimes.get(label).push(Number(process.hrtime.bigint() - t) / 1e9);
    rmSync(path.join(out, 'lib.iso'));
    execFileSync('sync');
  }
}
console.log('| library call | median s | min s | max s | |');
for (const [label, s] of libTimes) console.log(`| ${label} | ${median(s).toFixed(2)} | ${Math.min(...s).toFixed(2)} | ${Math.max(...s).toFixed(2)} | |`);
rmSync(out, { recursive: true, force: true });
