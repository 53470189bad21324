/** ECMA-119 9.4: path table records, both byte orders, both ways. */

export interface PathTableEntry {
  /** raw directory identifier; the root is a single 0x00 byte */
  id: Buffer;
  extent: number;
  /** 1-based number of the parent in the same table (the root's parent is 1) */
  parent: number;
}

/**
 * ECMA-119 6.9.1: a path table lists directories by level, then by the number of their parent,
 * then by their identifier in that table's hierarchy. When `children` gives each directory's
 * subdirectories in the identifier order of that hierarchy, that is breadth-first order.
 */
export function pathTableOrder<T>(root: T, children: (dir: T) => readonly T[]): T[] {
  const out: T[] = [root];
  for (let i = 0; i < out.length; i++) out.push(...children(out[i]));
  return out;
}

/** ECMA-119 9.4: a path table record's fields, by offset; one byte order per table (L or M). */
export const PATH_TABLE_RECORD = {
  idLength: 0, // 9.4.1
  extAttrLength: 1, // 9.4.2
  extent: 2, // 9.4.3, 32-bit
  parent: 6, // 9.4.4, 16-bit
  id: 8 // 9.4.5, then a padding byte when the length is odd (9.4.6)
} as const;

/** ECMA-119 9.4.3-9.4.6: len_di, ext attr len, extent (4), parent number (2), id, pad to even. */
export function pathTableRecordLength(idLen: number): number {
  return PATH_TABLE_RECORD.id + idLen + (idLen % 2);
}

export function encodePathTable(entries: readonly PathTableEntry[], bigEndian: boolean): Buffer {
  let size = 0;
  for (const e of entries) size += pathTableRecordLength(e.id.length);
  const b = Buffer.alloc(size);
  let off = 0;
  for (const e of entries) {
    const R = PATH_TABLE_RECORD;
    b[off + R.idLength] = e.id.length;
    b[off + R.extAttrLength] = 0;
    if (bigEndian) {
      b.writeUInt32BE(e.extent, off + R.extent);
      b.writeUInt16BE(e.parent, off + R.parent);
    } else {
      b.writeUInt32LE(e.extent, off + R.extent);
      b.writeUInt16LE(e.parent, off + R.parent);
    }
    e.id.copy(b, off + R.id);
    off += pathTableRecordLength(e.id.length);
  }
  return b;
}

/** Parse `size` bytes of a path table. Stops at malformed input with a RangeError. */
export function parsePathTable(buf: Buffer, bigEndian: boolean, maxEntries = 1 << 20): PathTableEntry[] {
  const out: PathTableEntry[] = [];
  let off = 0;
  while (off < buf.length) {
    const R = PATH_TABLE_RECORD;
    const idLen = buf[off + R.idLength];
    if (idLen === 0) {
      if (buf.subarray(off).every(x => x === 0)) break;
      throw new RangeError(`path table record at ${off} has an empty identifier`);
    }
    const len = pathTableRecordLength(idLen);
    if (off + len > buf.length) throw new RangeError(`path table record at ${off} runs past the table`);
    if (out.length >= maxEntries) throw new RangeError(`path table has more than ${maxEntries} entries`);
    out.push({
      id: buf.subarray(off + R.id, off + R.id + idLen),
      extent: bigEndian ? buf.readUInt32BE(off + R.extent) : buf.readUInt32LE(off + R.extent),
      parent: bigEndian ? buf.readUInt16BE(off + R.parent) : buf.readUInt16LE(off + R.parent)
    });
    off += len;
  }
  return out;
}
