/** Hand-made hostile images (from a real xorriso image): each ends in a clear one-line error or a named problem. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError } from '../src/errors.js';
import { SECTOR, writeBoth32 } from '../src/image/bytes.js';
import { parseDirRecord } from '../src/image/dirrec.js';
import { PVD } from '../src/image/voldesc.js';
import { readStructures, type IsoImage } from '../src/read/image.js';
import { readManifest } from '../src/read/manifest.js';
import { ImageSource } from '../src/read/source.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const PVD_AT = 16 * SECTOR;

async function read(data: Buffer): Promise<IsoImage> {
  const img = await readStructures(ImageSource.fromBuffer(data, 'hostile.iso'));
  await readManifest(img);
  return img;
}

async function rejects(data: Buffer, pattern: RegExp): Promise<void> {
  const started = Date.now();
  const err = await read(data).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(IsoforgeError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
  expect(Date.now() - started).toBeLessThan(2000);
}

/** Offset of the record named `isoId` (ISO 9660 identifier prefix) in the directory at `lba`. */
function recordOffset(data: Buffer, lba: number, isoId: string): number {
  const at = lba * SECTOR;
  const block = data.subarray(at, at + SECTOR);
  for (let off = 0; ;) {
    const r = parseDirRecord(block, off);
    if (!r) throw new Error(`no record ${isoId}`);
    if (r.record.fileId.toString('latin1').startsWith(isoId)) return at + off;
    off += r.length;
  }
}

describeWith(['xorriso'], 'reader: hostile images', () => {
  const t = tempDir('isoforge-hostile-');
  let good: Buffer;
  let rootLba: number;
  beforeAll(() => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'sub/deeper'), { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'hello\n');
    writeFileSync(path.join(src, 'sub/b.bin'), bytes(5000, 3));
    writeFileSync(path.join(src, 'sub/deeper/c.txt'), 'c\n');
    const iso = path.join(t.dir, 'x.iso');
    sh('xorriso', ['-as', 'mkisofs', '-quiet', '-no-pad', '-R', '-J', '-o', iso, src]);
    good = readFileSync(iso);
    rootLba = good.readUInt32LE(PVD_AT + PVD.rootRecord + 2);
  });
  afterAll(() => t.cleanup());

  test('the unmodified image reads without problems', async () => {
    expect((await read(good)).problems).toEqual([]);
  });

  test('random bytes, a truncated image, a root extent far past the end', async () => {
    await rejects(bytes(1024 * 1024, 42), /not an ISO 9660 image/);
    await rejects(good.subarray(0, 40000), /truncated/);
    const far = Buffer.from(good);
    writeBoth32(far, PVD_AT + PVD.rootRecord + 2, 0x7ffffff0);
    await rejects(far, /past the end of the image/);
  });

  test('a directory loop: a subdirectory pointing at the root', async () => {
    const bad = Buffer.from(good);
    writeBoth32(bad, recordOffset(bad, rootLba, 'SUB') + 2, rootLba);
    await rejects(bad, /directory loop/);
  });

  test('a continuation area that continues into itself', async () => {
    const bad = Buffer.from(good);
    const ce = bad.indexOf(Buffer.from([0x43, 0x45, 28, 1]), rootLba * SECTOR);
    expect(ce).toBeGreaterThan(0);
    const block = bad.readUInt32LE(ce + 4);
    const offset = bad.readUInt32LE(ce + 12);
    // write a CE entry at the start of the area, pointing at the area itself
    bad.copy(bad, block * SECTOR + offset, ce, ce + 28);
    await rejects(bad, /continuation chain cycles/);
  });

  test('absurd sizes and file extents past the end', async () => {
    const huge = Buffer.from(good);
    writeBoth32(huge, PVD_AT + PVD.rootRecord + 10, 0xffffffff);
    await rejects(huge, /not sane/);
    const file = Buffer.from(good);
    writeBoth32(file, recordOffset(file, rootLba, 'A.TXT') + 2, 0x00ffffff);
    await rejects(file, /"a.txt" has data at block 16777215 .* past the end/);
    const records = Buffer.from(good);
    records[recordOffset(records, rootLba, 'A.TXT')] = 250; // record length past the sector's records
    await expect(
      read(records).then(
        i => i.problems.length > 0,
        () => true
      )
    ).resolves.toBe(true);
  });

  test('path tables that disagree with the tree are a problem, not a crash', async () => {
    const bad = Buffer.from(good);
    const lTable = bad.readUInt32LE(PVD_AT + PVD.typeLPathTable);
    bad.writeUInt32LE(rootLba + 1000, lTable * SECTOR + 2);
    const img = await read(bad);
    expect(img.problems.join('\n')).toMatch(/L path table: entry 1 points to block/);
  });
});
