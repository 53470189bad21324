/**
 * Seeded mutation fuzzing of `isoforge extract` (in the style of fuzz.test.ts): byte flips in the
 * directories and volume descriptors of small real images, and Rock Ridge names copied over one
 * another or given `/`, `.` and NUL. The image's symbolic links point at a folder beside the output
 * folder. Each case must end in exit 0 or 1 with one line (no stack trace), and nothing outside the
 * output folder may change.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SECTOR } from '../src/image/bytes.js';
import { readStructures } from '../src/read/image.js';
import { ImageSource } from '../src/read/source.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { bytes, describeTree } from './support/trees.js';

const CASES = Number(process.env.ISOFORGE_EXTRACT_FUZZ_CASES ?? 600);

interface Base {
  name: string;
  data: Buffer;
  /** byte offsets of the directory blocks and the volume descriptors */
  regions: number[];
  /** Rock Ridge NM names: offset of the name bytes and their length */
  names: { at: number; length: number }[];
}

async function describeBase(name: string, data: Buffer): Promise<Base> {
  const img = await readStructures(ImageSource.fromBuffer(data, name));
  const dirs = [...img.primary.dirs.keys(), ...(img.joliet ? [...img.joliet.dirs.keys()] : [])];
  const regions = [16, 17, 18, ...dirs].map(lba => lba * SECTOR);
  const names: Base['names'] = [];
  for (const at of dirs.map(lba => lba * SECTOR)) {
    const block = data.subarray(at, at + SECTOR);
    // RRIP 4.1.4: "NM", length, version 1, flags 0, the name
    for (let i = block.indexOf('NM'); i >= 0; i = block.indexOf('NM', i + 1)) {
      if (block[i + 3] === 1 && block[i + 4] === 0 && block[i + 2] > 5)
        names.push({ at: at + i + 5, length: block[i + 2] - 5 });
    }
  }
  return { name, data, regions, names };
}

/** One mutated image of `base` from `seed`: 1-3 mutations drawn from bytes(…, seed). */
function mutate(base: Base, seed: number): Buffer {
  const r = bytes(256, seed);
  let k = 0;
  const int = (n: number) => r.readUInt32LE((k++ % 64) * 4) % n;
  const out = Buffer.from(base.data);
  for (let m = 1 + int(3); m > 0; m--) {
    const kind = int(10);
    if (kind < 5) {
      for (let i = 1 + int(6); i > 0; i--)
        out[base.regions[int(base.regions.length)] + int(SECTOR)] = int(256);
    } else if (kind < 8 && base.names.length > 1) {
      // one name over another of the same length: a collision, perhaps a folder onto a link
      const a = base.names[int(base.names.length)];
      const same = base.names.filter(n => n.length === a.length && n.at !== a.at);
      if (same.length > 0) out.copy(out, same[int(same.length)].at, a.at, a.at + a.length);
    } else if (base.names.length > 0) {
      const n = base.names[int(base.names.length)];
      out[n.at + int(n.length)] = [0x2f, 0x2e, 0x00, 0x5c][int(4)];
    }
  }
  return out;
}

describeWith(['xorriso'], 'fuzz: extract over mutated images', () => {
  const t = tempDir('isoforge-extract-fuzz-');
  const bases: Base[] = [];
  beforeAll(async () => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'lnl/in'), { recursive: true });
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'a\n');
    writeFileSync(path.join(src, 'b.txt'), bytes(5000, 7));
    writeFileSync(path.join(src, 'lnl/in/c.txt'), 'c\n');
    writeFileSync(path.join(src, 'sub/d.txt'), 'd\n');
    symlinkSync('../outside', path.join(src, 'lnk'));
    symlinkSync('../../outside', path.join(src, 'sub/up2'));
    symlinkSync('/tmp', path.join(src, 'abs'));
    const x = path.join(t.dir, 'x.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-J', '-o', x, src]);
    bases.push(await describeBase('xorriso', readFileSync(x)));
    const o = path.join(t.dir, 'o.iso');
    await buildWith({ source: src, output: o, 'source-date-epoch': '1700000000' });
    bases.push(await describeBase('isoforge', readFileSync(o)));
  });
  afterAll(() => t.cleanup());

  test(`${CASES} seeded cases: exit 0 or 1, one line, nothing written outside the folder`, async () => {
    const work = path.join(t.dir, 'work');
    mkdirSync(path.join(work, 'outside'), { recursive: true });
    const iso = path.join(work, 'case.iso');
    const out = path.join(work, 'out');
    const codes = { 0: 0, 1: 0 };
    const started = Date.now();
    for (let seed = 1; seed <= CASES; seed++) {
      const base = bases[seed % bases.length];
      writeFileSync(iso, mutate(base, seed));
      const before = describeTree(work);
      const r = await cli(['extract', '--image', iso, '--output', out]);
      const what = `${base.name} seed ${seed}: exit ${r.code}, ${r.err}`;
      if (r.code !== 0 && r.code !== 1) throw new Error(what);
      if (r.code === 1 && !/^isoforge: [^\n]*\n$/.test(r.err)) throw new Error(what);
      const after = describeTree(work);
      for (const k of after.keys()) if (k === 'out' || k.startsWith('out/')) after.delete(k);
      expect([what, after]).toEqual([what, before]);
      codes[r.code]++;
      // a mutated mode may leave a folder without write permission
      if (r.code === 0) sh('chmod', ['-R', 'u+rwx', out]);
      rmSync(out, { recursive: true, force: true });
    }
    // both outcomes are exercised: the mutations are neither all harmless nor all fatal
    expect(codes[0]).toBeGreaterThan(CASES / 20);
    expect(codes[1]).toBeGreaterThan(CASES / 20);
    console.log(
      `extract fuzz: ${CASES} cases, ${codes[0]} extracted, ${codes[1]} refused, ${((Date.now() - started) / 1000).toFixed(1)} s`
    );
  });
});
