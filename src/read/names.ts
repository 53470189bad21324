/** File identifiers of the ISO 9660 and Joliet trees as names. */
import { decodeUtf16BE } from '../image/bytes.js';

/** ECMA-119 7.5.1: "NAME.EXT;1" → "NAME.EXT" (and "NAME." → "NAME"). */
export function isoName(id: Buffer): string {
  let s = id.toString('latin1');
  const semi = s.lastIndexOf(';');
  if (semi >= 0) s = s.slice(0, semi);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/** Joliet: UCS-2 BE, version suffix removed. */
export function jolietName(id: Buffer): string {
  let s = decodeUtf16BE(id);
  const semi = s.lastIndexOf(';');
  if (semi >= 0 && /^;\d+$/.test(s.slice(semi))) s = s.slice(0, semi);
  return s;
}
