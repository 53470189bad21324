/**
 * FAT directory entries: 8.3 short names, VFAT long-name (LFN) entries and DOS timestamps.
 * Sections cited are of the Microsoft FAT specification ("fatgen103", version 1.03, 2000).
 */

/** fatgen103 "FAT 32 Byte Directory Entry Structure": every entry is 32 bytes. */
export const DIR_ENTRY_SIZE = 32;
/** fatgen103: a directory holds at most 65,536 entries (2 MiB). */
export const MAX_DIR_ENTRIES = 65536;
/** fatgen103 "FAT Long Directory Entries": 13 UTF-16 code units per LFN entry, names up to 255 units. */
export const LFN_CHARS_PER_ENTRY = 13;
export const LFN_MAX_LENGTH = 255;

/** fatgen103 DIR_Attr bits. */
export const ATTR_READ_ONLY = 0x01;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
/** ATTR_READ_ONLY | ATTR_HIDDEN | ATTR_SYSTEM | ATTR_VOLUME_ID marks a long-name entry. */
export const ATTR_LONG_NAME = 0x0f;
/** LDIR_Ord: the last (first stored) long-name entry of a set has this bit. */
const LAST_LONG_ENTRY = 0x40;

/** Byte offsets of the short entry (fatgen103 "FAT 32 Byte Directory Entry Structure"). */
const DIR_NAME = 0; // 11 bytes: 8 name + 3 extension, space padded
const DIR_ATTR = 11;
const DIR_CRT_TIME_TENTH = 13;
const DIR_CRT_TIME = 14;
const DIR_CRT_DATE = 16;
const DIR_LST_ACC_DATE = 18;
const DIR_FST_CLUS_HI = 20;
const DIR_WRT_TIME = 22;
const DIR_WRT_DATE = 24;
const DIR_FST_CLUS_LO = 26;
const DIR_FILE_SIZE = 28;

/** Byte offsets of a long-name entry (fatgen103 "FAT Long Directory Entries"). */
const LDIR_ORD = 0;
const LDIR_NAME1 = 1; // 5 code units
const LDIR_ATTR = 11;
const LDIR_TYPE = 12;
const LDIR_CHKSUM = 13;
const LDIR_NAME2 = 14; // 6 code units
const LDIR_FST_CLUS_LO = 26;
const LDIR_NAME3 = 28; // 2 code units

/** Characters a short name may hold besides A–Z and 0–9 (fatgen103 "DIR_Name[0]" notes). */
const SHORT_EXTRA = new Set("$%'-_@~`!(){}^#&");
/** Characters no FAT name may hold, long or short (fatgen103 "Long Name Specification"). */
const LONG_FORBIDDEN = new Set('"*/:<>?\\|');

/** Why `name` cannot be a FAT long name, or undefined when it can. */
export function longNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.length > LFN_MAX_LENGTH) return `longer than ${LFN_MAX_LENGTH} UTF-16 code units`;
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x20) return 'a control character';
    if (LONG_FORBIDDEN.has(ch)) return `the character ${JSON.stringify(ch)}`;
  }
  if (name.endsWith('.') || name.endsWith(' ')) return 'a trailing dot or space (FAT drops them)';
  return undefined;
}

/** The 11-byte short name as text (8 + 3, space padded), e.g. 'BOOTX64 EFI'. */
export type ShortKey = string;

function pad(s: string, n: number): string {
  return s + ' '.repeat(n - s.length);
}

interface Basis {
  primary: string;
  ext: string;
  /** the name is already a valid upper-case 8.3 name: no long-name entries needed */
  exact: boolean;
  /** fits 8.3 without loss, so the basis needs no numeric tail unless it collides */
  fits: boolean;
}

/** fatgen103 "The Basis-Name Generation Algorithm" (OEM code page reduced to ASCII). */
function basisName(name: string): Basis {
  let lossy = false;
  let up = '';
  for (const ch of name) {
    const u = ch.toUpperCase();
    if (
      (ch.codePointAt(0) ?? 0) < 0x80 &&
      (u === '.' || u === ' ' || /[A-Z0-9]/.test(u) || SHORT_EXTRA.has(u))
    )
      up += u;
    else {
      up += '_'; // not in the (ASCII) OEM set, or not allowed in a short name: "lossy conversion"
      lossy = true;
    }
  }
  const stripped = up.replace(/ /g, '').replace(/^\.+/, '');
  const firstDot = stripped.indexOf('.');
  const lastDot = stripped.lastIndexOf('.');
  const primaryFull = firstDot < 0 ? stripped : stripped.slice(0, firstDot);
  const extFull = lastDot < 0 ? '' : stripped.slice(lastDot + 1);
  const primary = primaryFull.slice(0, 8) || '_';
  const ext = extFull.slice(0, 3);
  const fits =
    !lossy &&
    stripped === up &&
    firstDot === lastDot &&
    primaryFull.length >= 1 &&
    primaryFull.length <= 8 &&
    extFull.length <= 3;
  const exact = fits && name === (ext ? `${primary}.${ext}` : primary);
  return { primary, ext, exact, fits };
}

/** Assigns deterministic, unique short names within one directory. */
export class ShortNameTable {
  private readonly used = new Set<ShortKey>();

  /** Reserve a key (e.g. the volume label) so no file takes it. */
  reserve(key: ShortKey): void {
    this.used.add(key);
  }

  /**
   * Short names for `names`, in the same order. Names that are already exact 8.3 names are placed
   * first so they keep themselves; the others get their basis name, or `~n` tails (fatgen103
   * "The Numeric-Tail Generation Algorithm") when lossy, truncated or colliding.
   */
  assign(names: readonly string[]): { key: ShortKey; lfn: boolean }[] {
    const bases = names.map(basisName);
    const out: { key: ShortKey; lfn: boolean }[] = new Array(names.length);
    const order = [...names.keys()].sort((a, b) => Number(bases[b].exact) - Number(bases[a].exact) || a - b);
    for (const i of order) {
      const b = bases[i];
      let key = pad(b.primary, 8) + pad(b.ext, 3);
      if (!b.fits || this.used.has(key)) {
        for (let n = 1; ; n++) {
          if (n > 999999) throw new RangeError('no free short name');
          const tail = `~${n}`;
          key = pad(b.primary.slice(0, 8 - tail.length) + tail, 8) + pad(b.ext, 3);
          if (!this.used.has(key)) break;
        }
      }
      this.used.add(key);
      out[i] = { key, lfn: !b.exact || key !== pad(b.primary, 8) + pad(b.ext, 3) };
    }
    return out;
  }
}

/** fatgen103 "ChkSum()": the checksum of the 11-byte short name, stored in every LFN entry. */
export function shortNameChecksum(key: ShortKey): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + key.charCodeAt(i)) & 0xff;
  return sum;
}

/** Number of 32-byte entries one name takes: its LFN entries plus the short entry. */
export function entriesFor(name: string, lfn: boolean): number {
  return (lfn ? Math.ceil(name.length / LFN_CHARS_PER_ENTRY) : 0) + 1;
}

/** A DOS date/time (fatgen103 "Date and Time Formats"), local time taken as UTC. */
export interface DosStamp {
  date: number;
  time: number;
  /** DIR_CrtTimeTenth: hundredths of a second, 0–199 (the odd second) */
  tenth: number;
}

/** DOS dates run from 1980-01-01 to 2107-12-31; the epoch is clamped to that range. */
const DOS_MIN = Date.UTC(1980, 0, 1) / 1000;
const DOS_MAX = Date.UTC(2107, 11, 31, 23, 59, 59) / 1000;

export function dosStamp(epochSeconds: number): DosStamp {
  const s = Math.min(DOS_MAX, Math.max(DOS_MIN, Math.floor(epochSeconds)));
  const d = new Date(s * 1000);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  return { date, time, tenth: (d.getUTCSeconds() & 1) * 100 };
}

/** Encode one short (8.3) directory entry at `off`. */
export function writeShortEntry(
  buf: Buffer,
  off: number,
  key: ShortKey,
  attr: number,
  cluster: number,
  size: number,
  stamp: DosStamp
): void {
  buf.write(key, off + DIR_NAME, 11, 'latin1');
  buf[off + DIR_ATTR] = attr;
  if (attr !== ATTR_VOLUME_ID) {
    buf[off + DIR_CRT_TIME_TENTH] = stamp.tenth;
    buf.writeUInt16LE(stamp.time, off + DIR_CRT_TIME);
    buf.writeUInt16LE(stamp.date, off + DIR_CRT_DATE);
    buf.writeUInt16LE(stamp.date, off + DIR_LST_ACC_DATE);
  }
  buf.writeUInt16LE((cluster >>> 16) & 0xffff, off + DIR_FST_CLUS_HI);
  buf.writeUInt16LE(stamp.time, off + DIR_WRT_TIME);
  buf.writeUInt16LE(stamp.date, off + DIR_WRT_DATE);
  buf.writeUInt16LE(cluster & 0xffff, off + DIR_FST_CLUS_LO);
  buf.writeUInt32LE(size >>> 0, off + DIR_FILE_SIZE);
}

/**
 * Encode the long-name entries of `name` at `off`, stored last part first; returns the offset after
 * them (where the short entry goes). The name is NUL terminated unless it fills the last entry
 * exactly, and padded with 0xFFFF (fatgen103 "Storage of a Long-Name Within Long Directory Entries").
 */
export function writeLongEntries(buf: Buffer, off: number, name: string, key: ShortKey): number {
  const n = Math.ceil(name.length / LFN_CHARS_PER_ENTRY);
  const units = new Array<number>(n * LFN_CHARS_PER_ENTRY).fill(0xffff);
  for (let i = 0; i < name.length; i++) units[i] = name.charCodeAt(i);
  if (name.length < units.length) units[name.length] = 0x0000;
  const sum = shortNameChecksum(key);
  for (let k = n; k >= 1; k--) {
    const e = off + (n - k) * DIR_ENTRY_SIZE;
    const part = units.slice((k - 1) * LFN_CHARS_PER_ENTRY, k * LFN_CHARS_PER_ENTRY);
    buf[e + LDIR_ORD] = k | (k === n ? LAST_LONG_ENTRY : 0);
    for (let i = 0; i < 5; i++) buf.writeUInt16LE(part[i], e + LDIR_NAME1 + 2 * i);
    buf[e + LDIR_ATTR] = ATTR_LONG_NAME;
    buf[e + LDIR_TYPE] = 0;
    buf[e + LDIR_CHKSUM] = sum;
    for (let i = 0; i < 6; i++) buf.writeUInt16LE(part[5 + i], e + LDIR_NAME2 + 2 * i);
    buf.writeUInt16LE(0, e + LDIR_FST_CLUS_LO);
    for (let i = 0; i < 2; i++) buf.writeUInt16LE(part[11 + i], e + LDIR_NAME3 + 2 * i);
  }
  return off + n * DIR_ENTRY_SIZE;
}

/** The volume label as an 11-byte key: upper case, short-name characters and spaces. */
export function labelKey(label: string): ShortKey | undefined {
  const up = label.toUpperCase();
  if (up.length === 0 || up.length > 11 || up.startsWith(' ')) return undefined;
  for (const ch of up) if (!(ch === ' ' || /[A-Z0-9]/.test(ch) || SHORT_EXTRA.has(ch))) return undefined;
  return pad(up, 11);
}
