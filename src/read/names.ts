/** File identifiers of the ISO 9660 and Joliet trees as names, read in place ([start, end) of `id`). */

/** ECMA-119 7.5.1: "NAME.EXT;1" → "NAME.EXT" (and "NAME." → "NAME"). */
export function isoName(id: Buffer, start = 0, end = id.length): string {
  let s = id.toString('latin1', start, end);
  const semi = s.lastIndexOf(';');
  if (semi >= 0) s = s.slice(0, semi);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/** An identifier (at most 255 bytes, its length is one byte: ECMA-119 9.1.10) swapped to UTF-16LE. */
const swapped = Buffer.alloc(256);

/**
 * Joliet: UCS-2 BE (as decodeUtf16BE reads it: every code unit kept, lone surrogates too, an odd
 * last byte dropped), version suffix (";" and digits) removed.
 */
export function jolietName(id: Buffer, start = 0, end = id.length): string {
  let s = ucs2Text(id, start, (end - start) & ~1);
  const semi = s.lastIndexOf(';');
  if (semi >= 0 && semi + 1 < s.length && allDigits(s, semi + 1)) s = s.slice(0, semi);
  return s;
}

/**
 * The `even` bytes at `start` of `id` as UTF-16BE code units, each kept. Most names are U+0000-U+00FF
 * alone: their low bytes make a one-byte string at once (UTF-16LE text through ucs2Slice cost
 * about a microsecond a name).
 */
function ucs2Text(id: Buffer, start: number, even: number): string {
  const to = even <= swapped.length ? swapped : Buffer.alloc(even);
  let high = 0;
  for (let i = 0; i < even; i += 2) {
    high |= id[start + i];
    to[i >> 1] = id[start + i + 1];
  }
  if (high === 0) return to.toString('latin1', 0, even >> 1);
  for (let i = 0; i < even; i += 2) {
    to[i] = id[start + i + 1];
    to[i + 1] = id[start + i];
  }
  return to.toString('utf16le', 0, even);
}

/** True when every character of `s` from `from` on is 0-9. */
function allDigits(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
