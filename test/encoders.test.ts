/** The byte encoders, checked against the bytes of images that xorriso makes. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  readBoth16,
  readBoth32,
  readRecordDate,
  readVolumeDate,
  writeBoth16,
  writeBoth32,
  writeRecordDate,
  writeVolumeDate
} from '../src/image/bytes.js';
import { encodeDirRecord, parseDirRecord } from '../src/image/dirrec.js';
import { assignIsoNames, assignJolietNames, compareIsoIds } from '../src/image/names.js';
import { encodePathTable, parsePathTable } from '../src/image/pathtable.js';
import {
  decodePX,
  decodeSLComponents,
  encodeER,
  encodeNM,
  encodePX,
  encodeSL,
  encodeSP,
  encodeTF,
  parseSusp,
  slTarget
} from '../src/image/rockridge.js';
import { PVD, parseVolumeDescriptor } from '../src/image/voldesc.js';
import { describeWith, sh, tempDir } from './support/tools.js';

test('both-endian numbers (ECMA-119 7.2.3, 7.3.3)', () => {
  const b = Buffer.alloc(8);
  writeBoth32(b, 0, 0x12345678);
  expect(b.toString('hex')).toBe('7856341212345678');
  expect(readBoth32(b, 0, true)).toBe(0x12345678);
  writeBoth16(b, 0, 2048);
  expect(b.subarray(0, 4).toString('hex')).toBe('00080800');
  expect(readBoth16(b, 0, true)).toBe(2048);
});

test('dates (ECMA-119 9.1.5, 8.4.26.1)', () => {
  const b = Buffer.alloc(17);
  writeRecordDate(b, 0, 1700000000); // 2023-11-14 22:13:20 UTC
  expect([...b.subarray(0, 7)]).toEqual([123, 11, 14, 22, 13, 20, 0]);
  expect(readRecordDate(b, 0)).toBe(1700000000);
  writeVolumeDate(b, 0, 1700000000);
  expect(b.toString('latin1', 0, 16)).toBe('2023111422132000');
  expect(readVolumeDate(b, 0)).toBe(1700000000);
});

test('names: collisions resolved deterministically, Joliet keeps surrogate pairs and cuts at 103', () => {
  expect(
    assignIsoNames([
      { name: 'Case.txt', isDir: false },
      { name: 'case.TXT', isDir: false }
    ])
  ).toEqual(['CASE0.TXT;1', 'CASE1.TXT;1']);
  expect(
    assignIsoNames([
      { name: '.bashrc', isDir: false },
      { name: 'my dir.d', isDir: true }
    ])
  ).toEqual(['_BASHRC.;1', 'MY_DIR_D']);
  const long = 'x'.repeat(200) + '.txt';
  const [j1, j2] = assignJolietNames([
    { name: long, isDir: false },
    { name: long + 'x', isDir: false }
  ]);
  expect(j1.length).toBe(103);
  expect(j1.endsWith('.txt')).toBe(true);
  expect(j2).not.toBe(j1);
  const astral = 'y'.repeat(102) + '😀';
  const [j3] = assignJolietNames([{ name: astral, isDir: false }]);
  expect(j3).toBe('y'.repeat(102)); // never half a surrogate pair
  expect(compareIsoIds(Buffer.from('A.B;1'), Buffer.from('A_C.B;1'))).toBeLessThan(0);
});

test('Rock Ridge entries round-trip', () => {
  const target = '/abs/' + 'p'.repeat(300) + '/../x/./y';
  const sl = encodeSL(target);
  expect(sl.length).toBeGreaterThan(1);
  const st = { parts: [] as string[], partial: '' };
  for (const e of sl) for (const x of parseSusp(e)) decodeSLComponents(x.data, st);
  expect(slTarget(st.parts)).toBe(target);
  const px = parseSusp(encodePX(0o100644, 1, 0, 0, 7))[0];
  expect(px.sig).toBe('PX');
  expect(decodePX(px.data)).toEqual({ mode: 0o100644, nlink: 1, uid: 0, gid: 0, serial: 7 });
  expect(encodeSP().toString('hex')).toBe('53500701beef00');
  expect(encodeER().length).toBe(8 + 9 + 72 + 93);
  expect(encodeTF(0).length).toBe(26);
  const nm = encodeNM('n'.repeat(600));
  expect(nm.length).toBe(3);
  expect(nm.map(e => e[4])).toEqual([1, 1, 0]);
});

describeWith(['xorriso'], 'encoders against xorriso images', () => {
  const t = tempDir();
  let img: Buffer;
  beforeAll(() => {
    const src = path.join(t.dir, 'src');
    for (const d of ['ALPHA/BETA', 'ALPHA/GAMMA', 'DELTA']) mkdirSync(path.join(src, d), { recursive: true });
    writeFileSync(path.join(src, 'ALPHA/BETA/FILE.TXT'), 'x');
    const iso = path.join(t.dir, 'x.iso');
    sh(
      'xorriso',
      [
        '-as',
        'mkisofs',
        '-quiet',
        '-V',
        'XORRISO_VOL',
        '--modification-date=2023111422132000',
        '-o',
        iso,
        src
      ],
      {
        env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }
      }
    );
    img = readFileSync(iso);
  });
  afterAll(() => t.cleanup());

  test('primary volume descriptor fields parse as xorriso wrote them', () => {
    const pvd = parseVolumeDescriptor(img.subarray(16 * 2048, 17 * 2048));
    expect(pvd.type).toBe(1);
    expect(pvd.volumeId).toBe('XORRISO_VOL');
    expect(pvd.logicalBlockSize).toBe(2048);
    expect(pvd.volumeSpaceSize * 2048).toBe(img.length);
    expect(pvd.created).toBe(1700000000);
    // our volume date encoder writes the same 17 bytes
    const ours = Buffer.alloc(17);
    writeVolumeDate(ours, 0, 1700000000);
    expect(ours).toEqual(img.subarray(16 * 2048 + PVD.creationDate, 16 * 2048 + PVD.creationDate + 17));
  });

  test('path tables: our encoder writes xorriso bytes for the same entries (L and M)', () => {
    const pvd = parseVolumeDescriptor(img.subarray(16 * 2048, 17 * 2048));
    const l = img.subarray(pvd.lPathTable * 2048, pvd.lPathTable * 2048 + pvd.pathTableSize);
    const m = img.subarray(pvd.mPathTable * 2048, pvd.mPathTable * 2048 + pvd.pathTableSize);
    const entries = parsePathTable(l, false);
    expect(entries.map(e => e.id.toString('latin1'))).toEqual(['\0', 'ALPHA', 'DELTA', 'BETA', 'GAMMA']);
    expect(entries.map(e => e.parent)).toEqual([1, 1, 1, 2, 2]);
    expect(parsePathTable(m, true)).toEqual(entries);
    expect(encodePathTable(entries, false)).toEqual(Buffer.from(l));
    expect(encodePathTable(entries, true)).toEqual(Buffer.from(m));
  });

  test('directory records: parse then encode gives xorriso bytes back', () => {
    const pvd = parseVolumeDescriptor(img.subarray(16 * 2048, 17 * 2048));
    const root = parseDirRecord(pvd.rootRecord, 0)!.record;
    const dir = img.subarray(root.extent * 2048, root.extent * 2048 + root.size);
    let off = 0;
    let n = 0;
    for (;;) {
      const r = parseDirRecord(dir, off);
      if (!r) break;
      expect(encodeDirRecord(r.record)).toEqual(Buffer.from(dir.subarray(off, off + r.length)));
      off += r.length;
      n++;
    }
    expect(n).toBe(4); // . .. ALPHA DELTA
  });
});
