#!/usr/bin/env node
/* global process, console */
/**
 * `npm run bench`: whole-process wall time (each run ending with `sync`) and peak RSS of
 * `isoforge build` (the committed CLI bundle, SHA-256 + manifest) beside the floor it is judged
 * against, one serial SHA-256 pass over the files' bytes (`cat | openssl dgst -sha256`), and beside
 * `xorriso -as mkisofs -R -J`, `genisoimage -R -J` and `tar -cf` (reported), on the generated
 * 2 GiB tree and a 512 MiB + 5,000 files tree, alternating them; `isoforge verify --manifest true
 * --checksums-file` of the 2 GiB image beside one SHA-256 pass over the image; a sparse variant (RSS
 * must not grow with file sizes); trees of 500,000 and 1,000,000 small files (time and RSS must
 * grow linearly, RSS per file bounded). `--baseline` times another build of the CLI beside it (A/B).
 * Writes docs/benchmarks.md (bench-report.mjs) and checks the issue's targets. Not part of CI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { report } from './bench-report.mjs';
import {
  bigTreePlan,
  diskBytes,
  midTreePlan,
  planBytes,
  smallTreePlan,
  treeStats,
  writeSparseVariant,
  writeTree
} from './bench-tree.mjs';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const EPOCH = '1700000000';
const TIME = '/usr/bin/time';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'index.js');
const HELP = `Usage: npm run bench -- [options]   (or node scripts/bench.mjs [options])
  --tree DIR       time an existing tree instead of generating the 2 GiB one
  --runs N         rounds per tree, tool order rotated each round (default 5)
  --settle S       seconds to wait after deleting the outputs and sync, before each run (default 5)
  --cache C        the source tree before each run: warm (read right before the run, default) or
                   cold (page cache dropped; needs root)
  --out DIR        write the images under DIR (default: the temporary directory, ${os.tmpdir()})
  --small-dir DIR  generate the small-file trees under DIR (a tmpfs is fastest; default: the
                   temporary directory)
  --baseline CLI   also time this build of the CLI (another dist/cli/index.js) as isoforge@base
  --keep           keep the generated trees
  --no-mid         skip the 512 MiB + 5,000 files tree
  --no-verify      skip timing verify
  --no-remaster    skip timing a remaster of the 2 GiB image (one overlay file) beside xorriso's
  --no-small       skip the 500,000 / 1,000,000 small-file trees
  --no-docs        do not write docs/benchmarks.md
  --only-verify    only the verify rows: the 2 GiB tree, its image, verify beside one SHA-256 pass
                   and two at once over the image (implies --no-mid --no-remaster --no-small
                   --no-docs; no build rows, no sparse variant)
  --only-remaster  only the remaster rows (with and without the manifest) beside a build of the same
                   tree, xorriso's replay and the floor; printed, no docs/benchmarks.md
  --only-small     only the small-file rows: the 500,000 / 1,000,000 trees, isoforge (and --baseline)
                   beside xorriso, RSS per extra file and the time ratio; printed, no docs/benchmarks.md
                   (--scale 0.4 makes them 200,000 / 400,000)
  --scale F        development only: multiply every file count and the big files' sizes by F
  --help           this text`;

// ---- options
const opt = {
  tree: null,
  runs: 5,
  settle: 5,
  cache: 'warm',
  out: null,
  smallDir: null,
  baseline: null,
  keep: false,
  mid: true,
  verify: true,
  remaster: true,
  small: true,
  docs: true,
  onlyVerify: false,
  onlyRemaster: false,
  onlySmall: false,
  scale: 1
};
function usage(msg) {
  console.error(`bench: ${msg} (see --help)`);
  process.exit(2);
}
const argv = process.argv.slice(2);
const flags = {
  '--keep': 'keep',
  '--no-mid': 'mid',
  '--no-verify': 'verify',
  '--no-remaster': 'remaster',
  '--no-small': 'small',
  '--no-docs': 'docs'
};
for (let i = 0; i < argv.length; i++) {
  const [name, inline] = argv[i].split(/=(.*)/s);
  const value = () => inline ?? (i + 1 < argv.length ? argv[++i] : usage(`${name} needs a value`));
  const number = (min, int) => {
    const v = value();
    const n = Number(v);
    return v !== '' && Number.isFinite(n) && n >= min && (!int || Number.isInteger(n))
      ? n
      : usage(`bad ${name} ${v}`);
  };
  if (name === '--help' || name === '-h') {
    console.log(HELP);
    process.exit(0);
  } else if (name === '--tree') opt.tree = path.resolve(value());
  else if (name === '--runs') opt.runs = number(1, true);
  else if (name === '--settle') opt.settle = number(0, false);
  else if (name === '--out') opt.out = path.resolve(value());
  else if (name === '--small-dir') opt.smallDir = path.resolve(value());
  else if (name === '--baseline') opt.baseline = path.resolve(value());
  else if (name === '--cache')
    opt.cache = ['warm', 'cold'].includes((opt.cache = value()))
      ? opt.cache
      : usage(`bad --cache ${opt.cache}`);
  else if (name === '--scale') opt.scale = number(1e-6, false) || usage('bad --scale');
  else if (name in flags) opt[flags[name]] = name === '--keep';
  else if (name === '--only-verify')
    Object.assign(opt, {
      onlyVerify: true,
      verify: true,
      mid: false,
      remaster: false,
      small: false,
      docs: false
    });
  else if (name === '--only-remaster')
    Object.assign(opt, { onlyRemaster: true, mid: false, verify: false, small: false, docs: false });
  else if (name === '--only-small')
    Object.assign(opt, { onlySmall: true, mid: false, verify: false, remaster: false, small: true, docs: false });
  else usage(`unknown option ${argv[i]}`);
}
function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(1);
}
const onPath = cmd =>
  (process.env.PATH ?? '').split(':').some(d => {
    try {
      fs.accessSync(path.join(d || '.', cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
const install = 'bash scripts/install-test-tools.sh installs it';
if (!fs.existsSync(TIME)) fail(`${TIME} is missing; ${install} (Debian package time)`);
for (const t of ['xorriso', 'genisoimage']) if (!onPath(t)) fail(`${t} is missing; ${install}`);
for (const [t, pkg] of [
  ['tar', 'tar'],
  ['openssl', 'openssl'],
  ['xargs', 'findutils']
])
  if (!onPath(t)) fail(`${t} is missing; install it (Debian package ${pkg})`);
if (!fs.existsSync(cli)) fail('dist/cli/index.js is missing; npm run bundle builds it');
if (opt.baseline && !fs.existsSync(opt.baseline)) fail(`--baseline ${opt.baseline} does not exist`);
for (const [o, dir] of [
  ['--tree', opt.tree],
  ['--small-dir', opt.smallDir]
])
  if (dir && !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    fail(`${o} ${dir} is not a directory`);

// ---- work directories, cleanup on exit, failure and SIGINT
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isoforge-bench-'));
const smallRoot = opt.smallDir ? fs.mkdtempSync(path.join(opt.smallDir, 'isoforge-bench-small-')) : tmp;
if (opt.out) fs.mkdirSync(opt.out, { recursive: true });
const out = opt.out ? fs.mkdtempSync(path.join(opt.out, 'isoforge-bench-out-')) : path.join(tmp, 'out');
const verifyDir = path.join(path.dirname(out), `${path.basename(out)}-verify`);
fs.mkdirSync(out, { recursive: true });
function cleanup() {
  for (const d of [out, verifyDir]) fs.rmSync(d, { recursive: true, force: true });
  if (opt.keep) console.log(`trees kept in ${tmp}${smallRoot !== tmp ? ` and ${smallRoot}` : ''}`);
  else for (const d of new Set([tmp, smallRoot])) fs.rmSync(d, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    console.error(`bench: ${sig}, cleaning up`);
    cleanup();
    process.exit(130);
  });

// ---- measuring
const fmt = (n, d = 2) => n.toFixed(d);
const count = x => x.toLocaleString('en-US');
const median = a => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const clearOut = () =>
  fs.readdirSync(out).forEach(e => fs.rmSync(path.join(out, e), { recursive: true, force: true }));
/** The SHA-256 floor: one serial pass over the files' bytes, in one stream (T: $1). */
const FLOOR = 'find "$1" -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | openssl dgst -sha256';
// T: the tree (or, for verify, the directory of the image), O: the output directory (substituted
// word by word, so paths may hold spaces); FLOOR: the script above
const BUILD = `build --quiet --source T --output O/isoforge.iso --source-date-epoch ${EPOCH} --checksums sha256`;
// a remaster of the verify image (T) with a one-file overlay (OVL), beside xorriso's replay and
// sha256sum of its output (the issue's comparison); the floor hashes a remaster made beforehand
const REMASTER = `build --quiet --source-image T/isoforge.iso --source OVL --output O/remaster.iso --source-date-epoch ${EPOCH} --checksums sha256`;
const XREPLAY =
  'xorriso -indev "$1/isoforge.iso" -outdev "$2/xorriso.iso" -boot_image any replay -map "$3/overlay.txt" /overlay.txt && sha256sum "$2/xorriso.iso"';
const VERIFY = 'verify --quiet --image T/isoforge.iso --manifest true --checksums-file T/SHA256SUMS';
// verify's two SHA-256 streams (the checksum file's, the manifest's files') as two openssl at once
// over the image: what the cores give two streams, beside the issue's one serial pass
const TWO = 'openssl dgst -sha256 "$1" >/dev/null & openssl dgst -sha256 "$1" >/dev/null; wait';
// the copy floor: the image read and written to a new file with direct writes ($1 to $2)
const COPY = 'dd if="$1" of="$2" bs=8M oflag=direct status=none';
const COMMANDS = {
  isoforge: `node dist/cli/index.js ${BUILD}`,
  'isoforge@base': `node BASE ${BUILD}`,
  'isoforge -m0': `node dist/cli/index.js ${BUILD} --manifest false`,
  'sha256 floor': 'sh -c FLOOR sh T',
  'digests floor': 'node scripts/bench-floor.mjs T',
  xorriso: 'xorriso -as mkisofs -quiet -R -J -o O/xorriso.iso T',
  genisoimage: 'genisoimage -quiet -R -J -o O/genisoimage.iso T',
  tar: 'tar -cf O/tree.tar -C T .',
  verify: `node dist/cli/index.js ${VERIFY}`,
  'verify@base': `node BASE ${VERIFY}`,
  'image floor': 'openssl dgst -sha256 T/isoforge.iso',
  'two streams': 'sh -c TWO sh T/isoforge.iso',
  // the bare work of verify's pass: the image read once, two SHA-256 (scripts/bench-least.mjs)
  'least verify': 'node scripts/bench-least.mjs T/isoforge.iso -',
  remaster: `node dist/cli/index.js ${REMASTER}`,
  'remaster@base': `node BASE ${REMASTER}`,
  'remaster -m0': `node dist/cli/index.js ${REMASTER} --manifest false`,
  'remaster -m0@base': `node BASE ${REMASTER} --manifest false`,
  'xorriso replay': 'sh -c XREPLAY sh T OUT OVL',
  'remaster floor': 'openssl dgst -sha256 T/remaster.iso',
  // the bare work of a remaster with the default digests: read once, two SHA-256, direct writes
  'least remaster': 'node scripts/bench-least.mjs T/isoforge.iso O/least.iso',
  // what any remaster must do beside hashing: read the image and write a copy of it, with direct
  // writes as isoforge's output (src/image/output.ts)
  'copy floor': 'sh -c COPY sh T/isoforge.iso O/copy.iso'
};
const words = {
  node: process.execPath,
  'dist/cli/index.js': cli,
  BASE: opt.baseline,
  FLOOR,
  TWO,
  COPY,
  XREPLAY,
  OUT: out,
  OVL: path.join(tmp, 'overlay'),
  'scripts/bench-floor.mjs': path.join(root, 'scripts', 'bench-floor.mjs'),
  'scripts/bench-least.mjs': path.join(root, 'scripts', 'bench-least.mjs')
};
const argvOf = (tool, T) =>
  COMMANDS[tool]
    .split(' ')
    .map(w =>
      w === 'T'
        ? T
        : w.startsWith('T/')
          ? path.join(T, w.slice(2))
          : (words[w] ?? w.replace(/^O\//, `${out}/`))
    );
/**
 * One run from the same state: no outputs, synced, settled, then the source read in full right
 * before the run (warm) or dropped from the page cache (cold); wall time up to the end of a `sync`
 * after the tool (so a tool that leaves gigabytes of dirty pages pays their writeback), peak RSS,
 * CPU time. Why settle and warm: on this kind of VM the kernel hands freed memory back to the host
 * within seconds and pages out file data nobody touched for ~6 s (DAMON), so without them the tool
 * that happens to run right after a delete, or right after the warm-up, gets an unfair advantage.
 */
async function run(tool, tree, label) {
  clearOut();
  spawnSync('sync');
  if (opt.settle) await sleep(opt.settle * 1000);
  if (opt.cache === 'warm') await treeStats(tree, [], true);
  else {
    try {
      fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    } catch (e) {
      fail(`--cache cold needs root to drop the page cache (${e.code})`);
    }
  }
  const [cmd, ...args] = argvOf(tool, tree);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M %e %U %S', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8'
  });
  spawnSync('sync');
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || r.status !== 0)
    throw new Error(
      `${tool} on ${tree} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stderr}`
    );
  const [kib, , user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  const res = { secs, rss: kib / 1024, cpu: user + sys };
  console.log(
    `  ${label.padEnd(28)} ${tool.padEnd(14)} ${fmt(secs).padStart(8)} s ${fmt(res.rss, 1).padStart(8)} MiB  (cpu ${fmt(res.cpu)} s)`
  );
  return res;
}
/** `runs` rounds of every (tool, tree) case, the order rotated each round (round i starts at case i). */
async function rounds(cases) {
  const res = cases.map(() => []);
  for (let i = 0; i < opt.runs; i++)
    for (let k = 0; k < cases.length; k++) {
      const j = (i + k) % cases.length;
      res[j].push(await run(cases[j].tool, cases[j].tree, `round ${i + 1}/${opt.runs} ${cases[j].name}`));
    }
  return cases.map((c, j) => {
    const s = res[j].map(r => r.secs);
    const rss = res[j].map(r => r.rss);
    return {
      ...c,
      runs: res[j],
      med: median(s),
      min: Math.min(...s),
      max: Math.max(...s),
      rss: median(rss),
      rssMax: Math.max(...rss),
      cpu: median(res[j].map(r => r.cpu))
    };
  });
}
const withBase = tools =>
  tools.flatMap(t => (opt.baseline && COMMANDS[`${t}@base`] ? [t, `${t}@base`] : [t]));

// ---- the trees
const n = x => Math.max(1, Math.round(x * opt.scale));
const bigPlan = opt.tree || opt.onlySmall ? null : bigTreePlan(opt.scale);
const midPlan = opt.mid ? midTreePlan(opt.scale) : null;
const smallPlans = opt.small ? [smallTreePlan(n(500000)), smallTreePlan(n(1000000))] : [];
const given = opt.tree ? await treeStats(opt.tree) : null;
const trees = {
  big: opt.tree ?? path.join(tmp, 'big'),
  mid: path.join(tmp, 'mid'),
  sparse: path.join(tmp, 'sparse'),
  small: []
};
const bigBytes = given?.bytes ?? (bigPlan ? planBytes(bigPlan) : 0);
const sparseSize = Math.round(4 * GiB * opt.scale);
const sparseRel = opt.tree ? 'isoforge-bench-sparse.img' : bigPlan?.big.rel;
const notes = [];

// free space and inodes: the trees where they are generated, the largest output (the sparse
// variant's image) plus the verify image and a margin where the images go
const need = {};
const add = (dir, bytes, inodes = 0) => {
  const dev = fs.statSync(dir).dev;
  need[dev] ??= { dir, bytes: 0, inodes: 0 };
  need[dev].bytes += bytes;
  need[dev].inodes += inodes;
};
add(tmp, (bigPlan ? diskBytes(bigPlan) : 0) + (midPlan ? diskBytes(midPlan) : 0) + 16 * MiB, 100000);
for (const p of smallPlans) add(smallRoot, diskBytes(p), p.files.length * 1.02);
add(
  path.dirname(out),
  opt.onlySmall
    ? 1.1 * Math.max(...smallPlans.map(diskBytes))
    : 2.1 * Math.max(bigBytes, bigBytes - (bigPlan?.big.size ?? 0) + sparseSize) + GiB * opt.scale
);
for (const { dir, bytes, inodes } of Object.values(need)) {
  const st = fs.statfsSync(dir);
  const free = st.bavail * st.bsize;
  const why =
    free < bytes
      ? `needs ${fmt(bytes / GiB, 1)} GiB free for the benchmark and has ${fmt(free / GiB, 1)} GiB`
      : st.files > 0 && st.ffree < inodes
        ? `needs ${count(Math.ceil(inodes))} free inodes for the benchmark and has ${count(st.ffree)}`
        : '';
  if (why) {
    cleanup();
    fail(`${dir} ${why} (--out, --small-dir and --no-small/--no-mid choose less)`);
  }
}

async function generate() {
  const t0 = Date.now();
  if (bigPlan) {
    console.log(
      `generating ${count(bigPlan.files.length)} files, ${fmt(bigBytes / GiB)} GiB in ${trees.big}`
    );
    await writeTree(trees.big, bigPlan);
  }
  if (midPlan) {
    console.log(
      `generating ${count(midPlan.files.length)} files, ${fmt(planBytes(midPlan) / MiB, 0)} MiB in ${trees.mid}`
    );
    await writeTree(trees.mid, midPlan);
  }
  let sparse = null;
  if (opt.onlyRemaster) return sparse;
  if (opt.onlySmall) return generateSmall();
  try {
    if (!opt.onlyVerify) sparse = await writeSparseVariant(trees.big, trees.sparse, sparseRel, sparseSize);
  } catch (e) {
    notes.push(
      `The sparse variant was skipped: ${e.code === 'EXDEV' ? 'the tree is on another file system than the temporary directory' : e.message}.`
    );
  }
  return generateSmall(sparse);
}

async function generateSmall(sparse = null) {
  const t0 = Date.now();
  for (const p of smallPlans) {
    const dir = path.join(smallRoot, `small-${p.files.length}`);
    const t1 = Date.now();
    console.log(`generating ${count(p.files.length)} small files in ${dir}`);
    await writeTree(dir, p);
    trees.small.push({ dir, files: p.files.length, bytes: planBytes(p) });
    console.log(`  ${fmt((Date.now() - t1) / 1000, 1)} s`);
  }
  console.log(`trees ready in ${fmt((Date.now() - t0) / 1000, 1)} s; warming the page cache`);
  return sparse;
}

/** The image verify reads: isoforge's build of the tree, with its SHA256SUMS and manifest. */
function buildVerifyImage(tree) {
  fs.mkdirSync(verifyDir, { recursive: true });
  const args = argvOf('isoforge', tree)
    .slice(1)
    .map(a => a.replace(`${out}/`, `${verifyDir}/`));
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the image for verify failed:\n${r.stderr}`);
}

/** The overlay (one small file) and the remaster the floor hashes, made once beside the image. */
function prepareRemaster() {
  fs.mkdirSync(words.OVL, { recursive: true });
  fs.writeFileSync(path.join(words.OVL, 'overlay.txt'), 'autoinstall: {version: 1}\n');
  const args = argvOf('remaster', verifyDir)
    .slice(1)
    .map(a => a.replace(`${out}/`, `${verifyDir}/`));
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the remaster for its floor failed:\n${r.stderr}`);
}

/** --only-remaster: the remaster rows beside a build of the same tree, printed (medians). */
async function onlyRemaster() {
  await generate();
  await treeStats(trees.big, [], true);
  buildVerifyImage(trees.big);
  prepareRemaster();
  const tools = [
    ...withBase(['remaster', 'remaster -m0']),
    'xorriso replay',
    'remaster floor',
    'least remaster',
    'copy floor'
  ];
  const cases = [
    ...tools.map(tool => ({ tool, tree: verifyDir, name: 'remaster' })),
    ...withBase(['isoforge']).map(tool => ({ tool, tree: trees.big, name: 'build of the tree' }))
  ];
  console.log(`\nmedians of ${opt.runs} (wall s to the end of sync, CPU s user+sys, peak RSS MiB):`);
  for (const r of await rounds(cases))
    console.log(
      `  ${r.tool.padEnd(20)} ${fmt(r.med).padStart(7)} s  cpu ${fmt(r.cpu).padStart(6)} s  ${fmt(r.rss, 1).padStart(7)} MiB`
    );
}

/** --only-small: the small-file rows, printed (medians, RSS per extra file, time ratio). */
async function onlySmall() {
  await generate();
  for (const t of trees.small) await treeStats(t.dir, [], true);
  const cases = [...withBase(['isoforge']), 'xorriso'].flatMap(tool =>
    trees.small.map(t => ({ tool, tree: t.dir, name: `${count(t.files)} files` }))
  );
  const res = await rounds(cases);
  const [a, b] = trees.small;
  console.log(`\nmedians of ${opt.runs} (wall s to the end of sync, CPU s user+sys, peak RSS MiB):`);
  for (const tool of [...new Set(cases.map(c => c.tool))]) {
    const [x, y] = [a, b].map(t => res.find(r => r.tool === tool && r.tree === t.dir));
    const perFile = ((y.rss - x.rss) * MiB) / (b.files - a.files);
    for (const r of [x, y])
      console.log(
        `  ${tool.padEnd(14)} ${count(r.tree === a.dir ? a.files : b.files).padStart(9)} files ${fmt(r.med).padStart(7)} s  cpu ${fmt(r.cpu).padStart(6)} s  ${fmt(r.rss, 1).padStart(7)} MiB`
      );
    console.log(
      `  ${tool.padEnd(14)} RSS per extra file ${fmt(perFile, 0)} bytes; time ${fmt(y.med / x.med)}x, CPU ${fmt(y.cpu / x.cpu)}x`
    );
  }
}

/** Every row, and docs/benchmarks.md: the exit code of the targets' check. */
async function fullRun() {
  const sparse = await generate();
  const bigStats = await treeStats(trees.big, [], true);
  const buildTools = [
    ...withBase(['isoforge']),
    'isoforge -m0',
    'sha256 floor',
    'digests floor',
    'xorriso',
    'genisoimage',
    'tar'
  ];
  const big = opt.onlyVerify
    ? null
    : await rounds(buildTools.map(tool => ({ tool, tree: trees.big, name: 'tree' })));
  let mid = null;
  if (midPlan) {
    const tools = [...withBase(['isoforge']), 'sha256 floor', 'xorriso'];
    mid = await rounds(tools.map(tool => ({ tool, tree: trees.mid, name: 'mid tree' })));
    fs.rmSync(trees.mid, { recursive: true, force: true });
  }
  let verify = null;
  if (opt.verify) {
    buildVerifyImage(trees.big);
    const tools = [...withBase(['verify']), 'image floor', 'two streams', 'least verify'];
    verify = await rounds(tools.map(tool => ({ tool, tree: verifyDir, name: 'verify' })));
  }
  let remaster = null;
  if (opt.remaster) {
    if (!opt.verify) buildVerifyImage(trees.big);
    prepareRemaster();
    const tools = [
      ...withBase(['remaster']),
      'remaster -m0',
      'xorriso replay',
      'remaster floor',
      'least remaster',
      'copy floor'
    ];
    remaster = await rounds(tools.map(tool => ({ tool, tree: verifyDir, name: 'remaster' })));
  }
  fs.rmSync(verifyDir, { recursive: true, force: true });
  const sparseRes = sparse ? await run('isoforge', trees.sparse, 'sparse variant') : null;
  let small = null;
  if (opt.small) {
    for (const t of trees.small) await treeStats(t.dir, [], true);
    const cases = ['isoforge', 'xorriso'].flatMap(tool =>
      trees.small.map(t => ({ tool, tree: t.dir, name: `${count(t.files)} files` }))
    );
    small = await rounds(cases);
  }
  clearOut();
  return report(
    {
      opt,
      trees,
      bigPlan,
      sparseSize,
      notes,
      commands: COMMANDS,
      floorScript: FLOOR,
      twoScript: TWO,
      tmp,
      out
    },
    { bigStats, big, mid, midPlan, verify, remaster, sparse, sparseRes, small }
  );
}

let code;
try {
  if (opt.onlyRemaster || opt.onlySmall) {
    await (opt.onlySmall ? onlySmall() : onlyRemaster());
    code = 0;
  } else code = await fullRun();
} catch (e) {
  console.error(`bench: ${e.message}`);
  code = 1;
} finally {
  cleanup();
}
process.exit(code);
