/* global console, process */
/**
 * The report of `npm run bench` (bench.mjs): the tables, the targets with a pass/fail each,
 * printed and written to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs', 'benchmarks.md');
const fmt = (n, d = 2) => n.toFixed(d);
const mib = x => fmt(x, 1);
const count = x => x.toLocaleString('en-US');

/** A table of one tree's cases: median, range, RSS, CPU, and the ratio of `ref` to each. */
function toolTable(rows, ref, refName) {
  return [
    `| tool | median s | min–max s | peak RSS MiB (median, max) | CPU s (median) | ${refName} ÷ tool |`,
    '|---|---|---|---|---|---|',
    ...rows.map(
      r =>
        `| ${r.tool} | ${fmt(r.med)} | ${fmt(r.min)}–${fmt(r.max)} | ${mib(r.rss)}, ${mib(r.rssMax)} | ${fmt(r.cpu)} | ${r === ref ? '—' : fmt(ref.med / r.med)} |`
    )
  ];
}

/**
 * The ratio of two cases run by run (each round ran both, so round i's ratio compares runs made
 * minutes apart at most): median and range. Less sensitive to load than a ratio of medians alone.
 */
function pairedRatio(a, b) {
  const r = a.runs.map((x, i) => x.secs / b.runs[i].secs).sort((x, y) => x - y);
  const m = r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  return { med: m, min: r[0], max: r[r.length - 1] };
}

/**
 * The floor of a default build on this machine: it makes two SHA-256 streams (the image's and
 * every file's), each one serial pass's CPU (openssl's over the image, `image floor`), and on C
 * cores those take at least their sum ÷ C of wall time; so the build is judged against the larger
 * of one serial pass and 2 × that CPU ÷ C. The serial pass is the faster of the two measured:
 * `cat | openssl` over the files (its pipe and 20,000 `cat` reads cost 5 s of CPU on a loaded
 * machine, 4.4 s of wall) or openssl over the image file alone (1.9 s).
 */
function honestTarget(big, verify, target, ratios) {
  const iso = big.find(r => r.tool === 'isoforge');
  const floor = big.find(r => r.tool === 'sha256 floor');
  const sha = verify?.find(r => r.tool === 'image floor');
  if (!iso || !floor || !sha) return;
  const cores = os.availableParallelism();
  const both = (2 * sha.cpu) / cores;
  const serial = Math.min(floor.med, sha.med);
  const honest = Math.max(serial, both);
  target('build ÷ max(SHA-256 floor, 2 × SHA-256 CPU ÷ cores), 2 GiB tree (medians)', iso.med / honest, 1.1);
  ratios.push(
    `default build's floor on ${cores} cores: max(${fmt(serial)} s one serial pass, 2 × ${fmt(sha.cpu)} s SHA-256 CPU ÷ ${cores} = ${fmt(both)} s) = ${fmt(honest)} s; build ${fmt(iso.med)} s: ${fmt(iso.med / honest, 3)}`
  );
}

export function report(ctx, res) {
  const { bigStats, big, mid, verify, remaster, sparse, sparseRes, small } = res;
  const get = (rows, tool) => rows?.find(r => r.tool === tool);
  const targets = [];
  const target = (what, value, limit, unit = '') => {
    const show = v =>
      // ratios to three places, so a value just over the limit does not print as the limit
      unit === '%'
        ? `${v >= 0 ? '+' : ''}${fmt(v, 1)} %`
        : unit
          ? `${fmt(v, unit === 'bytes' ? 0 : 1)} ${unit}`
          : fmt(v, 3);
    const max = unit ? `${unit === '%' ? '+' : ''}${limit} ${unit}` : fmt(limit);
    targets.push(`| ${what} | ≤ ${max} | ${show(value)} | ${value <= limit ? 'PASS' : 'FAIL'} |`);
  };
  const ratios = [];
  // limit null: the ratio is reported beside a target, not judged (the CPU medians with it)
  const floorTarget = (rows, tool, floor, limit, what) => {
    const a = get(rows, tool);
    const f = get(rows, floor);
    if (!a || !f) return;
    const p = pairedRatio(a, f);
    if (limit !== null) target(`${what} (median of per-round ratios)`, p.med, limit);
    const cpu = limit === null ? `; CPU ${fmt(a.cpu)} s against ${fmt(f.cpu)} s` : '';
    ratios.push(
      `${what}: ${fmt(p.med, 3)} (rounds ${fmt(p.min, 3)}–${fmt(p.max, 3)}; medians ${fmt(a.med)} s ÷ ${fmt(f.med)} s${cpu})`
    );
    const base = get(rows, `${tool}@base`);
    if (base) {
      const q = pairedRatio(base, f);
      ratios.push(
        `  baseline ${tool}@base: ${fmt(q.med, 3)} (rounds ${fmt(q.min, 3)}–${fmt(q.max, 3)}; median ${fmt(base.med)} s)`
      );
    }
  };
  floorTarget(big, 'isoforge', 'sha256 floor', 1.1, 'build ÷ SHA-256 floor, 2 GiB tree');
  floorTarget(mid, 'isoforge', 'sha256 floor', 1.15, 'build ÷ SHA-256 floor, mid tree');
  floorTarget(big, 'isoforge -m0', 'sha256 floor', 1.1, 'build --manifest false ÷ SHA-256 floor, 2 GiB tree');
  if (big) honestTarget(big, verify, target, ratios);
  floorTarget(verify, 'verify', 'image floor', 1.2, 'verify ÷ SHA-256 floor over the image');
  // verify makes two SHA-256 streams; two openssl at once show what the machine gives two
  floorTarget(verify, 'verify', 'two streams', null, 'verify ÷ two SHA-256 passes at once over the image');
  // reported only: the bare pass (bench-least.mjs: read once, two SHA-256, nothing else)
  floorTarget(verify, 'least verify', 'image floor', null, 'least verify ÷ SHA-256 floor over the image');
  floorTarget(verify, 'verify', 'least verify', null, 'verify ÷ least verify (its own work beside the bare pass)');
  floorTarget(remaster, 'remaster', 'remaster floor', 1.2, 'remaster ÷ SHA-256 floor over its output');
  floorTarget(remaster, 'remaster', 'xorriso replay', 0.5, 'remaster ÷ xorriso replay + sha256sum');
  // reported only: the read and the write of 2 GiB alone, beside the hash-only floor
  floorTarget(remaster, 'remaster', 'copy floor', null, 'remaster ÷ a copy of its input (dd, direct writes)');
  // reported only: the bare read, two SHA-256 and direct write (bench-least.mjs)
  floorTarget(remaster, 'least remaster', 'remaster floor', null, 'least remaster ÷ SHA-256 floor over the output');
  floorTarget(remaster, 'remaster', 'least remaster', null, 'remaster ÷ least remaster (its own work beside the bare one)');
  const rem = get(remaster, 'remaster');
  if (rem) target('remaster peak RSS, the 2 GiB image (max of runs)', rem.rssMax, 150, 'MiB');
  const iso = get(big, 'isoforge');
  if (iso) target('isoforge peak RSS, the 2 GiB tree (max of runs)', iso.rssMax, 150, 'MiB');
  if (sparseRes) {
    target('isoforge peak RSS, sparse variant', sparseRes.rss, 150, 'MiB');
    target('sparse variant RSS vs the tree (median)', (sparseRes.rss / iso.rss - 1) * 100, 10, '%');
  }
  const smallTable = [];
  if (small) {
    const [a, b] = ctx.trees.small;
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
      const perFile = ((y.rss - x.rss) * MiB) / (b.files - a.files);
      smallTable.push(`| ${tool} RSS per extra file, bytes | | ${fmt(perFile, 0)} | |`);
      if (tool === 'isoforge') {
        target(
          `isoforge RSS per file (RSS at ${bn} − at ${an}) ÷ ${count(b.files - a.files)}`,
          perFile,
          700,
          'bytes'
        );
        target(`isoforge wall time, ${bn} ÷ ${an} files (medians)`, y.med / x.med, 2.2);
      }
    }
  }
  const failed = targets.filter(t => t.endsWith('FAIL |')).length;
  const tables = {
    big: big ? toolTable(big, iso, 'isoforge') : [],
    mid: mid ? toolTable(mid, get(mid, 'isoforge'), 'isoforge') : [],
    verify: verify ? toolTable(verify, get(verify, 'verify'), 'verify') : [],
    remaster: remaster ? toolTable(remaster, rem, 'remaster') : []
  };
  const targetTable = ['| target | limit | measured | result |', '|---|---|---|---|', ...targets];
  console.log(
    ['', `tree: ${count(bigStats.files)} files, ${fmt(bigStats.bytes / GiB)} GiB`, ...tables.big].join('\n')
  );
  if (mid) console.log(['', 'mid tree', ...tables.mid].join('\n'));
  if (verify) console.log(['', 'verify', ...tables.verify].join('\n'));
  if (remaster) console.log(['', 'remaster', ...tables.remaster].join('\n'));
  console.log(['', ...ratios].join('\n'));
  if (sparseRes) console.log(`sparse variant: isoforge ${fmt(sparseRes.secs)} s, ${mib(sparseRes.rss)} MiB`);
  if (small) console.log(['', ...smallTable].join('\n'));
  console.log(['', ...targetTable, '', failed ? `${failed} target(s) FAILED` : 'all targets met'].join('\n'));
  if (ctx.opt.docs) {
    fs.mkdirSync(path.dirname(docPath), { recursive: true });
    fs.writeFileSync(docPath, doc(ctx, res, { tables, ratios, smallTable, targetTable }));
    console.log(`wrote ${path.relative(process.cwd(), docPath)}`);
  }
  return failed ? 1 : 0;
}

function doc(ctx, { bigStats, midPlan, sparse, sparseRes }, { tables, ratios, smallTable, targetTable }) {
  const { opt, bigPlan, sparseSize, notes, commands, floorScript, tmp, out } = ctx;
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
    "`npm run bench` (`scripts/bench.mjs`) generates a 2 GiB tree, a 512 MiB + 5,000 files tree and trees of 500,000 and 1,000,000 small files deterministically (or takes `--tree DIR` for the first) and times, alternating them in one run, `isoforge build` with SHA-256 and the manifest against its floor — one serial SHA-256 pass over the files' bytes — with `xorriso -as mkisofs -R -J`, `genisoimage -R -J` and `tar -cf` beside it; `isoforge verify --manifest true --checksums-file` of the 2 GiB image against one SHA-256 pass over the image; whole-process wall time including a `sync` after every tool, peak RSS and CPU time. It checks the targets below and rewrites this page. Options: `--runs N`, `--settle S`, `--cache warm|cold`, `--out DIR`, `--small-dir DIR`, `--baseline CLI` (time another build of the CLI beside it), `--tree DIR`, `--keep`, `--no-mid`, `--no-verify`, `--no-small`, `--no-docs` (see `npm run bench -- --help`). It needs `xorriso`, `genisoimage`, `openssl` and `/usr/bin/time` (`bash scripts/install-test-tools.sh`), about 14 GiB of free disk and 1.5 million free inodes. It is a benchmark, not a test: CI does not run it. Where the time goes, and why a target is missed: [performance.md](performance.md).",
    ''
  ];
  if (opt.scale !== 1)
    lines.push(
      `**This was a scaled development run (\`--scale ${opt.scale}\`): file counts and the big files' sizes are multiplied by ${opt.scale}, so the numbers and targets mean little.**`,
      ''
    );
  lines.push(
    `Measured ${new Date().toISOString()}.`,
    '',
    '## Machine',
    '',
    `- ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${fmt(os.totalmem() / GiB, 1)} GiB RAM, Linux ${os.release()}; load average ${os
      .loadavg()
      .map(l => fmt(l))
      .join(' ')} at the end`,
    `- trees on ${fstype(tmp)}, outputs on ${fstype(out)}; Node ${process.version}`,
    `- isoforge ${version} (dist/cli/index.js); ${first('xorriso', ['-version'])}; ${first('genisoimage', ['--version'])}; ${first('tar', ['--version'])}; ${first('openssl', ['version'])}`,
    '',
    '## Method',
    '',
    `Each command runs under \`/usr/bin/time -f '%M %e %U %S'\` (peak RSS, CPU), then \`sync\`; wall time is measured around both. T is the tree (for verify, the directory of its image), O the output directory, BASE the \`--baseline\` CLI, FLOOR \`${floorScript}\`:`,
    '',
    '```',
    ...Object.values(commands),
    '```',
    '',
    `Before every run all outputs are deleted, \`sync\` runs and the benchmark waits ${opt.settle} s (settle), then ${opt.cache === 'warm' ? 'reads the whole source tree (a warm page cache, as for artifacts a job has just built)' : 'drops the page cache (a cold source)'}, so every tool starts from the same state. (On this VM freed memory goes back to the host within seconds and file data untouched for ~6 s is paged out, so a tool that ran right after a delete or a warm-up would otherwise be favoured.) ${opt.runs} round(s); each round rotates the tool order. isoforge's run includes writing \`O/isoforge.iso.manifest.json\` and \`O/SHA256SUMS\`. A ratio to a floor is taken round by round (both ran in the same round) and the median of those is the figure judged. \`digests floor\` (\`scripts/bench-floor.mjs\`) is reported only: both digests isoforge makes (the image's and every file's SHA-256) on two threads, nothing else — on 2 cores it is the floor of a build that makes the manifest.`,
    '',
    '## The 2 GiB tree',
    '',
    desc,
    '',
    ...tables.big,
    ''
  );
  if (tables.mid.length) {
    const bytes = midPlan.files.reduce((s, f) => s + f.size, 0);
    lines.push(
      '## The mid tree',
      '',
      `One ${fmt(midPlan.big.size / MiB, 0)} MiB file and ${count(midPlan.files.length - 1)} files of 0.5–150 KB: ${fmt(bytes / 1e6, 0)} MB.`,
      '',
      ...tables.mid,
      ''
    );
  }
  if (tables.verify.length)
    lines.push(
      '## Verify',
      '',
      "isoforge's image of the 2 GiB tree, its manifest and SHA256SUMS; `image floor` is one SHA-256 pass over the image, `two streams` two at once (TWO: `" +
        ctx.twoScript +
        "`, the image as $1): verify makes two SHA-256 streams, the checksum file's and the manifest's files', and this is what the cores give two. `least verify` (scripts/bench-least.mjs) reads the image once in 6 MiB windows and hashes each on two threads: the bare pass, with no tree, manifest or comparison.",
      '',
      ...tables.verify,
      ''
    );
  if (tables.remaster.length)
    lines.push(
      '## Remaster',
      '',
      "The verify image remastered with a one-file overlay (`build --source-image`), beside `xorriso -indev … -outdev … -boot_image any replay -map` followed by `sha256sum` of its output, one `openssl dgst -sha256` of a remaster's output (the floor), `copy floor`: `dd` of the input image to a new file with direct writes, as isoforge writes (what a remaster costs beside hashing: the read and the write), and `least remaster` (scripts/bench-least.mjs): the input read once in 6 MiB windows, hashed by two threads (the image's SHA-256 and, for the files', a second) and written with direct writes — the bare work of a default remaster, with no tree, plan or manifest.",
      '',
      ...tables.remaster,
      ''
    );
  lines.push('## Ratios to the floors', '', ...ratios.map(r => `- ${r.trim()}`), '');
  if (sparse && sparseRes)
    lines.push(
      `Sparse variant (does RSS grow with file sizes?): ${opt.tree ? 'hard links to every file of the tree plus' : 'hard links to the small files and, instead of the big file,'} a sparse file of ${fmt(sparseSize / GiB, 2)} GiB; ${count(sparse.files)} files, ${fmt(sparse.bytes / GiB, 2)} GiB. isoforge, one run: ${fmt(sparseRes.secs)} s, peak RSS ${fmt(sparseRes.rss, 1)} MiB.`,
      ''
    );
  for (const note of notes) lines.push(note, '');
  if (smallTable.length) {
    const t = ctx.trees.small
      .map(s => `${count(s.files)} files (${fmt(s.bytes / MiB, 0)} MiB)`)
      .join(' and ');
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
