/** ECMA-119 9.1: directory records, both ways. */
import { readBoth32, readRecordDate, writeBoth16, writeBoth32, writeRecordDate } from './bytes.js';

// ECMA-119 9.1.6: file flags
export const FLAG_HIDDEN = 0x01;
export const FLAG_DIRECTORY = 0x02;
export const FLAG_MULTI_EXTENT = 0x80;

/** ECMA-119 9.1: fixed part of a record before the file identifier. */
export const DIR_RECORD_FIXED = 33;
export const MAX_DIR_RECORD = 255;

/** Largest extent of a multi-extent file: 4 GiB - 2 KiB, a whole number of blocks (ECMA-119 9.1.4). */
export const MAX_EXTENT = 0xfffff800;

export interface DirRecord {
  extent: number;
  size: number;
  /** seconds since 1970, UTC */
  date: number;
  flags: number;
  /** the raw file identifier (0x00 for ".", 0x01 for "..") */
  fileId: Buffer;
  systemUse: Buffer;
}

/** Bytes of the identifier part including the padding byte (ECMA-119 9.1.12). */
export function idFieldLength(idLen: number): number {
  return idLen + (idLen % 2 === 0 ? 1 : 0);
}

export function recordLength(idLen: number, suLen: number): number {
  return DIR_RECORD_FIXED + idFieldLength(idLen) + suLen;
}

export function encodeDirRecord(r: DirRecord): Buffer {
  const len = recordLength(r.fileId.length, r.systemUse.length);
  if (len > MAX_DIR_RECORD) throw new RangeError(`directory record of ${len} bytes`);
  const b = Buffer.alloc(len + (len % 2)); // records are even-length (SUSP pads the SU area)
  const su = writeDirRecordHead(b, 0, r.extent, r.size, r.date, r.flags, r.fileId.length, r.systemUse.length);
  r.fileId.copy(b, 33);
  r.systemUse.copy(b, su);
  return b;
}

/**
 * encodeDirRecord in place: the fixed part of a record at `off` of a zeroed `b`, for an identifier
 * of `idLen` bytes and `suLen` bytes of system use, which the caller writes at `off + 33` and at the
 * offset returned. The record takes recordLength(idLen, suLen) bytes, rounded up to even.
 */
export function writeDirRecordHead(
  b: Buffer,
  off: number,
  extent: number,
  size: number,
  date: number,
  flags: number,
  idLen: number,
  suLen: number
): number {
  const len = recordLength(idLen, suLen);
  if (len > MAX_DIR_RECORD) throw new RangeError(`directory record of ${len} bytes`);
  b[off] = len + (len % 2); // 9.1.1 length of directory record (records are even-length)
  b[off + 1] = 0; // 9.1.2 extended attribute record length
  writeBoth32(b, off + 2, extent); // 9.1.3 location of extent
  writeBoth32(b, off + 10, size); // 9.1.4 data length
  writeRecordDate(b, off + 18, date); // 9.1.5
  b[off + 25] = flags; // 9.1.6
  b[off + 26] = 0; // 9.1.7 file unit size
  b[off + 27] = 0; // 9.1.8 interleave gap
  writeBoth16(b, off + 28, 1); // 9.1.9 volume sequence number
  b[off + 32] = idLen; // 9.1.10
  return off + DIR_RECORD_FIXED + idFieldLength(idLen);
}

export class RecordError extends Error {}

/**
 * Parse the record at `off`. Returns undefined for a zero length byte (padding to the end of a
 * sector). Throws RecordError when the record's lengths do not add up inside `end`.
 */
export function parseDirRecord(
  buf: Buffer,
  off: number,
  end = buf.length
): { record: DirRecord; length: number } | undefined {
  if (off >= end) return undefined;
  const len = buf[off];
  if (len === 0) return undefined;
  if (len < DIR_RECORD_FIXED + 1 || off + len > end) {
    throw new RecordError(`directory record at offset ${off} has length ${len}`);
  }
  const idLen = buf[off + 32];
  const suStart = DIR_RECORD_FIXED + idFieldLength(idLen);
  if (DIR_RECORD_FIXED + idLen > len)
    throw new RecordError(`directory record at offset ${off}: identifier longer than record`);
  const record: DirRecord = {
    extent: readBoth32(buf, off + 2),
    size: readBoth32(buf, off + 10),
    date: readRecordDate(buf, off + 18),
    flags: buf[off + 25],
    fileId: buf.subarray(off + 33, off + 33 + idLen),
    systemUse: suStart < len ? buf.subarray(off + suStart, off + len) : Buffer.alloc(0)
  };
  return { record, length: len };
}
