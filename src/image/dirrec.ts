/** ECMA-119 9.1: directory records, both ways. */
import { readBoth32, readRecordDate, writeBoth16, writeBoth32, writeRecordDate } from './bytes.js';

// ECMA-119 9.1.6: file flags
export const FLAG_HIDDEN = 0x01;
export const FLAG_DIRECTORY = 0x02;
export const FLAG_MULTI_EXTENT = 0x80;

/** ECMA-119 9.1: the fields of a directory record, by offset (both-endian fields take 2 × n bytes). */
export const DIR_RECORD = {
  length: 0, // 9.1.1
  extAttrLength: 1, // 9.1.2
  extent: 2, // 9.1.3 both32
  dataLength: 10, // 9.1.4 both32
  date: 18, // 9.1.5, 7 bytes
  flags: 25, // 9.1.6
  fileUnitSize: 26, // 9.1.7
  interleaveGap: 27, // 9.1.8
  volumeSequence: 28, // 9.1.9 both16
  idLength: 32, // 9.1.10
  id: 33 // 9.1.11
} as const;

/** ECMA-119 9.1: fixed part of a record before the file identifier. */
export const DIR_RECORD_FIXED = DIR_RECORD.id;
/** The shortest record: a one-byte identifier ("." and ".." are 0x00 and 0x01, ECMA-119 6.8.2.2). */
export const MIN_DIR_RECORD = DIR_RECORD_FIXED + 1;
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
  r.fileId.copy(b, DIR_RECORD.id);
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
  b[off + DIR_RECORD.length] = len + (len % 2); // records are even-length
  b[off + DIR_RECORD.extAttrLength] = 0;
  writeBoth32(b, off + DIR_RECORD.extent, extent);
  writeBoth32(b, off + DIR_RECORD.dataLength, size);
  writeRecordDate(b, off + DIR_RECORD.date, date);
  b[off + DIR_RECORD.flags] = flags;
  b[off + DIR_RECORD.fileUnitSize] = 0;
  b[off + DIR_RECORD.interleaveGap] = 0;
  writeBoth16(b, off + DIR_RECORD.volumeSequence, 1);
  b[off + DIR_RECORD.idLength] = idLen;
  return off + DIR_RECORD_FIXED + idFieldLength(idLen);
}

export class RecordError extends Error {}

/**
 * A record's fields read in place: its numbers, and where its identifier and system use lie in the
 * buffer (no copies; the tree walk reads every record into one view).
 */
export interface DirRecordView {
  extent: number;
  size: number;
  flags: number;
  /** offset of the 7-byte recording date (readRecordDate) */
  dateAt: number;
  /** offset and length of the raw file identifier (0x00 for ".", 0x01 for "..") */
  idStart: number;
  idLength: number;
  /** the system use area, [suStart, suEnd) (empty when they are equal) */
  suStart: number;
  suEnd: number;
}

/** A view to fill (viewDirRecord). */
export function newRecordView(): DirRecordView {
  return { extent: 0, size: 0, flags: 0, dateAt: 0, idStart: 0, idLength: 0, suStart: 0, suEnd: 0 };
}

/**
 * Read the record at `off` into `v`; returns its length, or 0 for a zero length byte (padding to the
 * end of a sector). Throws RecordError when the record's lengths do not add up inside `end`.
 */
export function viewDirRecord(buf: Buffer, off: number, end: number, v: DirRecordView): number {
  if (off >= end) return 0;
  const len = buf[off + DIR_RECORD.length];
  if (len === 0) return 0;
  if (len < MIN_DIR_RECORD || off + len > end) {
    throw new RecordError(`directory record at offset ${off} has length ${len}`);
  }
  const idLen = buf[off + DIR_RECORD.idLength];
  const suStart = DIR_RECORD_FIXED + idFieldLength(idLen);
  if (DIR_RECORD_FIXED + idLen > len)
    throw new RecordError(`directory record at offset ${off}: identifier longer than record`);
  v.extent = readBoth32(buf, off + DIR_RECORD.extent);
  v.size = readBoth32(buf, off + DIR_RECORD.dataLength);
  v.flags = buf[off + DIR_RECORD.flags];
  v.dateAt = off + DIR_RECORD.date;
  v.idStart = off + DIR_RECORD.id;
  v.idLength = idLen;
  v.suStart = off + Math.min(suStart, len);
  v.suEnd = off + len;
  return len;
}

/**
 * Parse the record at `off` (viewDirRecord's fields, copied out). Returns undefined for a zero
 * length byte (padding to the end of a sector). Throws RecordError when the record's lengths do not
 * add up inside `end`.
 */
export function parseDirRecord(
  buf: Buffer,
  off: number,
  end = buf.length
): { record: DirRecord; length: number } | undefined {
  const v = newRecordView();
  const length = viewDirRecord(buf, off, end, v);
  if (length === 0) return undefined;
  const record: DirRecord = {
    extent: v.extent,
    size: v.size,
    date: readRecordDate(buf, v.dateAt),
    flags: v.flags,
    fileId: buf.subarray(v.idStart, v.idStart + v.idLength),
    systemUse: v.suStart < v.suEnd ? buf.subarray(v.suStart, v.suEnd) : Buffer.alloc(0)
  };
  return { record, length };
}
