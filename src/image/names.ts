/**
 * Deterministic names for the ISO 9660 and Joliet namespaces. Rock Ridge NM carries the exact
 * name; these are what readers without Rock Ridge (or Windows, through Joliet) see.
 */

/** ECMA-119 7.5 with level 2/3 rules: name + extension at most 30 d-characters. */
const ISO_FILE_MAX = 30;
/** ECMA-119 7.6.3: directory identifiers at most 31 d-characters. */
const ISO_DIR_MAX = 31;
/** Long Joliet (xorriso -joliet-long): 103 UCS-2 units. */
export const JOLIET_MAX = 103;

function dchars(s: string): string {
  // d-characters: A-Z 0-9 _ (ECMA-119 7.4.1); any other character (code point) becomes one '_'
  return s.toUpperCase().replace(/[^A-Z0-9_]/gu, '_');
}

function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return [name, ''];
  return [name.slice(0, dot), name.slice(dot + 1)];
}

/** Candidate ISO identifier (without ";1") before collision handling. */
function isoBase(name: string, isDir: boolean): { base: string; ext: string } {
  if (isDir) return { base: dchars(name).slice(0, ISO_DIR_MAX) || '_', ext: '' };
  const [b, e] = splitExt(name);
  let ext = dchars(e).slice(0, 10);
  let base = dchars(b);
  if (base === '' && ext === '') base = '_';
  base = base.slice(0, ISO_FILE_MAX - ext.length);
  if (base === '' && ext === '') ext = '_';
  return { base, ext };
}

/** The identifier without its version: what must be unique among the records of one directory. */
function isoKey(base: string, ext: string, isDir: boolean): string {
  return isDir ? base : `${base}.${ext}`;
}

/** Colliding identifiers are numbered with up to this many decimal digits (10^7 - 1 of one name). */
const MAX_DIGITS = 7;

/**
 * The identifiers (without version) for one group of colliding candidates: each gets a number of
 * `digits` digits at the end of its name part (before the extension), the name cut to make room
 * within the level's length (ECMA-119 7.5.2, 7.6.3), skipping numbers whose identifier is
 * `taken`; with more digits when one width is not enough. Digits are d-characters (7.4.1).
 */
function numberGroup(
  base: string,
  ext: string,
  isDir: boolean,
  count: number,
  taken: ReadonlySet<string>
): string[] {
  for (let digits = 1; digits <= MAX_DIGITS; digits++) {
    const room = (isDir ? ISO_DIR_MAX : ISO_FILE_MAX - ext.length) - digits;
    const stem = base.slice(0, room);
    const got: string[] = [];
    for (let n = 0; got.length < count && n < 10 ** digits; n++) {
      const key = isoKey(stem + String(n).padStart(digits, '0'), ext, isDir);
      if (!taken.has(key)) got.push(key);
    }
    if (got.length === count) return got;
  }
  throw new RangeError(`more than ${10 ** MAX_DIGITS - 1} names in one directory are ${base}`);
}

/**
 * Assign ISO 9660 identifiers to the children of one directory. `entries` must be in a
 * deterministic order (sorted). Names whose identifiers collide are all numbered, in that order,
 * with d-characters only (as libisofs/xorriso do): `Case.txt`, `case.TXT` → `CASE0.TXT;1`,
 * `CASE1.TXT;1`; a number already used by another child's identifier is skipped.
 */
export function assignIsoNames(entries: readonly { name: string; isDir: boolean }[]): string[] {
  const parts = entries.map(e => isoBase(e.name, e.isDir));
  const keys = parts.map((p, i) => isoKey(p.base, p.ext, entries[i].isDir));
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const taken = new Set(keys);
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const { base, ext } = parts[members[0]];
    const isDir = entries[members[0]].isDir;
    const renamed = numberGroup(base, ext, isDir, members.length, taken);
    members.forEach((m, j) => {
      keys[m] = renamed[j];
      taken.add(renamed[j]);
    });
  }
  return keys.map((k, i) => (entries[i].isDir ? k : `${k};1`));
}

/**
 * UTF-16 code units of a name, with characters Windows cannot hold in a name replaced (the Joliet
 * spec 3.3.1 also lists `;`, but it is legal in Windows names and Windows and 7-Zip show it, so it is
 * kept: `a;b.txt` reads back as itself).
 */
function jolietUnits(name: string): string {
  // String in JS is UTF-16 already: astral characters are surrogate pairs, which Windows reads.
  return name.replace(/[\x00-\x1f*/:?\\"<>|]/g, '_');
}

/** Whether a name is longer than a Joliet identifier can be, so its Joliet name is cut. */
export function jolietCuts(name: string): boolean {
  return jolietUnits(name).length > JOLIET_MAX;
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return s.slice(0, cut);
}

function jolietShorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const [b, e] = splitExt(name);
  if (e && e.length + 1 < max / 2) return cutUnits(b, max - e.length - 1) + '.' + e;
  return cutUnits(name, max);
}

/** Assign Joliet names (as JS strings of UTF-16 units) to the children of one directory. */
export function assignJolietNames(entries: readonly { name: string; isDir: boolean }[]): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  for (const e of entries) {
    const clean = jolietUnits(e.name);
    let id = jolietShorten(clean, JOLIET_MAX);
    for (let n = 1; used.has(id); n++) {
      const suffix = `~${n}`;
      const [b, ext] = e.isDir ? [clean, ''] : splitExt(clean);
      const room = JOLIET_MAX - suffix.length - (ext ? ext.length + 1 : 0);
      id =
        ext && room > 0
          ? `${cutUnits(b, room)}${suffix}.${ext}`
          : cutUnits(clean, JOLIET_MAX - suffix.length) + suffix;
    }
    used.add(id);
    out.push(id);
  }
  return out;
}

/** ECMA-119 9.3: order of records — by name, then extension, padded with spaces; then version. */
export function compareIsoIds(a: Buffer, b: Buffer): number {
  return compareIsoIdText(a.toString('latin1'), b.toString('latin1'));
}

/** compareIsoIds for identifiers as text, one character a byte (latin1), as assignIsoNames gives them. */
export function compareIsoIdText(a: string, b: string): number {
  const pa = idParts(a);
  const pb = idParts(b);
  return (
    padCmp(a, 0, pa.nameEnd, b, 0, pb.nameEnd) ||
    padCmp(a, pa.extStart, pa.extEnd, b, pb.extStart, pb.extEnd) ||
    padCmp(b, pb.verStart, b.length, a, pa.verStart, a.length) // higher version first
  );
}

/** An identifier's parts: name [0, nameEnd), extension [extStart, extEnd), version [verStart, end). */
function idParts(s: string): { nameEnd: number; extStart: number; extEnd: number; verStart: number } {
  const semi = s.lastIndexOf(';');
  const body = semi >= 0 ? semi : s.length;
  const verStart = semi >= 0 ? semi + 1 : s.length;
  const dot = s.indexOf('.');
  if (dot >= 0 && dot < body) return { nameEnd: dot, extStart: dot + 1, extEnd: body, verStart };
  return { nameEnd: body, extStart: body, extEnd: body, verStart };
}

/** Compare x[xs, xe) with y[ys, ye) byte by byte, the shorter padded with spaces. */
function padCmp(x: string, xs: number, xe: number, y: string, ys: number, ye: number): number {
  const xl = Math.max(0, xe - xs);
  const yl = Math.max(0, ye - ys);
  const n = Math.max(xl, yl);
  for (let i = 0; i < n; i++) {
    const cx = i < xl ? x.charCodeAt(xs + i) & 0xff : 0x20;
    const cy = i < yl ? y.charCodeAt(ys + i) & 0xff : 0x20;
    if (cx !== cy) return cx - cy;
  }
  return 0;
}
