/** File identifiers of the ISO 9660 and Joliet trees as names, read in place ([start, end) of `id`). */
import { decodeUtf16BE } from '../image/bytes.js';

/** ECMA-119 7.5.1: "NAME.EXT;1" → "NAME.EXT" (and "NAME." → "NAME"). */
export function isoName(id: Buffer, start = 0, end = id.length): string {
  let s = id.toString('latin1', start, end);
  const semi = s.lastIndexOf(';');
  if (semi >= 0) s = s.slice(0, semi);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/** Joliet: UCS-2 BE (decodeUtf16BE: every code unit kept, an odd last byte dropped), version suffix (";" and digits) removed. */
export function jolietName(id: Buffer, start = 0, end = id.length): string {
  let s = decodeUtf16BE(id, start, end - start);
  const semi = s.lastIndexOf(';');
  if (semi >= 0 && semi + 1 < s.length && allDigits(s, semi + 1)) s = s.slice(0, semi);
  return s;
}

/** True when every character of `s` from `from` on is 0-9. */
function allDigits(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
