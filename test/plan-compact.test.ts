/**
 * The shortcuts a plan of many files takes must give the bytes and orders of the plain forms:
 * names compared without encoding them, ISO 9660 identifiers compared as text, records and Rock
 * Ridge entries written in place, manifest entries sorted per directory and written in pieces.
 */
import { encodeUtf16BE } from '../src/image/bytes.js';
import { encodeDirRecord, writeDirRecordHead } from '../src/image/dirrec.js';
import { compareIsoIdText, compareIsoIds } from '../src/image/names.js';
import { rrEntries, rrLength, writeRr } from '../src/image/records.js';
import { compareNames, fileAt, type DirNode, type FileNode, type TreeNode } from '../src/image/tree.js';
import { entriesFromTree, treeEntries, type Manifest } from '../src/manifest.js';
import type { ImageResult } from '../src/image/build.js';
import { buildManifest, manifestChunks, serializeManifest } from '../src/integrity/manifest.js';
import { VERSION } from '../src/version.js';

const sign = (x: number) => Math.sign(x);

/** Strings made of the characters where the shortcuts could go wrong. */
function samples(count: number, seed = 1): string[] {
  const alphabet = ['a', 'A', 'b', '.', ';', '1', '~', '_', ' ', '/', '-', 'é', '\u0000', '\u007f', '\u0080'];
  alphabet.push('\ud83d', '\ude00', '\ud800', '\udc00', '\ue000', '\ufffd', '\uffff', '😀');
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let n = Math.floor(next() * 6); n > 0; n--) s += alphabet[Math.floor(next() * alphabet.length)];
    out.push(s);
  }
  return out;
}

test('compareNames is the order of the UTF-8 bytes, lone surrogates included', () => {
  const s = samples(400);
  for (const a of s)
    for (const b of s.slice(0, 60)) {
      const bytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
      expect([a, b, compareNames(a, b)]).toEqual([a, b, bytes]);
      expect(compareNames(a + 'x', a)).toBe(1);
    }
});

test('ISO 9660 identifiers compare the same as text and as bytes; Joliet text as UTF-16BE bytes', () => {
  const s = samples(300, 2);
  for (const a of s)
    for (const b of s.slice(0, 40)) {
      const la = Buffer.from(a, 'latin1');
      const lb = Buffer.from(b, 'latin1');
      expect(compareIsoIdText(la.toString('latin1'), lb.toString('latin1'))).toBe(compareIsoIds(la, lb));
      const units = a < b ? -1 : a > b ? 1 : 0;
      expect(units).toBe(sign(Buffer.compare(encodeUtf16BE(a), encodeUtf16BE(b))));
    }
  expect(compareIsoIdText('A.B;1', 'A_C.B;1')).toBeLessThan(0);
  expect(compareIsoIdText('A;2', 'A;1')).toBeLessThan(0); // higher version first
});

function node(kind: 'file' | 'dir', name: string, parent: DirNode | undefined, size = 0): TreeNode {
  const path = parent && parent.path ? `${parent.path}/${name}` : name;
  const base = { name, path, mode: 0o644, mtime: 1700000000 + size, uid: 0, gid: 0, serial: 7 };
  const n: TreeNode =
    kind === 'dir'
      ? { ...base, kind, children: [] }
      : { ...base, kind, size, lba: 100 + size, data: { type: 'memory', bytes: Buffer.alloc(size) } };
  parent?.children.push(n);
  return n;
}

test('records and Rock Ridge entries written in place are the encoders’ bytes', () => {
  for (const name of ['a', 'Grüße 😀.txt', 'x'.repeat(113), 'é'.repeat(125)]) {
    const n = node('file', name, undefined, 5);
    const nameBytes = Buffer.byteLength(name);
    const su = Buffer.concat(rrEntries(n, 3));
    expect(rrLength(n, nameBytes)).toBe(su.length);
    const inPlace = Buffer.alloc(su.length + 4);
    expect(writeRr(inPlace, 2, n, 3, nameBytes)).toBe(2 + su.length);
    expect(inPlace.subarray(2, 2 + su.length)).toEqual(su);
    const id = Buffer.from('NAME.TXT;1', 'latin1');
    const small = su.subarray(0, 70); // PX and TF: a record stays under 255 bytes
    const rec = encodeDirRecord({
      extent: 1234,
      size: 5,
      date: n.mtime,
      flags: 0,
      fileId: id,
      systemUse: small
    });
    const out = Buffer.alloc(rec.length + 6);
    const at = writeDirRecordHead(out, 3, 1234, 5, n.mtime, 0, id.length, small.length);
    id.copy(out, 3 + 33);
    small.copy(out, at);
    expect(out.subarray(3, 3 + rec.length)).toEqual(rec);
    expect(out[3]).toBe(rec.length);
  }
  expect(rrLength(node('file', 'y'.repeat(251), undefined), 251)).toBeUndefined(); // two NM entries
});

test('manifest entries come in path byte order without sorting all paths; written in pieces alike', () => {
  const root = node('dir', '', undefined) as DirNode;
  const names = ['d', 'd-x', 'd.x', 'd0', 'D', 'd x', 'é', '😀', '\ue000', 'dd', 'd_'];
  for (const n of names) {
    const d = node('dir', n, root) as DirNode;
    for (const m of ['a', 'a-b', 'a.b', 'z', ...names.slice(0, 4)]) node('file', m, d, m.length);
    node('dir', 'sub', d);
    node('file', `${n}file`, root, 3);
  }
  for (const d of root.children)
    if (d.kind === 'dir') d.children.sort((a, b) => compareNames(a.name, b.name));
  root.children.sort((a, b) => compareNames(a.name, b.name));
  const all: string[] = [];
  const collect = (d: DirNode) =>
    d.children.forEach(c => {
      all.push(c.path);
      if (c.kind === 'dir') collect(c);
    });
  collect(root);
  all.sort(compareNames);
  expect(Array.from(treeEntries(root), e => e.path)).toEqual(all);
  expect(fileAt(root, 'd-x/a.b')?.path).toBe('d-x/a.b');
  expect(fileAt(root, 'd-x')).toBeUndefined();
  expect((fileAt(root, 'dfile') as FileNode).size).toBe(3);

  // the nodes' blocks are 100 + size: one digest per size, as a build finds them
  const digests = { get: (f: { lba: number }) => f.lba.toString(16).padStart(64, '0'), has: () => true };
  const m: Manifest = {
    schema: 'isoforge-manifest/1',
    tool: { name: 'isoforge', version: VERSION },
    volumeId: 'V',
    epoch: 1,
    image: { name: 'x.iso', size: 2048 },
    boot: [],
    partitions: [],
    entries: entriesFromTree(root, digests)
  };
  const text = serializeManifest(m);
  expect(JSON.parse(text).entries).toHaveLength(all.length);
  let counted = 0;
  const pieces = Array.from(manifestChunks(m, 100, n => (counted = n)));
  expect(pieces.length).toBeGreaterThan(10);
  expect(pieces.join('')).toBe(text);
  expect(counted).toBe(all.length);
  expect(serializeManifest({ ...m, entries: [] })).toContain('"entries": []');

  // a build's manifest: entries made while it is written, or listed when asked for
  const result = {
    plan: { extensions: [] },
    output: '/out/x.iso',
    size: 2048,
    digests: { sha256: 'ab'.repeat(32) },
    root,
    fileDigests: digests,
    epoch: 1,
    volumeId: 'V'
  } as unknown as ImageResult;
  const built = buildManifest(result);
  const streamed = Array.from(manifestChunks(built, 100)).join('');
  expect(streamed).toBe(serializeManifest({ ...m, image: { ...m.image, sha256: 'ab'.repeat(32) } }));
  expect(built.entries).toEqual(m.entries);
  expect(serializeManifest(built)).toBe(streamed);
  expect(JSON.parse(JSON.stringify(built)).entries).toHaveLength(all.length);
});
