/**
 * Primitive field codecs of ECMA-119 (ISO 9660), each with its parse side so the writer and the
 * reader share one definition. Sections cited are ECMA-119 4th edition (2019).
 */

export const SECTOR = 2048;

/** ECMA-119 7.2.3: 16-bit both-byte orders (LE then BE). */
export function writeBoth16(buf: Buffer, off: number, v: number): void {
  buf.writeUInt16LE(v, off);
  buf.writeUInt16BE(v, off + 2);
}

/** ECMA-119 7.3.3: 32-bit both-byte orders (LE then BE). */
export function writeBoth32(buf: Buffer, off: number, v: number): void {
  buf.writeUInt32LE(v >>> 0, off);
  buf.writeUInt32BE(v >>> 0, off + 4);
}

/** Reads the LE half of a both-endian 32-bit field; `strict` also checks the BE half agrees. */
export function readBoth32(buf: Buffer, off: number, strict = false): number {
  const le = buf.readUInt32LE(off);
  if (strict && buf.readUInt32BE(off + 4) !== le) throw new RangeError(`both-endian mismatch at ${off}`);
  return le;
}

export function readBoth16(buf: Buffer, off: number, strict = false): number {
  const le = buf.readUInt16LE(off);
  if (strict && buf.readUInt16BE(off + 2) !== le) throw new RangeError(`both-endian mismatch at ${off}`);
  return le;
}

/** Write `text` as ASCII into a fixed field padded with `pad` (0x20 for a/d-characters, ECMA-119 8.4). */
export function writePadded(buf: Buffer, off: number, len: number, text: string, pad = 0x20): void {
  buf.fill(pad, off, off + len);
  buf.write(text.slice(0, len), off, 'latin1');
}

export function readPadded(buf: Buffer, off: number, len: number): string {
  return buf.toString('latin1', off, off + len).replace(/[\x00 ]+$/, '');
}

/** UCS-2 big-endian field padded with 0x00 0x20 pairs (Joliet volume fields). */
export function writeUcs2Padded(buf: Buffer, off: number, len: number, text: string): void {
  for (let i = 0; i + 1 < len; i += 2) buf.writeUInt16BE(0x0020, off + i);
  const enc = encodeUtf16BE(text);
  enc.copy(buf, off, 0, Math.min(enc.length, len - (len % 2)));
}

export function encodeUtf16BE(text: string): Buffer {
  // every byte is written below; allocUnsafe takes small buffers from the shared pool
  const b = Buffer.allocUnsafe(text.length * 2);
  writeUtf16BE(b, 0, text);
  return b;
}

/** encodeUtf16BE's bytes written at `off` of `buf` (2 bytes a UTF-16 code unit). */
export function writeUtf16BE(buf: Buffer, off: number, text: string): void {
  for (let i = 0; i < text.length; i++) buf.writeUInt16BE(text.charCodeAt(i), off + i * 2);
}

/** Room for a Joliet identifier (its length is one byte: ECMA-119 9.1.10) turned into text. */
const utf16Scratch = Buffer.alloc(256);

/**
 * `len` bytes at `off` as UTF-16BE code units, each kept (lone surrogates too), an odd last byte
 * dropped. Most names are U+0000-U+00FF alone: their low bytes make a one-byte string at once (a
 * string grown a code unit at a time, or UTF-16LE text through ucs2Slice, cost about a microsecond
 * a name in the tree walk).
 */
export function decodeUtf16BE(buf: Buffer, off = 0, len = buf.length - off): string {
  const even = Math.max(0, len) & ~1;
  const to = even <= utf16Scratch.length ? utf16Scratch : Buffer.alloc(even);
  let high = 0;
  for (let i = 0; i < even; i += 2) {
    high |= buf[off + i];
    to[i >> 1] = buf[off + i + 1];
  }
  if (high === 0) return to.toString('latin1', 0, even >> 1);
  for (let i = 0; i < even; i += 2) {
    to[i] = buf[off + i + 1];
    to[i + 1] = buf[off + i];
  }
  return to.toString('utf16le', 0, even);
}

/** The last date writeRecordDate encoded (an image's records mostly repeat a few dates). */
const lastDate = { seconds: NaN, bytes: Buffer.alloc(7) };

/** ECMA-119 9.1.5: recording date and time of a directory record, 7 bytes, UTC. */
export function writeRecordDate(buf: Buffer, off: number, epochSeconds: number): void {
  const b = lastDate.bytes;
  if (epochSeconds !== lastDate.seconds) {
    const d = new Date(epochSeconds * 1000);
    const year = d.getUTCFullYear() - 1900;
    b[0] = Math.max(0, Math.min(255, year));
    b[1] = d.getUTCMonth() + 1;
    b[2] = d.getUTCDate();
    b[3] = d.getUTCHours();
    b[4] = d.getUTCMinutes();
    b[5] = d.getUTCSeconds();
    b[6] = 0; // offset from GMT in 15-minute intervals
    lastDate.seconds = epochSeconds;
  }
  b.copy(buf, off);
}

/** The last date readRecordDate decoded, by its 7 bytes (an image's records mostly repeat a few dates). */
const lastRead = { seconds: NaN, bytes: Buffer.alloc(7) };

export function readRecordDate(buf: Buffer, off: number): number {
  const c = lastRead.bytes;
  if (
    buf[off] === c[0] &&
    buf[off + 1] === c[1] &&
    buf[off + 2] === c[2] &&
    buf[off + 3] === c[3] &&
    buf[off + 4] === c[4] &&
    buf[off + 5] === c[5] &&
    buf[off + 6] === c[6] &&
    !Number.isNaN(lastRead.seconds)
  )
    return lastRead.seconds;
  const ms = Date.UTC(
    1900 + buf[off],
    Math.max(0, buf[off + 1] - 1),
    buf[off + 2] || 1,
    buf[off + 3],
    buf[off + 4],
    buf[off + 5]
  );
  const gmtOff = buf.readInt8(off + 6) * 15 * 60;
  const seconds = Math.floor(ms / 1000) - gmtOff;
  buf.copy(c, 0, off, off + 7);
  lastRead.seconds = seconds;
  return seconds;
}

/** ECMA-119 8.4.26.1: volume date "YYYYMMDDHHMMSScc" + GMT offset byte; undefined writes the zero date. */
export function writeVolumeDate(buf: Buffer, off: number, epochSeconds: number | undefined): void {
  if (epochSeconds === undefined) {
    buf.write('0000000000000000', off, 'latin1');
    buf[off + 16] = 0;
    return;
  }
  const d = new Date(epochSeconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const s =
    p(d.getUTCFullYear(), 4) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    '00';
  buf.write(s, off, 'latin1');
  buf[off + 16] = 0;
}

export function readVolumeDate(buf: Buffer, off: number): number | undefined {
  const s = buf.toString('latin1', off, off + 16);
  if (!/^\d{16}$/.test(s) || s === '0000000000000000') return undefined;
  const ms = Date.UTC(
    +s.slice(0, 4),
    +s.slice(4, 6) - 1,
    +s.slice(6, 8),
    +s.slice(8, 10),
    +s.slice(10, 12),
    +s.slice(12, 14)
  );
  return Math.floor(ms / 1000) - buf.readInt8(off + 16) * 15 * 60;
}

export function blocksFor(bytes: number, blockSize = SECTOR): number {
  return Math.ceil(bytes / blockSize);
}
