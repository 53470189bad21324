#!/usr/bin/env node
/* global process, console */
/**
 * `npm run bench`: whole-process wall time and peak RSS of `isoforge build` (the committed CLI
 * bundle, SHA-256 + manifest) next to `xorriso -as mkisofs -R -J`, `genisoimage -R -J`, `tar -cf`
 * (the I/O floor) and the hashing floor (bench-floor.mjs: the same digests, nothing else) on the
 * same generated 2 GiB tree, alternating them; a sparse variant (RSS
 * must not grow with file sizes); and trees of 100,000 and 200,000 small files (time and memory
 * must grow linearly). Writes docs/benchmarks.md and checks the targets. Not part of CI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  bigTreePlan,
  diskBytes,
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
const docPath = path.join(root, 'docs', 'benchmarks.md');
const HELP = `Usage: npm run bench -- [options]   (or node scripts/bench.mjs [options])
  --tree DIR    time an existing tree instead of generating the 2 GiB one
  --runs N      rounds per tree, tool order rotated each round (default 3)
  --settle S    seconds to wait after deleting the outputs and sync, before each run (default 5)
  --cache C     the source tree before each run: warm (read right before the run, default) or
                cold (page cache dropped; needs root)
  --out DIR     write the images under DIR (default: the temporary directory, ${os.tmpdir()})
  --keep        keep the generated trees
  --no-small    skip the 100,000 / 200,000 small-file trees
  --no-docs     do not write docs/benchmarks.md
  --scale F     development only: multiply every file count and the big file's size by F
  --help        this text`;

// ---- options
const opt = {
  tree: null,
  runs: 3,
  settle: 5,
  cache: 'warm',
  out: null,
  keep: false,
  small: true,
  docs: true,
  scale: 1
};
function usage(msg) {
  console.error(`bench: ${msg} (see --help)`);
  process.exit(2);
}
const argv = process.argv.slice(2);
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
  else if (name === '--cache')
    opt.cache = ['warm', 'cold'].includes((opt.cache = value()))
      ? opt.cache
      : usage(`bad --cache ${opt.cache}`);
  else if (name === '--scale') opt.scale = number(1e-6, false) || usage('bad --scale');
  else if (name === '--keep') opt.keep = true;
  else if (name === '--no-small') opt.small = false;
  else if (name === '--no-docs') opt.docs = false;
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
if (!onPath('tar')) fail('tar is missing; install GNU tar (Debian package tar)');
if (!fs.existsSync(cli)) fail('dist/cli/index.js is missing; npm run bundle builds it');
if (opt.tree && !fs.statSync(opt.tree, { throwIfNoEntry: false })?.isDirectory())
  fail(`--tree ${opt.tree} is not a directory`);

// ---- work directories, cleanup on exit, failure and SIGINT
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'isoforge-bench-'));
if (opt.out) fs.mkdirSync(opt.out, { recursive: true });
const out = opt.out ? fs.mkdtempSync(path.join(opt.out, 'isoforge-bench-out-')) : path.join(tmp, 'out');
fs.mkdirSync(out, { recursive: true });
function cleanup() {
  fs.rmSync(out, { recursive: true, force: true });
  if (!opt.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`trees kept in ${tmp}`);
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
// T: the tree, O: the output directory (substituted word by word, so paths may hold spaces)
const COMMANDS = {
  isoforge: `node dist/cli/index.js build --quiet --source T --output O/isoforge.iso --source-date-epoch ${EPOCH} --checksums sha256`,
  xorriso: 'xorriso -as mkisofs -quiet -R -J -o O/xorriso.iso T',
  genisoimage: 'genisoimage -quiet -R -J -o O/genisoimage.iso T',
  tar: 'tar -cf O/tree.tar -C T .',
  // the hashing floor: the default digests' work alone (scripts/bench-floor.mjs says what it does)
  'hash floor': 'node scripts/bench-floor.mjs T'
};
const words = {
  node: process.execPath,
  'dist/cli/index.js': cli,
  'scripts/bench-floor.mjs': path.join(root, 'scripts', 'bench-floor.mjs')
};
const argvOf = (tool, T) =>
  COMMANDS[tool].split(' ').map(w => (w === 'T' ? T : (words[w] ?? w.replace(/^O\//, `${out}/`))));
/**
 * One run from the same state: no outputs, synced, settled, then the source read in full right
 * before the run (warm) or dropped from the page cache (cold); wall time, peak RSS, CPU time.
 * Why both steps: on this kind of VM the kernel hands freed memory back to the host within seconds
 * and pages out file data nobody touched for ~6 s (DAMON), so without them the tool that happens
 * to run right after a delete, or right after the warm-up, gets an unfair advantage.
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
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || r.status !== 0)
    throw new Error(
      `${tool} on ${tree} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stderr}`
    );
  const [kib, , user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  const res = { secs, rss: kib / 1024, cpu: user + sys };
  console.log(
    `  ${label.padEnd(24)} ${tool.padEnd(12)} ${fmt(secs).padStart(8)} s ${fmt(res.rss, 1).padStart(8)} MiB  (cpu ${fmt(res.cpu)} s)`
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
      med: median(s),
      min: Math.min(...s),
      max: Math.max(...s),
      rss: median(rss),
      rssMax: Math.max(...rss)
    };
  });
}

// ---- the trees
const n = x => Math.max(1, Math.round(x * opt.scale));
const bigPlan = opt.tree ? null : bigTreePlan(opt.scale);
const smallPlans = opt.small ? [smallTreePlan(n(100000)), smallTreePlan(n(200000))] : [];
const given = opt.tree ? await treeStats(opt.tree) : null;
const trees = { big: opt.tree ?? path.join(tmp, 'big'), sparse: path.join(tmp, 'sparse'), small: [] };
const bigBytes = given?.bytes ?? planBytes(bigPlan);
const sparseSize = Math.round(4 * GiB * opt.scale);
const sparseRel = opt.tree ? 'isoforge-bench-sparse.img' : bigPlan.big.rel;
const notes = [];

// free space: the trees in the temporary directory, the largest output (the sparse variant's
// image) plus a margin in the output directory (the same file system by default)
const need = {};
const add = (dir, bytes) => {
  const dev = fs.statSync(dir).dev;
  need[dev] ??= { dir, bytes: 0 };
  need[dev].bytes += bytes;
};
add(
  os.tmpdir(),
  (bigPlan ? diskBytes(bigPlan) : 0) + smallPlans.reduce((s, p) => s + diskBytes(p), 0) + 16 * MiB
);
add(
  opt.out ?? os.tmpdir(),
  1.05 * Math.max(bigBytes, bigBytes - (bigPlan?.big.size ?? 0) + sparseSize) + GiB * opt.scale
);
for (const { dir, bytes } of Object.values(need)) {
  const st = fs.statfsSync(dir);
  const free = st.bavail * st.bsize;
  if (free < bytes) {
    cleanup();
    fail(`${dir} needs ${fmt(bytes / GiB, 1)} GiB free for the benchmark and has ${fmt(free / GiB, 1)} GiB`);
  }
}

let code;
try {
  const t0 = Date.now();
  if (bigPlan) {
    console.log(
      `generating ${count(bigPlan.files.length)} files, ${fmt(bigBytes / GiB)} GiB in ${trees.big}`
    );
    await writeTree(trees.big, bigPlan);
  }
  let sparse = null;
  try {
    sparse = await writeSparseVariant(trees.big, trees.sparse, sparseRel, sparseSize);
  } catch (e) {
    notes.push(
      `The sparse variant was skipped: ${e.code === 'EXDEV' ? 'the tree is on another file system than the temporary directory' : e.message}.`
    );
  }
  for (const p of smallPlans) {
    const dir = path.join(tmp, `small-${p.files.length}`);
    console.log(`generating ${count(p.files.length)} small files in ${dir}`);
    await writeTree(dir, p);
    trees.small.push({ dir, files: p.files.length, bytes: planBytes(p) });
  }
  console.log(`trees ready in ${fmt((Date.now() - t0) / 1000, 1)} s; warming the page cache`);

  const bigStats = await treeStats(trees.big, [], true);
  const big = await rounds(Object.keys(COMMANDS).map(tool => ({ tool, tree: trees.big, name: 'tree' })));
  let sparseRes = null;
  if (sparse) sparseRes = await run('isoforge', trees.sparse, 'sparse variant');
  let small = null;
  if (opt.small) {
    for (const t of trees.small) await treeStats(t.dir, [], true);
    const cases = ['isoforge', 'xorriso'].flatMap(tool =>
      trees.small.map(t => ({ tool, tree: t.dir, name: `${count(t.files)} files` }))
    );
    small = await rounds(cases);
  }
  clearOut();
  code = report({ bigStats, big, sparse, sparseRes, small });
} catch (e) {
  console.error(`bench: ${e.message}`);
  code = 1;
} finally {
  cleanup();
}
process.exit(code);

// ---- the report
function report({ bigStats, big, sparse, sparseRes, small }) {
  const iso = big.find(r => r.tool === 'isoforge');
  const get = tool => big.find(r => r.tool === tool);
  const mib = x => fmt(x, 1);
  const table = [
    '| tool | median s | min–max s | peak RSS MiB (median, max) | isoforge ÷ tool |',
    '|---|---|---|---|---|',
    ...big.map(
      r =>
        `| ${r.tool} | ${fmt(r.med)} | ${fmt(r.min)}–${fmt(r.max)} | ${mib(r.rss)}, ${mib(r.rssMax)} | ${r === iso ? '—' : fmt(iso.med / r.med)} |`
    )
  ];
  const targets = [];
  const target = (what, value, limit, unit = '') => {
    const show = v =>
      // ratios to three places, so a value just over the limit does not print as the limit
      unit === '%' ? `${v >= 0 ? '+' : ''}${fmt(v, 1)} %` : unit ? `${mib(v)} ${unit}` : fmt(v, 3);
    const max = unit ? `${unit === '%' ? '+' : ''}${limit} ${unit}` : fmt(limit);
    targets.push(`| ${what} | ≤ ${max} | ${show(value)} | ${value <= limit ? 'PASS' : 'FAIL'} |`);
  };
  target('isoforge wall time ÷ xorriso (medians)', iso.med / get('xorriso').med, 0.5);
  target('isoforge wall time ÷ tar (medians)', iso.med / get('tar').med, 1.3);
  target('isoforge peak RSS, the tree (max of runs)', iso.rssMax, 150, 'MiB');
  if (sparseRes) {
    target('isoforge peak RSS, sparse variant', sparseRes.rss, 150, 'MiB');
    target('sparse variant RSS vs the tree (median)', (sparseRes.rss / iso.rss - 1) * 100, 10, '%');
  }
  const smallTable = [];
  if (small) {
    const [a, b] = trees.small;
    const [an, bn] = [count(a.files), count(b.files)];
    const at = (tool, t) => small.find(r => r.tool === tool && r.tree === t.dir);
    smallTable.push(`| | ${an} files | ${bn} files | ${bn} ÷ ${an} |`, '|---|---|---|---|');
    for (const tool of ['isoforge', 'xorriso']) {
      const [x, y] = [at(tool, a), at(tool, b)];
      const range = r => `${fmt(r.med)} (${fmt(r.min)}–${fmt(r.max)})`;
      smallTable.push(`| ${tool} median s (min–max) | ${range(x)} | ${range(y)} | ${fmt(y.med / x.med)} |`);
      smallTable.push(
        `| ${tool} peak RSS MiB (median) | ${mib(x.rss)} | ${mib(y.rss)} | ${fmt(y.rss / x.rss)} |`
      );
    }
    const [x, y] = [at('isoforge', a), at('isoforge', b)];
    const perFile = ((y.rss - x.rss) * MiB) / (b.files - a.files);
    smallTable.push(
      '',
      `isoforge's RSS per file: ${fmt(perFile, 0)} bytes for each extra file ((RSS at ${bn} − RSS at ${an}) ÷ ` +
        `${count(b.files - a.files)}); ${fmt((y.rss * MiB) / b.files, 0)} bytes per file overall at ${bn}.`
    );
    target(`isoforge wall time, ${bn} ÷ ${an} files (medians)`, y.med / x.med, 2.2);
    target(`isoforge RSS, ${bn} ÷ ${an} files (medians; linear growth)`, y.rss / x.rss, 2.2);
    target(`isoforge peak RSS, ${bn} files (max of runs)`, y.rssMax, 400, 'MiB');
  }
  const floorNote = floorLine(iso, get('hash floor'), get('xorriso'));
  const failed = targets.filter(t => t.endsWith('FAIL |')).length;
  const targetTable = ['| target | limit | measured | result |', '|---|---|---|---|', ...targets];
  console.log(
    ['', `tree: ${count(bigStats.files)} files, ${fmt(bigStats.bytes / GiB)} GiB`, ...table].join('\n')
  );
  console.log(floorNote);
  if (sparseRes) console.log(`sparse variant: isoforge ${fmt(sparseRes.secs)} s, ${mib(sparseRes.rss)} MiB`);
  if (small) console.log(['', ...smallTable].join('\n'));
  console.log(['', ...targetTable, '', failed ? `${failed} target(s) FAILED` : 'all targets met'].join('\n'));
  if (opt.docs) {
    fs.mkdirSync(path.dirname(docPath), { recursive: true });
    fs.writeFileSync(
      docPath,
      doc({ bigStats, sparse, sparseRes, table, floorNote, smallTable, targetTable })
    );
    console.log(`wrote ${path.relative(process.cwd(), docPath)}`);
  }
  return failed ? 1 : 0;
}

/**
 * What the hashing floor says about the xorriso target: how much time 0.5 × xorriso leaves above
 * the digests' own cost in this run (none: no tool that makes them could meet it here).
 */
function floorLine(iso, floor, xorriso) {
  const limit = 0.5 * xorriso.med;
  const room = limit - floor.med;
  return (
    `Hashing floor ${fmt(floor.med)} s (median): isoforge takes ${fmt(iso.med / floor.med)}× the time of its digests alone. ` +
    `The xorriso target asks for at most ${fmt(limit)} s here (0.5 × ${fmt(xorriso.med)} s), ` +
    (room > 0
      ? `which leaves ${fmt(room)} s above the floor for scanning, laying out and writing the image.`
      : `${fmt(-room)} s under the floor: in this run no tool that computes these digests could meet it.`)
  );
}

function doc({ bigStats, sparse, sparseRes, table, floorNote, smallTable, targetTable }) {
  const first = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${r.stdout}\n${r.stderr}`.trim().split('\n')[0];
  };
  const fstype = dir =>
    spawnSync('df', ['--output=fstype', dir], { encoding: 'utf8' }).stdout?.trim().split('\n')[1] ?? '?';
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const desc = opt.tree
    ? `\`${opt.tree}\` (given with \`--tree\`): ${count(bigStats.files)} files, ${fmt(bigStats.bytes / GiB)} GiB`
    : `generated (seeded): one ${fmt(bigPlan.big.size / MiB, 0)} MiB file and ${count(bigPlan.files.length - 1)} files of 0.5–150 KB in ${Math.ceil((bigPlan.files.length - 1) / 20)} directories; ${count(bigStats.files)} files, ${fmt(bigStats.bytes / GiB)} GiB (${count(bigStats.bytes)} bytes)`;
  const lines = [
    '# Benchmarks',
    '',
    '`npm run bench` (`scripts/bench.mjs`) generates a 2 GiB tree deterministically in a temporary directory (or takes `--tree DIR`) and times, alternating them in one run, `isoforge build` with SHA-256 and the manifest, `xorriso -as mkisofs -R -J`, `genisoimage -R -J`, `tar -cf` (the I/O floor: reading and writing the same bytes) and the hashing floor (the same digests as isoforge makes, nothing else): whole-process wall time and peak RSS. It also times trees of 100,000 and 200,000 small files, checks the targets below and rewrites this page. Options: `--runs N`, `--settle S`, `--cache warm|cold`, `--out DIR`, `--tree DIR`, `--keep`, `--no-small`, `--no-docs` (see `npm run bench -- --help`). It needs `xorriso`, `genisoimage` and `/usr/bin/time` (`bash scripts/install-test-tools.sh`) and about 10 GiB of free disk. It is a benchmark, not a test: CI does not run it. Where the time goes, and why a target is missed: [performance.md](performance.md).',
    ''
  ];
  if (opt.scale !== 1)
    lines.push(
      `**This was a scaled development run (\`--scale ${opt.scale}\`): file counts and the big file's size are multiplied by ${opt.scale}, so the numbers and targets mean little.**`,
      ''
    );
  lines.push(
    `Measured ${new Date().toISOString()}.`,
    '',
    '## Machine',
    '',
    `- ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${fmt(os.totalmem() / GiB, 1)} GiB RAM, Linux ${os.release()}`,
    `- trees on ${fstype(tmp)}, outputs on ${fstype(out)}; Node ${process.version}`,
    `- isoforge ${version} (dist/cli/index.js); ${first('xorriso', ['-version'])}; ${first('genisoimage', ['--version'])}; ${first('tar', ['--version'])}`,
    '',
    '## Method',
    '',
    `Each command runs under \`${TIME} -f '%M %e %U %S'\` (peak RSS); wall time is measured around it. T is the tree, O the output directory:`,
    '',
    '```',
    ...Object.values(COMMANDS),
    '```',
    '',
    `Before every run all outputs are deleted, \`sync\` runs and the benchmark waits ${opt.settle} s (settle), then ${opt.cache === 'warm' ? 'reads the whole source tree (a warm page cache, as for artifacts a job has just built)' : 'drops the page cache (a cold source)'}, so every tool starts from the same state. (On this VM freed memory goes back to the host within seconds and file data untouched for ~6 s is paged out, so a tool that ran right after a delete or a warm-up would otherwise be favoured.) ${opt.runs} round(s); each round rotates the tool order. isoforge's run includes writing \`O/isoforge.iso.manifest.json\` and \`O/SHA256SUMS\`.`,
    '',
    `## The tree`,
    '',
    desc,
    '',
    ...table,
    '',
    `The hashing floor (\`hash floor\`, \`scripts/bench-floor.mjs\`) lists the tree, then two threads go through the files' bytes in 6 MiB windows, each window read once (the threads take turns) and hashed by both: one computes the SHA-256 of all the bytes in turn (the image digest's work), the other each file's SHA-256 (the manifest's). Nothing is made or written. ${floorNote}`,
    ''
  );
  if (sparse && sparseRes)
    lines.push(
      `Sparse variant (does RSS grow with file sizes?): ${opt.tree ? 'hard links to every file of the tree plus' : 'hard links to the small files and, instead of the big file,'} a sparse file of ${fmt(sparseSize / GiB, 2)} GiB; ${count(sparse.files)} files, ${fmt(sparse.bytes / GiB, 2)} GiB. isoforge, one run: ${fmt(sparseRes.secs)} s, peak RSS ${fmt(sparseRes.rss, 1)} MiB.`,
      ''
    );
  for (const note of notes) lines.push(note, '');
  if (smallTable.length) {
    const t = trees.small.map(s => `${count(s.files)} files (${fmt(s.bytes / MiB, 0)} MiB)`).join(' and ');
    lines.push(
      '## Small files',
      '',
      `Metadata-bound: ${t} of 100–4,096 bytes, 100 per directory in two levels of directories.`,
      '',
      ...smallTable,
      ''
    );
  }
  lines.push('## Targets', '', ...targetTable, '');
  return lines.join('\n');
}
