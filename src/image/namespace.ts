/**
 * The two namespaces of the image: ISO 9660 (ECMA-119 9.3 order, one byte a character, Rock Ridge
 * in its records) and Joliet (UTF-16BE identifiers in code unit order, no system use). A
 * directory's records are a function of the tree alone: the plan asks for them to size the extent,
 * and the writer asks again to fill it, so both see the same records in the same order.
 */
import { encodeUtf16BE, writeUtf16BE } from './bytes.js';
import { MAX_EXTENT, recordLength } from './dirrec.js';
import { assignIsoNames, assignJolietNames, compareIsoIdText } from './names.js';
import type { DirNode, TreeNode } from './tree.js';

export type NamespaceKey = 'iso' | 'jol';

/** A directory's records in one namespace, in order: the children and their identifiers. */
export interface Records {
  nodes: TreeNode[];
  ids: string[];
}

export interface Namespace {
  readonly key: NamespaceKey;
  /** Rock Ridge entries in this namespace's records */
  readonly rockRidge: boolean;
  /** the records of a directory after "." and "..", in order */
  records(d: DirNode): Records;
  /** bytes of an identifier */
  idLength(id: string): number;
  /** an identifier's bytes at `at` of `out` */
  writeId(out: Buffer, at: number, id: string): void;
  /** a directory's identifier as a path table records it (the root's is one 0x00 byte) */
  pathTableId(id: string, isRoot: boolean): Buffer;
}

/** A record's length on disk: records are even-length (ECMA-119 9.1.12, SUSP pads the area). */
export function evenRecord(idLen: number, suLen: number): number {
  const len = recordLength(idLen, suLen);
  return len + (len % 2);
}

/** Records a node takes: a file larger than one extent takes one per extent (ECMA-119 6.5.1). */
export function extentsOf(n: TreeNode): number {
  return n.kind === 'file' ? Math.max(1, Math.ceil(n.size / MAX_EXTENT)) : 1;
}

const visible = (d: DirNode) => d.children.filter(c => !c.hidden);

/** indices of `ids` in the order of `cmp` (stable) */
const orderOf = (ids: string[], cmp: (a: string, b: string) => number) =>
  ids.map((_, i) => i).sort((a, b) => cmp(ids[a], ids[b]));

const select = (kids: TreeNode[], names: string[], order: number[]): Records => ({
  nodes: order.map(i => kids[i]),
  ids: order.map(i => names[i])
});

/** UTF-16 code unit order: the order of the UTF-16BE bytes */
const compareUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const ROOT_ID = Buffer.from([0]);

/** ISO 9660: symbolic links only with Rock Ridge (an SL entry is all they are). */
export function isoNamespace(rockRidge: boolean): Namespace {
  return {
    key: 'iso',
    rockRidge,
    records(d) {
      const kids = visible(d).filter(c => c.kind !== 'symlink' || rockRidge);
      const names = assignIsoNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
      return select(kids, names, orderOf(names, compareIsoIdText));
    },
    idLength: id => id.length,
    writeId: (out, at, id) => out.write(id, at, 'latin1'),
    pathTableId: (id, isRoot) => (isRoot ? ROOT_ID : Buffer.from(id, 'latin1'))
  };
}

/** Joliet: no symbolic links. */
export function jolietNamespace(): Namespace {
  return {
    key: 'jol',
    rockRidge: false,
    records(d) {
      const kids = visible(d).filter(c => c.kind !== 'symlink');
      const names = assignJolietNames(kids.map(k => ({ name: k.name, isDir: k.kind === 'dir' })));
      return select(kids, names, orderOf(names, compareUnits));
    },
    idLength: id => 2 * id.length,
    writeId: (out, at, id) => writeUtf16BE(out, at, id),
    pathTableId: (id, isRoot) => (isRoot ? ROOT_ID : encodeUtf16BE(id))
  };
}
