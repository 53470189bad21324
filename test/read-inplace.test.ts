/**
 * The tree walk's in-place readers: SUSP entries, directory records and names decoded from the
 * directory's own buffer at any offset, reading nothing past the end they are given; the record
 * date cache; the file keys' comparison. Each is checked against the Buffer form it replaces.
 */
import { decodeUtf16BE, readRecordDate, writeRecordDate } from '../src/image/bytes.js';
import { encodeDirRecord, newRecordView, parseDirRecord, viewDirRecord } from '../src/image/dirrec.js';
import {
  SIG,
  decodePX,
  decodePXAt,
  decodeSLAt,
  decodeSLComponents,
  decodeTF,
  encodeCE,
  encodeNM,
  encodePX,
  encodeSL,
  encodeTF,
  nmPartAt,
  parseSusp,
  sigAt,
  suspEntryLength,
  tfModifyAt,
  type PxFields
} from '../src/image/rockridge.js';
import { FileKeys } from '../src/read/file-keys.js';
import { isoName, jolietName } from '../src/read/names.js';

/** `data` at offset 5 of a buffer whose other bytes are 0xff (read past `end`, they would show). */
function embedded(data: Buffer): { b: Buffer; start: number; end: number } {
  const b = Buffer.alloc(data.length + 40, 0xff);
  data.copy(b, 5);
  return { b, start: 5, end: 5 + data.length };
}

test('SUSP entries walked in place: the same entries as parseSusp, stopping where it stops', () => {
  const area = Buffer.concat([
    encodePX(0o100644, 2, 1, 1, 9),
    encodeTF(1700000000),
    ...encodeNM('n'.repeat(300)),
    encodeCE(20, 0, 100),
    Buffer.from('ST\x04\x01', 'latin1'),
    encodeTF(5)
  ]);
  const { b, start, end } = embedded(area);
  const sigs: string[] = [];
  for (let off = start, len: number; (len = suspEntryLength(b, off, end)) > 0; off += len)
    sigs.push(b.toString('latin1', off, off + 2));
  expect(sigs).toEqual(parseSusp(area).map(e => e.sig));
  expect(sigs).toEqual(['PX', 'TF', 'NM', 'NM', 'CE']);
  expect(sigAt(b, start)).toBe(SIG.PX);
  // an entry whose length runs past the area's end stops the walk there (not at the buffer's end)
  const cut = embedded(encodeTF(7)).b;
  expect(suspEntryLength(cut, 5, 5 + 25)).toBe(0);
  expect(suspEntryLength(cut, 5, 5 + 26)).toBe(26);
});

test('PX, TF, NM and SL decoded in place read nothing past the entry', () => {
  const px: PxFields = { mode: 0, nlink: 0, uid: 0, gid: 0, serial: undefined };
  const full = embedded(encodePX(0o40755, 3, 10, 20, 77).subarray(4));
  expect(decodePXAt(full.b, full.start, full.end, px)).toBe(true);
  expect(px).toEqual(decodePX(encodePX(0o40755, 3, 10, 20, 77).subarray(4)));
  expect(px).toEqual({ mode: 0o40755, nlink: 3, uid: 10, gid: 20, serial: 77 });
  // RRIP 1.10's PX (no serial): the bytes after it are not a serial
  const old = embedded(encodePX(0o100600, 1, 0, 0, 5).subarray(4, 4 + 32));
  expect(decodePXAt(old.b, old.start, old.end, px)).toBe(true);
  expect(px.serial).toBeUndefined();
  expect(decodePXAt(old.b, old.start, old.end - 1, px)).toBe(false);

  const tf = encodeTF(1700000000).subarray(4);
  const t = embedded(tf);
  expect(tfModifyAt(t.b, t.start, t.end)).toBe(1700000000);
  expect(decodeTF(tf)).toEqual({ modify: 1700000000 });
  // the modify stamp cut short by the entry's end; an empty TF
  expect(tfModifyAt(t.b, t.start, t.start + 1 + 6)).toBeUndefined();
  expect(tfModifyAt(t.b, t.start, t.start)).toBeUndefined();
  expect(decodeTF(Buffer.alloc(0))).toEqual({});

  const nm = embedded(encodeNM('name.txt')[0].subarray(4));
  expect(nm.b.toString('utf8', nmPartAt(nm.b, nm.start, nm.end), nm.end)).toBe('name.txt');
  expect(nmPartAt(nm.b, nm.start, nm.start)).toBe(-1); // no flags byte: the next byte is not read
  const dot = embedded(Buffer.from([2]));
  expect(nmPartAt(dot.b, dot.start, dot.end)).toBe(-1);

  const target = '../x/' + 'p'.repeat(300) + '/./y';
  const inPlace = { parts: [] as string[], partial: '' };
  const whole = { parts: [] as string[], partial: '' };
  for (const e of encodeSL(target)) {
    const data = e.subarray(4);
    const s = embedded(data);
    expect(decodeSLAt(s.b, s.start, s.end, inPlace)).toBe(decodeSLComponents(data, whole));
  }
  expect(inPlace).toEqual(whole);
  expect(inPlace.parts.join('/')).toBe(target);
  // an empty SL continues nothing (its flags byte is past the end)
  const none = embedded(Buffer.alloc(0));
  expect(decodeSLAt(Buffer.alloc(8, 0xff), 3, 3, { parts: [], partial: '' })).toBe(false);
  expect(decodeSLAt(none.b, none.start, none.end, { parts: [], partial: '' })).toBe(false);
});

test('a directory record viewed in place has parseDirRecord fields', () => {
  const fileId = Buffer.from('FILE.TXT;1');
  const systemUse = Buffer.concat([encodePX(0o100644, 1, 0, 0, 1), encodeTF(1600000000)]);
  const rec = encodeDirRecord({ extent: 1234, size: 99, date: 1600000000, flags: 0, fileId, systemUse });
  const buf = Buffer.concat([Buffer.alloc(100, 0x55), rec, Buffer.alloc(10)]);
  const v = newRecordView();
  expect(viewDirRecord(buf, 100, buf.length, v)).toBe(rec.length);
  const parsed = parseDirRecord(buf, 100);
  expect(parsed?.length).toBe(rec.length);
  expect(v).toMatchObject({ extent: 1234, size: 99, flags: 0, idLength: fileId.length });
  expect(buf.subarray(v.idStart, v.idStart + v.idLength)).toEqual(parsed?.record.fileId);
  expect(buf.subarray(v.suStart, v.suEnd)).toEqual(parsed?.record.systemUse);
  expect(readRecordDate(buf, v.dateAt)).toBe(parsed?.record.date);
  expect(isoName(buf, v.idStart, v.idStart + v.idLength)).toBe('FILE.TXT');
  expect(viewDirRecord(buf, 100 + rec.length, buf.length, v)).toBe(0); // padding
  expect(() => viewDirRecord(buf, 100, 100 + rec.length - 1, v)).toThrow(/has length/);
});

test('the record date cache answers each date by all 7 of its bytes', () => {
  const b = Buffer.alloc(21);
  writeRecordDate(b, 0, 1700000000);
  writeRecordDate(b, 7, 1700000000);
  b[13] = 4; // GMT+1 (ECMA-119 9.1.5: 15-minute units): the same first six bytes, an hour earlier
  writeRecordDate(b, 14, 1700000001);
  for (let round = 0; round < 2; round++) {
    expect(readRecordDate(b, 0)).toBe(1700000000);
    expect(readRecordDate(b, 7)).toBe(1700000000 - 3600);
    expect(readRecordDate(b, 7)).toBe(1700000000 - 3600);
    expect(readRecordDate(b, 14)).toBe(1700000001);
  }
});

/** UTF-16BE as decodeUtf16BE decoded it before: a code unit at a time. */
function utf16Reference(id: Buffer): string {
  let s = '';
  for (let i = 0; i + 1 < id.length; i += 2) s += String.fromCharCode(id.readUInt16BE(i));
  return s;
}

/** jolietName as it was: the old decoder, then a ";digits" suffix cut. */
function jolietReference(id: Buffer): string {
  let s = utf16Reference(id);
  const semi = s.lastIndexOf(';');
  if (semi >= 0 && /^;\d+$/.test(s.slice(semi))) s = s.slice(0, semi);
  return s;
}

test('Joliet names in place: every code unit kept (lone surrogates too), an odd byte dropped', () => {
  const samples = [
    'plain.txt;1',
    'no-version',
    'empty;',
    'letters;1a',
    'two;1;2',
    ';7',
    'café ☃ 名前.txt;1',
    '\ud83d\ude00 pair',
    'lone \ud800 high',
    'lone \udc00 low;12'
  ].map(s => Buffer.from(s, 'utf16le').swap16());
  let x = 7;
  for (let i = 0; i < 300; i++) {
    const len = i % 40;
    const b = Buffer.alloc(len);
    for (let k = 0; k < len; k++) {
      x = (x * 1103515245 + 12345) >>> 0;
      // mostly U+0000-U+00FF and ';' and digits, with some high bytes
      b[k] = k % 2 === 0 ? (x >>> 24 < 40 ? x >>> 16 : 0) : [0x3b, 0x31, 0x41, x >>> 24][(x >>> 8) & 3];
    }
    samples.push(b);
  }
  samples.push(Buffer.from([0, 0x41, 0]), Buffer.alloc(255, 0x41), Buffer.from([0xd8]));
  for (const id of samples) {
    const { b, start, end } = embedded(id);
    expect(jolietName(b, start, end)).toBe(jolietReference(id));
    expect(jolietName(id)).toBe(jolietReference(id));
    expect(decodeUtf16BE(b, start, end - start)).toBe(utf16Reference(id));
  }
});

/** The comparison as it was: both lists of pairs sorted by block, then size, and compared pair by pair. */
function sameReference(fa: number[], fb: number[]): boolean {
  const pairs = (k: number[]) =>
    Array.from({ length: k.length / 2 }, (_, i) => [k[2 * i], k[2 * i + 1]]).sort(
      (x, y) => x[0] - y[0] || x[1] - y[1]
    );
  const [pa, pb] = [pairs(fa), pairs(fb)];
  return pa.length === pb.length && pa.every((p, i) => p[0] === pb[i][0] && p[1] === pb[i][1]);
}

/** FileKeys of (block, size) pairs. */
function keys(pairs: number[]): FileKeys {
  const k = new FileKeys();
  for (let i = 0; i < pairs.length; i += 2) k.add(pairs[i], pairs[i + 1]);
  return k;
}
const sameFiles = (a: number[], b: number[]) => keys(a).same(keys(b));

test('file keys compare as sets of (block, size) pairs, in any order, blocks shared or not', () => {
  expect(sameFiles([10, 5, 20, 7], [20, 7, 10, 5])).toBe(true);
  // two files at one block with their sizes the other way round in the other tree
  expect(sameFiles([10, 5, 10, 9, 30, 1], [30, 1, 10, 9, 10, 5])).toBe(true);
  expect(sameFiles([10, 5, 10, 9], [10, 5, 10, 5])).toBe(false);
  expect(sameFiles([10, 5, 11, 9], [10, 5, 10, 9])).toBe(false);
  expect(sameFiles([10, 5], [10, 5, 10, 5])).toBe(false);
  expect(sameFiles([], [])).toBe(true);
  // the largest block, and multi-extent sizes of 4 GiB - 1 and more, keep their exact values
  const G4 = 2 ** 32;
  expect(sameFiles([0xffffffff, G4 + 1], [0xffffffff, G4])).toBe(false);
  expect(sameFiles([0xffffffff, 2 ** 40 + 1, 0, 3], [0, 3, 0xffffffff, 2 ** 40 + 1])).toBe(true);
  expect(sameFiles([7, G4 - 1], [7, 2 * G4 - 1])).toBe(false);
  expect(sameFiles([7, G4 - 1, 7, G4 * 3], [7, G4 * 3, 7, G4 - 1])).toBe(true);
  expect(sameFiles([7, G4 - 2], [7, G4 - 1])).toBe(false);
  let x = 99;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const sizes = [1, 2, 3, 2048, G4 - 1, G4, G4 + 2048];
  for (let round = 0; round < 300; round++) {
    // past 1,024 files the keys' array grows
    const files = 1 + (round % 10 === 0 ? 1500 + next(1000) : next(30));
    const fa: number[] = [];
    for (let i = 0; i < files; i++)
      fa.push(next(8) * (round % 3 === 0 ? 0x20000000 : 1), sizes[next(sizes.length)]);
    const order = Array.from({ length: files }, (_, i) => i).sort(() => next(3) - 1);
    const fb = order.flatMap(i => [fa[2 * i], fa[2 * i + 1]]);
    if (round % 2) fb[2 * next(files) + next(2)] += 1; // one block or size off
    expect(sameFiles(fa, fb)).toBe(sameReference(fa, fb));
  }
});
