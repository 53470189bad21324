/**
 * Seeded mutation fuzzing of the reader over small valid images (xorriso RR+Joliet, isoforge
 * RR+Joliet): byte flips, splices, truncations and targeted length/address fields. Only
 * IsoforgeError may come out, each case in bounded time. Inputs that once failed are replayed from
 * test/fixtures/fuzz/*.json (a base name and a list of mutations).
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError } from '../src/errors.js';
import { SECTOR } from '../src/image/bytes.js';
import { parseDirRecord } from '../src/image/dirrec.js';
import { PVD } from '../src/image/voldesc.js';
import { readStructures } from '../src/read/image.js';
import { readManifest } from '../src/read/manifest.js';
import { checkImplantedMd5 } from '../src/read/md5.js';
import { ImageSource } from '../src/read/source.js';
import { ISOHDPFX, ISOLINUX_DIR } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { HOSTILE_TEXT, runCli, unsafeOutput } from './support/hostile.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

type Mutation =
  | { op: 'set'; at: number; hex: string }
  | { op: 'truncate'; length: number }
  | { op: 'copy'; from: number; to: number; length: number };

interface Case {
  base: string;
  seed?: number;
  mutations: Mutation[];
  /** hand-made cases: rejected with an error, or read with structure problems */
  expect?: 'rejected' | 'problems';
}

const CASES = Number(process.env.ISOFORGE_FUZZ_CASES ?? 12000);
/** A case that takes longer than this is a hang. */
const CASE_LIMIT_MS = 2000;
const FIXTURES = path.join(process.cwd(), 'test', 'fixtures', 'fuzz');

function apply(base: Buffer, muts: Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const m of muts) {
    if (m.op === 'set') {
      const v = Buffer.from(m.hex, 'hex');
      if (m.at >= 0 && m.at < b.length) v.copy(b, m.at, 0, Math.min(v.length, b.length - m.at));
    } else if (m.op === 'truncate') b = b.subarray(0, Math.min(b.length, m.length));
    else if (m.from + m.length <= b.length && m.to + m.length <= b.length) {
      b.copy(b, m.to, m.from, m.from + m.length);
    }
  }
  return b;
}

/** xorshift32: the same seed gives the same cases everywhere. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

interface Base {
  name: string;
  data: Buffer;
  /** end of the metadata (first file data byte) */
  metaEnd: number;
  /** offsets of length, count and address fields, with their width */
  fields: { at: number; width: 1 | 2 | 4 | 8 }[];
  /** sector-aligned offsets of directory blocks */
  dirSectors: number[];
}

async function describeBase(name: string, data: Buffer): Promise<Base> {
  const src = ImageSource.fromBuffer(data, name);
  const img = await readStructures(src);
  const fields: Base['fields'] = [];
  const pvdAt = 16 * SECTOR;
  for (const vd of [
    pvdAt,
    ...(img.jolietVd ? [pvdAt + 2 * SECTOR, pvdAt + SECTOR, pvdAt + 3 * SECTOR] : [])
  ]) {
    fields.push(
      { at: vd + PVD.volumeSpaceSize, width: 8 },
      { at: vd + PVD.logicalBlockSize, width: 2 },
      { at: vd + PVD.pathTableSize, width: 8 },
      { at: vd + PVD.typeLPathTable, width: 4 },
      { at: vd + PVD.typeMPathTable, width: 4 },
      { at: vd + PVD.rootRecord, width: 1 },
      { at: vd + PVD.rootRecord + 2, width: 8 },
      { at: vd + PVD.rootRecord + 10, width: 8 },
      { at: vd + PVD.rootRecord + 32, width: 1 }
    );
  }
  const dirSectors: number[] = [];
  const dirs = [...img.primary.dirs.keys(), ...(img.joliet ? [...img.joliet.dirs.keys()] : [])];
  for (const lba of dirs) {
    const at = lba * SECTOR;
    dirSectors.push(at);
    const block = data.subarray(at, at + SECTOR);
    let off = 0;
    for (;;) {
      const r = parseDirRecord(block, off);
      if (!r) break;
      fields.push(
        { at: at + off, width: 1 },
        { at: at + off + 2, width: 8 },
        { at: at + off + 10, width: 8 },
        { at: at + off + 25, width: 1 },
        { at: at + off + 32, width: 1 }
      );
      // SUSP entry length bytes and CE fields
      const suStart = off + r.length - r.record.systemUse.length;
      let s = 0;
      while (s + 4 <= r.record.systemUse.length) {
        const len = r.record.systemUse[s + 2];
        if (len < 4) break;
        fields.push({ at: at + suStart + s + 2, width: 1 });
        if (r.record.systemUse.toString('latin1', s, s + 2) === 'CE') {
          for (const k of [4, 12, 20]) fields.push({ at: at + suStart + s + k, width: 8 });
        }
        s += len;
      }
      off += r.length;
    }
  }
  if (img.partitions.length > 0) {
    // MBR entries (start, size), GPT header (UEFI 5.3.2) and the first entries of the array
    for (let i = 0; i < 4; i++)
      fields.push({ at: 446 + 16 * i + 8, width: 4 }, { at: 446 + 16 * i + 12, width: 4 });
    for (const off of [12, 24, 32, 40, 48, 72, 80, 84, 88]) fields.push({ at: 512 + off, width: 4 });
    for (let e = 0; e < 3; e++)
      fields.push({ at: 1024 + 128 * e + 32, width: 4 }, { at: 1024 + 128 * e + 40, width: 4 });
  }
  if (img.boot) {
    const c = img.boot.catalogLba * SECTOR;
    for (let e = 0; e < 4; e++)
      fields.push(
        { at: c + 32 * e, width: 1 },
        { at: c + 32 * e + 6, width: 2 },
        { at: c + 32 * e + 8, width: 4 }
      );
  }
  let metaEnd = data.length;
  for (const n of (await readManifest(img, { hash: false })).entries)
    if (n.lba) metaEnd = Math.min(metaEnd, n.lba * SECTOR);
  await src.close();
  return { name, data, metaEnd, fields, dirSectors };
}

const INTERESTING = [
  0, 1, 2, 0x21, 0x22, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff
];

function field(width: number, value: number): string {
  const b = Buffer.alloc(width);
  if (width === 1) b[0] = value & 0xff;
  else if (width === 2) b.writeUInt16LE(value & 0xffff, 0);
  else if (width === 4) b.writeUInt32LE(value >>> 0, 0);
  else {
    b.writeUInt32LE(value >>> 0, 0);
    b.writeUInt32BE(value >>> 0, 4);
  }
  return b.toString('hex');
}

function generate(base: Base, seed: number): Case {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const muts: Mutation[] = [];
  const count = 1 + int(3);
  for (let k = 0; k < count; k++) {
    const kind = int(10);
    if (kind < 3) {
      const region = r() < 0.8 ? base.metaEnd : base.data.length;
      for (let i = 1 + int(8); i > 0; i--) muts.push({ op: 'set', at: int(region), hex: field(1, int(256)) });
    } else if (kind < 7 && base.fields.length > 0) {
      const f = base.fields[int(base.fields.length)];
      const blocks = Math.floor(base.data.length / SECTOR);
      const pool = [...INTERESTING, blocks, blocks - 1, blocks + 1, int(blocks), int(0x100000000)];
      muts.push({ op: 'set', at: f.at, hex: field(f.width, pool[int(pool.length)]) });
    } else if (kind < 9 && base.dirSectors.length > 0) {
      const from = base.dirSectors[int(base.dirSectors.length)];
      const to = r() < 0.7 ? base.dirSectors[int(base.dirSectors.length)] : int(base.metaEnd);
      const length = r() < 0.5 ? SECTOR : 34 + int(220);
      muts.push({ op: 'copy', from: from + (length === SECTOR ? 0 : int(SECTOR - length)), to, length });
    } else {
      muts.push({ op: 'truncate', length: r() < 0.7 ? int(base.metaEnd + SECTOR) : int(base.data.length) });
    }
  }
  return { base: base.name, seed, mutations: muts };
}

/** Read everything the reader reads; only IsoforgeError may escape. */
async function exercise(data: Buffer): Promise<'read' | 'rejected' | 'problems'> {
  const src = ImageSource.fromBuffer(data, 'fuzz.iso');
  try {
    const img = await readStructures(src);
    await readManifest(img);
    if (img.md5) await checkImplantedMd5(src, img.md5, img.volumeBlocks);
    return img.problems.length > 0 ? 'problems' : 'read';
  } catch (e) {
    if (e instanceof IsoforgeError) {
      if (e.message.includes('\n')) throw new Error(`multi-line error: ${e.message}`, { cause: e });
      return 'rejected';
    }
    throw e;
  } finally {
    await src.close();
  }
}

/** Where text from the image lives in a base: volume ids, the publisher, and the long name in each namespace. */
type TextSpot =
  'volume id' | 'publisher id' | 'Joliet volume id' | 'Rock Ridge name' | 'Joliet name' | 'ISO 9660 name';

/** Put `text` into `spot` of `data` (in place, the field's length kept); false when there is no such spot. */
function patchText(data: Buffer, spot: TextSpot, text: string): boolean {
  const pvdAt = 16 * SECTOR;
  const fill = (at: number, room: number, b: Buffer, pad: number) => {
    data.fill(pad, at, at + room);
    b.copy(data, at, 0, Math.min(room, b.length));
  };
  const utf16 = (t: string) => Buffer.from(t, 'utf16le').swap16();
  if (spot === 'volume id') {
    fill(pvdAt + PVD.volumeId, 32, Buffer.from(text, 'utf8'), 0x20);
    return true;
  }
  if (spot === 'publisher id') {
    fill(pvdAt + PVD.publisherId, 128, Buffer.from(text, 'utf8'), 0x20);
    return true;
  }
  if (spot === 'Joliet volume id') {
    for (let vd = pvdAt + SECTOR; vd < pvdAt + 8 * SECTOR; vd += SECTOR) {
      if (data[vd] === 2 && data[vd + 88] === 0x25 && data[vd + 89] === 0x2f) {
        fill(vd + PVD.volumeId, 32, utf16(text), 0);
        return true;
      }
    }
    return false;
  }
  const run =
    spot === 'Rock Ridge name'
      ? Buffer.from('n'.repeat(64))
      : spot === 'Joliet name'
        ? utf16('n'.repeat(32))
        : Buffer.from('NNNNNNNN');
  const at = data.indexOf(run, 17 * SECTOR);
  if (at < 0) return false;
  const b =
    spot === 'Rock Ridge name'
      ? Buffer.from(text, 'utf8')
      : spot === 'Joliet name'
        ? utf16(text)
        : Buffer.from(text, 'latin1');
  b.copy(data, at, 0, Math.min(run.length, b.length - (b.length % (spot === 'Joliet name' ? 2 : 1))));
  return true;
}

const SPOTS: TextSpot[] = [
  'volume id',
  'publisher id',
  'Joliet volume id',
  'Rock Ridge name',
  'Joliet name',
  'ISO 9660 name'
];

/** A seeded hostile string: pieces of HOSTILE_TEXT, raw control bytes, lone surrogates. */
function hostileText(r: () => number): string {
  const pieces = [
    ...HOSTILE_TEXT,
    '\n',
    '\r',
    '\x1b[31m',
    '\ud800',
    '\udfff',
    '\x00',
    '\x9d',
    '::',
    '%0D%0A',
    '"'
  ];
  let out = '';
  for (let i = 1 + Math.floor(r() * 3); i > 0; i--) out += pieces[Math.floor(r() * pieces.length)];
  return out;
}

/**
 * verify, inspect and inspect --json on one image file, as a user runs them: exit 0 or 1, one
 * line of error on 1, one row per check, one row per tree entry, nothing raw printed, and the
 * JSON round trip. Returns the inspect --json manifest when the image was read.
 */
async function checkCli(file: string, what: string): Promise<{ entries: { path: string }[] } | undefined> {
  const fail = (why: string) => {
    throw new Error(`${what}: ${why}`);
  };
  const json = await runCli(['verify', '--image', file, '--json']);
  const text = await runCli(['verify', '--image', file]);
  const inspect = await runCli(['inspect', file]);
  const inspectJson = await runCli(['inspect', '--json', file]);
  for (const [name, r] of Object.entries({ json, text, inspect, inspectJson })) {
    if (r.code !== 0 && r.code !== 1) fail(`${name} exited ${r.code}: ${r.stderr}`);
    if (r.code === 1 && r.stderr.split('\n').length !== 2)
      fail(`${name}: not one line of error: ${r.stderr}`);
    const bad = unsafeOutput(r.stdout) ?? unsafeOutput(r.stderr);
    if (bad) fail(`${name}: ${bad}`);
  }
  if (json.code !== text.code) fail('verify and verify --json disagree');
  const checks = (JSON.parse(json.stdout) as { checks: unknown[] }).checks.length;
  const rows = text.stdout.split('\n');
  // header, one row per check, a blank line, the verdict, the final newline
  if (rows.length !== checks + 4 || rows.filter(l => l.startsWith('verify: ')).length !== 1)
    fail(`verify printed ${rows.length - 4} rows for ${checks} checks:\n${text.stdout}`);
  if (inspectJson.code !== 0) return undefined;
  const m = JSON.parse(inspectJson.stdout) as { entries: { path: string }[] };
  const tree = inspect.stdout.split('\ntree:\n')[1]?.split('\n') ?? [];
  if (tree.length !== m.entries.length + 1)
    fail(`inspect printed ${tree.length - 1} rows for ${m.entries.length} entries`);
  return m;
}

function smallTree(root: string): void {
  const put = (rel: string, content: Buffer | string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  put('a.txt', 'hello\n');
  put('sub/b.bin', bytes(3000, 7));
  put('sub/deeper/c.txt', 'c\n');
  put(`sub/${'n'.repeat(180)}.txt`, 'long rock ridge name\n');
  for (let i = 0; i < 12; i++) put(`other/file-with-a-long-name-${i}.txt`, `${i}\n`);
  symlinkSync('../a.txt', path.join(root, 'sub/link'));
  const walk = (d: string) => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(path.join(d, n.name));
      if (!n.isSymbolicLink()) utimesSync(path.join(d, n.name), 1700000000, 1700000000);
    }
  };
  walk(root);
}

describeWith(['xorriso', 'mkfs.fat', 'mcopy'], 'fuzz: the reader over mutated images', () => {
  const t = tempDir('isoforge-fuzz-');
  const bases = new Map<string, Base>();
  beforeAll(async () => {
    const src = path.join(t.dir, 'src');
    smallTree(src);
    const x = path.join(t.dir, 'xorriso.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-no-pad', '-R', '-J', '-V', 'FUZZ', '-o', x, src], {
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
    });
    bases.set('xorriso-small', await describeBase('xorriso-small', readFileSync(x)));
    const o = path.join(t.dir, 'ours.iso');
    await buildWith({ source: src, output: o, 'volume-id': 'FUZZ', 'source-date-epoch': '1700000000' });
    bases.set('isoforge-small', await describeBase('isoforge-small', readFileSync(o)));
    // a bootable hybrid: ISOLINUX for BIOS, a 64 KiB FAT for UEFI (not booted here), MBR + GPT
    const boot = path.join(t.dir, 'boot');
    smallTree(boot);
    mkdirSync(path.join(boot, 'isolinux'));
    writeFileSync(
      path.join(boot, 'isolinux/isolinux.bin'),
      readFileSync(path.join(ISOLINUX_DIR, 'isolinux.bin'))
    );
    const efi = path.join(boot, 'efi.img');
    sh('mkfs.fat', ['-C', '-i', '12345678', efi, '64']);
    writeFileSync(path.join(t.dir, 'BOOTX64.EFI'), 'not really an EFI application\n');
    sh('mmd', ['-i', efi, '::/EFI', '::/EFI/BOOT']);
    sh('mcopy', ['-i', efi, path.join(t.dir, 'BOOTX64.EFI'), '::/EFI/BOOT/BOOTX64.EFI']);
    const h = path.join(t.dir, 'hybrid.iso');
    await buildWith({
      source: boot,
      output: h,
      'volume-id': 'FUZZ',
      'source-date-epoch': '1700000000',
      'bios-boot': 'isolinux/isolinux.bin',
      'uefi-boot': 'efi.img',
      hybrid: 'true',
      'mbr-template': ISOHDPFX
    });
    bases.set('isoforge-hybrid', await describeBase('isoforge-hybrid', readFileSync(h)));
  });
  afterAll(() => t.cleanup());

  test('the bases read cleanly', async () => {
    for (const b of bases.values()) {
      expect(b.data.length).toBeLessThan(1024 * 1024);
      expect(await exercise(b.data)).toBe('read');
      const img = await readStructures(ImageSource.fromBuffer(b.data, b.name));
      expect(img.problems).toEqual([]);
      if (b.name === 'isoforge-hybrid') {
        expect(img.boot?.entries.map(e => e.platform)).toEqual(['bios', 'uefi']);
        expect(img.partitions.map(p => p.table)).toContain('gpt');
      }
    }
  });

  test('regression cases from test/fixtures/fuzz', async () => {
    const files = readdirSync(FIXTURES).filter(f => f.endsWith('.json'));
    for (const f of files) {
      const c = JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Case;
      const base = bases.get(c.base);
      expect(base).toBeDefined();
      const outcome = await exercise(apply(base!.data, c.mutations));
      expect([f, outcome]).toEqual([f, c.expect ?? expect.stringMatching(/read|rejected|problems/)]);
    }
  });

  test(`${CASES} seeded cases: no crash, no hang`, async () => {
    const started = Date.now();
    const tally = { read: 0, rejected: 0, problems: 0 };
    let slowest = 0;
    const list = [...bases.values()];
    for (let i = 0; i < CASES; i++) {
      const base = list[i % list.length];
      const c = generate(base, 0x5eed0000 + i);
      const t0 = Date.now();
      let outcome: 'read' | 'rejected' | 'problems';
      try {
        outcome = await exercise(apply(base.data, c.mutations));
      } catch (e) {
        throw new Error(
          `case crashed (save as test/fixtures/fuzz/<name>.json): ${JSON.stringify(c)}\n${e instanceof Error ? e.stack : e}`,
          { cause: e }
        );
      }
      const ms = Date.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > CASE_LIMIT_MS) throw new Error(`case took ${ms} ms: ${JSON.stringify(c)}`);
      tally[outcome]++;
    }
    const elapsed = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${CASES} cases in ${elapsed.toFixed(1)} s (${tally.read} read, ${tally.problems} read with problems, ${tally.rejected} rejected, slowest ${slowest} ms)`
    );
    expect(tally.rejected).toBeGreaterThan(0);
    if (CASES <= 12000) expect(elapsed).toBeLessThan(60);
  });

  test('hostile text: names and ids with controls and command prefixes stay data (one line per error, one row per report line)', async () => {
    const started = Date.now();
    let cases = 0;
    let read = 0;
    const r = rng(0x7e27);
    const missing = new Set<string>();
    for (const base of bases.values()) {
      const list = [
        ...HOSTILE_TEXT.map(s => [s] as const),
        ...Array.from({ length: 12 }, () => [hostileText(r)] as const)
      ];
      for (const [text] of list) {
        for (const spot of SPOTS) {
          const data = Buffer.from(base.data);
          if (!patchText(data, spot, text)) {
            missing.add(`${base.name} ${spot}`);
            continue;
          }
          const file = path.join(t.dir, 'hostile-text.iso');
          writeFileSync(file, data);
          const what = `${base.name}, ${spot} ${JSON.stringify(text)}`;
          expect(await exercise(data)).toMatch(/read|rejected|problems/);
          const m = await checkCli(file, what);
          cases++;
          if (!m) continue;
          read++;
          // the JSON keeps the exact name (a Rock Ridge name is bytes: valid UTF-8 comes back as given)
          if (
            spot === 'Rock Ridge name' &&
            !/[/\0]/.test(text) &&
            Buffer.from(text).length <= 64 &&
            !/[\ud800-\udfff]/.test(text)
          ) {
            expect([what, m.entries.some(e => e.path.includes(text))]).toEqual([what, true]);
          }
        }
      }
    }
    console.log(
      `fuzz: hostile text, ${cases} images (${read} read) in ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
    expect(read).toBeGreaterThan(cases / 2);
    expect([...missing]).toEqual([]);
  });
});
