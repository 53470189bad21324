#!/usr/bin/env node
/**
 * The outside fuzz of the CLI (issue 18, "Done when"). NOT part of `npm test`: it runs the bundled
 * CLI as a user does, one process per run, for several minutes.
 *
 *   npm run bundle && node scripts/fuzz-cli.mjs [--cases 1500] [--seed 1] [--keep DIR]
 *
 * SIGINT or SIGTERM stops after the current image and prints the tally of what ran.
 *
 * Bases from several producers (isoforge itself through dist/cli, `xorriso -as mkisofs` plain and
 * bootable, grub-mkrescue, iPXE's /usr/lib/ipxe/ipxe.iso, memtest86+'s
 * /usr/lib/memtest86+/memtest86+x64.iso; a missing producer is reported and skipped). Each case
 * mutates one base structure-aware: PVD/SVD fields, directory records (lengths, extents, sizes,
 * flags, names), path tables, the El Torito catalog, SUSP/Rock Ridge entries (NM, SL, CE, PX),
 * Joliet names and ids, MBR and GPT, plus hostile text (controls, workflow command prefixes) in
 * ids and names, byte flips, sector copies and truncation. Then, each as its own process with a
 * 10 s limit and node's heap capped (--max-old-space-size=1024) while /usr/bin/time -v measures
 * the maximum RSS:
 *   node dist/cli/index.js verify --image X;  inspect --json X;  inspect X
 * A run is invalid unless: it exits 0 or 1; on 1 stderr is exactly one line; stdout and stderr
 * hold no raw control character (other than line feeds) and no line a runner reads as a workflow
 * command; no stack trace; within 10 s and 1 GiB. Invalid cases are kept (the image and a .json
 * describing it) under --keep (default /tmp/isoforge-fuzz-cli). Prints a tally at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prng } from './bench-tree.mjs';

const SECTOR = 2048;
const TIME_LIMIT_MS = 10_000;
const RSS_LIMIT_KB = 1024 * 1024;
const CLI = path.resolve('dist/cli/index.js');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const CASES = Number(arg('cases', 1500));
const SEED = Number(arg('seed', 1));
const KEEP = arg('keep', '/tmp/isoforge-fuzz-cli');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

// ---- bases ------------------------------------------------------------------------------------

function tree(root) {
  const put = (rel, content) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  put('a.txt', 'hello\n');
  put('sub/b.bin', Buffer.alloc(3000, 7));
  put('sub/deeper/c.txt', 'c\n');
  put(`sub/${'n'.repeat(150)}.txt`, 'long name\n');
  for (let i = 0; i < 8; i++) put(`other/file-with-a-long-name-${i}.txt`, `${i}\n`);
}

function makeBases(dir) {
  const bases = [];
  const skipped = [];
  const src = path.join(dir, 'src');
  tree(src);
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
  const add = (producer, name, file) => bases.push({ producer, name, data: readFileSync(file) });
  const tryMake = (producer, name, fn) => {
    try {
      fn();
    } catch (e) {
      skipped.push(`${producer} ${name}: ${String(e.message ?? e).split('\n')[0]}`);
    }
  };
  tryMake('isoforge', 'plain', () => {
    const o = path.join(dir, 'ours.iso');
    sh('node', [CLI, 'build', '--source', src, '--output', o, '--volume-id', 'FUZZ', '--quiet'], { env });
    add('isoforge', 'plain', o);
  });
  const boot = path.join(dir, 'boot');
  tree(boot);
  tryMake('isoforge', 'hybrid', () => {
    mkdirSync(path.join(boot, 'isolinux'), { recursive: true });
    copyFileSync('/usr/lib/ISOLINUX/isolinux.bin', path.join(boot, 'isolinux/isolinux.bin'));
    const efi = path.join(boot, 'efi.img');
    sh('mkfs.fat', ['-C', '-i', '12345678', efi, '64']);
    writeFileSync(path.join(dir, 'BOOTX64.EFI'), 'not an EFI application\n');
    sh('mmd', ['-i', efi, '::/EFI', '::/EFI/BOOT']);
    sh('mcopy', ['-i', efi, path.join(dir, 'BOOTX64.EFI'), '::/EFI/BOOT/BOOTX64.EFI']);
    const o = path.join(dir, 'ours-hybrid.iso');
    // the CLI refuses an output inside the source, so it is written next to it
    sh(
      'node',
      [CLI, 'build', '--source', boot, '--output', o, '--volume-id', 'FUZZ', '--bios-boot', 'isolinux/isolinux.bin',
        '--uefi-boot', 'efi.img', '--hybrid', '--mbr-template', '/usr/lib/ISOLINUX/isohdpfx.bin', '--quiet'],
      { env }
    );
    add('isoforge', 'hybrid', o);
  });
  tryMake('xorriso', 'plain', () => {
    const o = path.join(dir, 'xorriso.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-V', 'FUZZ', '-o', o, src], { env });
    add('xorriso', 'plain', o);
  });
  tryMake('xorriso', 'isohybrid', () => {
    const o = path.join(dir, 'xorriso-boot.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-V', 'FUZZ', '-b', 'isolinux/isolinux.bin',
      '-c', 'isolinux/boot.cat', '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table',
      '-isohybrid-mbr', '/usr/lib/ISOLINUX/isohdpfx.bin', '-eltorito-alt-boot', '-e', 'efi.img',
      '-no-emul-boot', '-isohybrid-gpt-basdat', '-o', o, boot], { env });
    add('xorriso', 'isohybrid', o);
  });
  tryMake('grub-mkrescue', 'rescue', () => {
    const o = path.join(dir, 'grub.iso');
    const g = path.join(dir, 'grub-tree');
    mkdirSync(path.join(g, 'boot/grub'), { recursive: true });
    writeFileSync(path.join(g, 'boot/grub/grub.cfg'), 'echo fuzz\n');
    sh('grub-mkrescue', ['-o', o, g], { env });
    add('grub-mkrescue', 'rescue', o);
  });
  for (const [producer, file] of [
    ['ipxe', '/usr/lib/ipxe/ipxe.iso'],
    ['memtest86+', '/usr/lib/memtest86+/memtest86+x64.iso']
  ]) {
    if (existsSync(file)) add(producer, path.basename(file), file);
    else skipped.push(`${producer}: ${file} is not installed`);
  }
  return { bases, skipped };
}

// ---- structure: where the interesting fields are -----------------------------------------------

/** Field offsets (with widths) and text spots of one base, found by walking its structures. */
function describe(data) {
  const fields = [];
  const texts = [];
  const dirSectors = [];
  const u32 = off => (off + 4 <= data.length ? data.readUInt32LE(off) : 0);
  const vds = [];
  for (let lba = 16; lba < 32 && (lba + 1) * SECTOR <= data.length; lba++) {
    const at = lba * SECTOR;
    if (data.toString('latin1', at + 1, at + 6) !== 'CD001') break;
    vds.push({ type: data[at], at });
    if (data[at] === 255) break;
  }
  let catalog;
  for (const vd of vds) {
    if (vd.type === 0) {
      fields.push({ at: vd.at + 71, width: 4 }); // El Torito 2.0: boot catalog pointer
      catalog = u32(vd.at + 71);
    }
    if (vd.type !== 1 && vd.type !== 2) continue;
    const joliet = vd.type === 2;
    // ECMA-119 8.4: volume space size, block size, path table size/locations, the root record
    for (const [off, width] of [[80, 8], [128, 4], [132, 8], [140, 4], [144, 4], [148, 4], [152, 4], [156, 1], [158, 8], [166, 8], [181, 1]])
      fields.push({ at: vd.at + off, width });
    texts.push({ at: vd.at + 40, length: 32, utf16: joliet, what: joliet ? 'Joliet volume id' : 'volume id' });
    texts.push({ at: vd.at + 574, length: 128, utf16: joliet, what: 'application id' });
    const ptSize = u32(vd.at + 132);
    const lpt = u32(vd.at + 140);
    if (ptSize < 65536) for (let o = 0; o + 8 <= ptSize; o += 8 + ((data[lpt * SECTOR + o] + 1) & ~1)) {
      if (lpt * SECTOR + o + 8 > data.length || data[lpt * SECTOR + o] === 0) break;
      fields.push({ at: lpt * SECTOR + o + 2, width: 4 }, { at: lpt * SECTOR + o + 6, width: 2 }, { at: lpt * SECTOR + o, width: 1 });
    }
    // walk the directories (breadth first, each once)
    const seen = new Set();
    const queue = [[u32(vd.at + 158), u32(vd.at + 166)]];
    while (queue.length && seen.size < 64) {
      const [lba, size] = queue.shift();
      if (seen.has(lba) || lba * SECTOR + size > data.length || size > 1 << 20) continue;
      seen.add(lba);
      for (let s = 0; s < size; s += SECTOR) {
        const sec = lba * SECTOR + s;
        dirSectors.push(sec);
        for (let off = 0; off < SECTOR; ) {
          const len = data[sec + off];
          if (len < 34 || off + len > SECTOR) break;
          const r = sec + off;
          const idLen = data[r + 32];
          fields.push({ at: r, width: 1 }, { at: r + 2, width: 8 }, { at: r + 10, width: 8 }, { at: r + 25, width: 1 }, { at: r + 32, width: 1 });
          if (idLen > 1) texts.push({ at: r + 33, length: idLen, utf16: joliet, what: joliet ? 'Joliet name' : 'ISO 9660 name' });
          if (data[r + 25] & 2 && idLen === 1 && data[r + 33] > 1) queue.push([u32(r + 2), u32(r + 10)]);
          else if (data[r + 25] & 2 && idLen > 1) queue.push([u32(r + 2), u32(r + 10)]);
          // SUSP (IEEE P1281): entries after the identifier and its pad byte
          let su = r + 33 + idLen + (idLen % 2 === 0 ? 1 : 0);
          while (su + 4 <= r + len) {
            const sig = data.toString('latin1', su, su + 2);
            const elen = data[su + 2];
            if (elen < 4 || su + elen > r + len) break;
            fields.push({ at: su + 2, width: 1 });
            if (sig === 'CE') for (const k of [4, 12, 20]) fields.push({ at: su + k, width: 8 });
            if (sig === 'NM' && elen > 5) texts.push({ at: su + 5, length: elen - 5, utf16: false, what: 'Rock Ridge name' });
            if (sig === 'SL' && elen > 7) texts.push({ at: su + 7, length: elen - 7, utf16: false, what: 'Rock Ridge link' });
            if (sig === 'PX') fields.push({ at: su + 4, width: 8 });
            if (sig === 'SP') fields.push({ at: su + 6, width: 1 });
            su += elen;
          }
          off += len;
        }
      }
    }
  }
  if (catalog !== undefined && (catalog + 1) * SECTOR <= data.length) {
    const c = catalog * SECTOR;
    for (let e = 0; e < 8; e++) fields.push({ at: c + 32 * e, width: 1 }, { at: c + 32 * e + 1, width: 1 }, { at: c + 32 * e + 6, width: 2 }, { at: c + 32 * e + 8, width: 4 });
  }
  // MBR (4 entries at 446) and GPT (UEFI 5.3.2 header at LBA 1, entries where it says)
  if (data[510] === 0x55 && data[511] === 0xaa) {
    for (let i = 0; i < 4; i++) fields.push({ at: 446 + 16 * i + 4, width: 1 }, { at: 446 + 16 * i + 8, width: 4 }, { at: 446 + 16 * i + 12, width: 4 });
  }
  if (data.toString('latin1', 512, 520) === 'EFI PART') {
    for (const off of [12, 24, 32, 40, 48, 72, 80, 84]) fields.push({ at: 512 + off, width: 4 });
    const entries = Number(data.readBigUInt64LE(512 + 72)) * 512;
    for (let e = 0; e < 4 && entries + 128 * (e + 1) <= data.length; e++) {
      fields.push({ at: entries + 128 * e + 32, width: 8 }, { at: entries + 128 * e + 40, width: 8 });
      texts.push({ at: entries + 128 * e + 56, length: 72, utf16: 'le', what: 'GPT partition name' });
    }
  }
  return { fields, texts, dirSectors };
}

// ---- mutation ----------------------------------------------------------------------------------

const INTERESTING = [0, 1, 2, 0x21, 0x22, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff];
const HOSTILE = ['\n', '\r', '\x1b[2J', '\x1b]0;t\x07', '\0', '\x7f', '\x9b', '\u2028', '\u202e', '\ud800', '::error::x',
  '\n::add-mask::s', '::stop-commands::t', '%0A', '##[set-output name=result;]pass', 'verify: PASS', '"', '\\', '/'];

function setField(b, at, width, value) {
  if (at < 0 || at + width > b.length) return;
  if (width === 1) b[at] = value & 0xff;
  else if (width === 2) b.writeUInt16LE(value & 0xffff, at);
  else if (width === 4) b.writeUInt32LE(value >>> 0, at);
  else {
    b.writeUInt32LE(value >>> 0, at);
    b.writeUInt32BE(value >>> 0, at + 4);
  }
}

function mutate(base, r) {
  const int = n => Math.floor(r() * n);
  let b = Buffer.from(base.data);
  const d = base.desc;
  const done = [];
  for (let k = 1 + int(3); k > 0; k--) {
    const kind = int(12);
    if (kind < 4 && d.fields.length) {
      const f = d.fields[int(d.fields.length)];
      const blocks = Math.floor(b.length / SECTOR);
      const pool = [...INTERESTING, blocks, blocks - 1, blocks + 1, int(blocks), int(0x100000000)];
      const v = pool[int(pool.length)];
      setField(b, f.at, f.width, v);
      done.push(`field ${f.at}/${f.width}=${v}`);
    } else if (kind < 7 && d.texts.length) {
      const t = d.texts[int(d.texts.length)];
      let s = '';
      while (s.length < 1 + int(6)) s += HOSTILE[int(HOSTILE.length)];
      const bytes = t.utf16 === 'le' ? Buffer.from(s, 'utf16le') : t.utf16 ? Buffer.from(s, 'utf16le').swap16() : Buffer.from(s, 'utf8');
      const at = t.at + int(Math.max(1, t.length - bytes.length));
      bytes.copy(b, at, 0, Math.max(0, Math.min(bytes.length, t.at + t.length - at)));
      done.push(`${t.what} ${at}=${JSON.stringify(s)}`);
    } else if (kind < 9) {
      const metaEnd = Math.min(b.length, (d.dirSectors.length ? Math.max(...d.dirSectors) + SECTOR : 40 * SECTOR));
      for (let i = 1 + int(8); i > 0; i--) b[int(metaEnd)] = int(256);
      done.push('flips');
    } else if (kind < 11 && d.dirSectors.length) {
      const from = d.dirSectors[int(d.dirSectors.length)];
      const to = r() < 0.7 ? d.dirSectors[int(d.dirSectors.length)] : int(Math.floor(b.length / SECTOR)) * SECTOR;
      // an earlier truncation may have cut the image before either sector
      if (to + SECTOR <= b.length && from + SECTOR <= b.length) b.copy(b, to, from, from + SECTOR);
      done.push(`copy ${from}->${to}`);
    } else {
      const length = int(b.length);
      b = b.subarray(0, length);
      done.push(`truncate ${length}`);
    }
  }
  return { data: b, mutations: done };
}

// ---- running and judging ------------------------------------------------------------------------

const RAW = /[\0-\t\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at [^ ]+:\d+:\d+$|node:internal/m;

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', 'node', '--max-old-space-size=1024', CLI, ...args], {
    encoding: 'utf8',
    timeout: TIME_LIMIT_MS + 2000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // /usr/bin/time's report is the tail of stderr
  const cut = r.stderr.lastIndexOf('\tCommand being timed:');
  const report = cut >= 0 ? r.stderr.slice(cut) : '';
  // and before it, when the command failed, its own "Command exited with non-zero status N" line
  const stderr = (cut >= 0 ? r.stderr.slice(0, cut) : r.stderr).replace(
    /Command (exited with non-zero status \d+|terminated by signal \d+)\n$/,
    ''
  );
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0);
  const status = Number(/Exit status: (\d+)/.exec(report)?.[1] ?? (r.status ?? -1));
  const signaled = /Command terminated by signal (\d+)/.exec(report)?.[1] ?? r.signal;
  return { status: signaled ? `signal ${signaled}` : status, stdout: r.stdout, stderr, ms, rss };
}

function judge(r) {
  const why = [];
  if (r.status !== 0 && r.status !== 1) why.push(`exit ${r.status}`);
  if (r.status === 1 && r.stderr.split('\n').length !== 2) why.push('error is not exactly one line');
  if (RAW.test(r.stdout) || RAW.test(r.stderr)) why.push('raw control character');
  for (const l of (r.stdout + '\n' + r.stderr).split('\n'))
    if (l.trimStart().startsWith('::') || l.includes('##[')) {
      why.push('workflow command');
      break;
    }
  if (STACK.test(r.stderr) || STACK.test(r.stdout)) why.push('stack trace');
  if (r.ms > TIME_LIMIT_MS) why.push('over 10 s');
  if (r.rss > RSS_LIMIT_KB) why.push('over 1 GiB');
  return why;
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run bundle`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'isoforge-fuzz-cli-'));
  const started = Date.now();
  try {
    const { bases, skipped } = makeBases(work);
    for (const s of skipped) console.log(`skipped: ${s}`);
    for (const b of bases) b.desc = describe(b.data);
    console.log(`bases: ${bases.map(b => `${b.producer}/${b.name} (${b.data.length} bytes, ${b.desc.fields.length} fields, ${b.desc.texts.length} text spots)`).join(', ')}`);
    const r = prng(SEED);
    const perProducer = {};
    const invalid = {};
    const outcomes = { 0: 0, 1: 0 };
    let runs = 0;
    let slowest = { ms: 0 };
    let largest = { rss: 0 };
    const file = path.join(work, 'case.iso');
    // SIGINT/SIGTERM end the loop after the current image and print the tally so far
    let stop = false;
    for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (stop = true));
    let images = 0;
    for (let i = 0; i < CASES && !stop; i++, images++) {
      await new Promise(resolve => setImmediate(resolve)); // lets a signal in between images
      const base = bases[i % bases.length];
      const m = mutate(base, r);
      writeFileSync(file, m.data);
      perProducer[base.producer] = (perProducer[base.producer] ?? 0) + 1;
      for (const args of [['verify', '--image', file], ['inspect', '--json', file], ['inspect', file]]) {
        const res = run(args);
        runs++;
        if (res.status === 0 || res.status === 1) outcomes[res.status]++;
        const what = `${base.producer}/${base.name} #${i} ${args.slice(0, -1).join(' ')}`;
        if (res.ms > slowest.ms) slowest = { ms: res.ms, what };
        if (res.rss > largest.rss) largest = { rss: res.rss, what };
        const why = judge(res);
        if (why.length === 0) continue;
        for (const w of why) invalid[w] = (invalid[w] ?? 0) + 1;
        mkdirSync(KEEP, { recursive: true });
        const name = `case-${SEED}-${i}`;
        if (!existsSync(path.join(KEEP, `${name}.iso`))) writeFileSync(path.join(KEEP, `${name}.iso`), m.data);
        writeFileSync(
          path.join(KEEP, `${name}-${args[0]}${args[1] === '--json' ? '-json' : ''}.json`),
          JSON.stringify({ base: `${base.producer}/${base.name}`, mutations: m.mutations, args, why, ...res }, null, 2)
        );
      }
      if ((i + 1) % 100 === 0)
        console.log(`${i + 1}/${CASES} images, ${runs} runs, ${Object.values(invalid).reduce((a, b) => a + b, 0)} invalid, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    console.log(JSON.stringify({
      images,
      runs,
      seconds: Math.round((Date.now() - started) / 1000),
      imagesPerProducer: perProducer,
      exits: outcomes,
      invalidByCause: invalid,
      slowest: { ms: Math.round(slowest.ms), case: slowest.what },
      largestRss: { MiB: +(largest.rss / 1024).toFixed(1), case: largest.what },
      skipped
    }, null, 2));
    return Object.keys(invalid).length ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
