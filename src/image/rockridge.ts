/**
 * SUSP (IEEE P1281) and RRIP 1.12 (IEEE P1282) system use entries, both ways.
 * Each entry is `sig(2) len(1) version(1) data`.
 */
import { readBoth32, readRecordDate, writeBoth32, writeRecordDate } from './bytes.js';

/** SUSP 4.1: an entry's header: signature (2 bytes), length (1), version (1); its data follows. */
export const SUSP = { sig: 0, length: 2, version: 3, data: 4 } as const;
/** SUSP 5.3: SP data: the check bytes 0xBE 0xEF, then the bytes to skip in every later area. */
export const SP = { check: 0, checkBytes: [0xbe, 0xef], skip: 2, dataLength: 3 } as const;
/** SUSP 5.1: CE data, both-endian 32-bit: the area's block, offset and length. */
export const CE = { block: 0, offset: 8, length: 16, dataLength: 24 } as const;
/** RRIP 4.1.1: PX data, both-endian 32-bit: mode, links, uid, gid (RRIP 1.10 ends here), serial (1.12). */
export const PX = { mode: 0, nlink: 8, uid: 16, gid: 24, serial: 32, minData: 32, dataLength: 40 } as const;
/** RRIP 4.1.4: NM data: flags, then the name's bytes. */
export const NM = { flags: 0, name: 1, CONTINUE: 1, CURRENT: 2, PARENT: 4 } as const;
/** RRIP 4.1.5.1: CL data: the block of the relocated directory (both-endian 32-bit). */
export const CL = { location: 0, dataLength: 8 } as const;

export interface SuspEntry {
  sig: string;
  version: number;
  data: Buffer;
}

function entry(sig: string, data: Buffer, version = 1): Buffer {
  const len = SUSP.data + data.length;
  if (len > 255) throw new RangeError(`${sig} entry of ${len} bytes`);
  const b = Buffer.alloc(len);
  header(b, 0, sig, len, version);
  data.copy(b, SUSP.data);
  return b;
}

/** SUSP 5.3: SP, first entry of the root's "." record; skip length 0. */
export function encodeSP(): Buffer {
  return entry('SP', Buffer.from([...SP.checkBytes, 0]));
}

export const RRIP_1_12 = {
  id: 'IEEE_1282',
  descriptor: 'THE IEEE 1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS.',
  source: 'PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, USA FOR THE 1282 SPECIFICATION.'
} as const;

/** SUSP 5.5: ER, extension reference. */
export function encodeER(ext: { id: string; descriptor: string; source: string } = RRIP_1_12): Buffer {
  const id = Buffer.from(ext.id, 'latin1');
  const des = Buffer.from(ext.descriptor, 'latin1');
  const src = Buffer.from(ext.source, 'latin1');
  return entry('ER', Buffer.concat([Buffer.from([id.length, des.length, src.length, 1]), id, des, src]));
}

/** An entry's header written in place: `sig(2) len(1) version(1)`. */
function header(b: Buffer, off: number, sig: string, len: number, version = 1): void {
  b.write(sig, off + SUSP.sig, 'latin1');
  b[off + SUSP.length] = len;
  b[off + SUSP.version] = version;
}

/** SUSP 5.1: CE, continuation area (block, offset, length). */
export function encodeCE(block: number, offset: number, length: number): Buffer {
  const d = Buffer.alloc(CE.dataLength);
  writeBoth32(d, CE.block, block);
  writeBoth32(d, CE.offset, offset);
  writeBoth32(d, CE.length, length);
  return entry('CE', d);
}
export const CE_LENGTH = SUSP.data + CE.dataLength;

/** RRIP 4.1.1: PX, POSIX attributes (1.12 form with serial number: 44 bytes). */
export function encodePX(mode: number, nlink: number, uid: number, gid: number, serial: number): Buffer {
  const b = Buffer.alloc(PX_LENGTH);
  writePX(b, 0, mode, nlink, uid, gid, serial);
  return b;
}
export const PX_LENGTH = SUSP.data + PX.dataLength;

/** encodePX's bytes written at `off` of `b`; returns the offset after them. */
export function writePX(
  b: Buffer,
  off: number,
  mode: number,
  nlink: number,
  uid: number,
  gid: number,
  serial: number
): number {
  header(b, off, 'PX', PX_LENGTH);
  const d = off + SUSP.data;
  writeBoth32(b, d + PX.mode, mode);
  writeBoth32(b, d + PX.nlink, nlink);
  writeBoth32(b, d + PX.uid, uid);
  writeBoth32(b, d + PX.gid, gid);
  writeBoth32(b, d + PX.serial, serial);
  return off + PX_LENGTH;
}

// RRIP 4.1.6 TF flags
export const TF_CREATION = 1;
export const TF_MODIFY = 2;
export const TF_ACCESS = 4;
export const TF_ATTRIBUTES = 8;

/** RRIP 4.1.6: TF with modify, access and attribute-change times, 7-byte form (26 bytes). */
export function encodeTF(time: number): Buffer {
  const b = Buffer.alloc(TF_LENGTH);
  writeTF(b, 0, time);
  return b;
}
export const TF_LENGTH = 26;

/** encodeTF's bytes written at `off` of `b`; returns the offset after them. */
export function writeTF(b: Buffer, off: number, time: number): number {
  header(b, off, 'TF', TF_LENGTH);
  b[off + 4] = TF_MODIFY | TF_ACCESS | TF_ATTRIBUTES;
  for (let i = 0; i < 3; i++) writeRecordDate(b, off + 5 + 7 * i, time);
  return off + TF_LENGTH;
}

/** Most bytes of a name that one NM entry holds. */
export const NM_MAX_NAME = 250;

/** RRIP 4.1.4: NM, split over several entries when the name exceeds one (250 bytes each). */
export function encodeNM(name: string): Buffer[] {
  const bytes = Buffer.from(name, 'utf8');
  const out: Buffer[] = [];
  const max = NM_MAX_NAME;
  for (let off = 0; off < bytes.length || out.length === 0; off += max) {
    const part = bytes.subarray(off, off + max);
    const more = off + max < bytes.length;
    out.push(entry('NM', Buffer.concat([Buffer.from([more ? NM.CONTINUE : 0]), part])));
  }
  return out;
}

/**
 * encodeNM's bytes for a name that fits one entry (`nameBytes`, its UTF-8 length, at most
 * NM_MAX_NAME), written at `off` of `b`; returns the offset after them.
 */
export function writeNM(b: Buffer, off: number, name: string, nameBytes: number): number {
  const len = SUSP.data + NM.name + nameBytes;
  header(b, off, 'NM', len);
  b[off + SUSP.data + NM.flags] = 0;
  b.write(name, off + SUSP.data + NM.name, nameBytes, 'utf8');
  return off + len;
}

// RRIP 4.1.3.1 SL component flags
export const SLC_CONTINUE = 1;
export const SLC_CURRENT = 2;
export const SLC_PARENT = 4;
export const SLC_ROOT = 8;

/**
 * RRIP 4.1.3: SL, a symbolic link target as components. Components longer than 248 bytes and
 * entries longer than 255 bytes are split with the CONTINUE flags.
 */
export function encodeSL(target: string): Buffer[] {
  // components: [flags, bytes]
  const comps: { flags: number; bytes: Buffer }[] = [];
  let rest = target;
  if (rest.startsWith('/')) {
    comps.push({ flags: SLC_ROOT, bytes: Buffer.alloc(0) });
    rest = rest.replace(/^\/+/, '');
  }
  const parts = rest.length === 0 ? [] : rest.split('/');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === '' && i === parts.length - 1) break; // trailing slash
    if (p === '.') comps.push({ flags: SLC_CURRENT, bytes: Buffer.alloc(0) });
    else if (p === '..') comps.push({ flags: SLC_PARENT, bytes: Buffer.alloc(0) });
    else {
      const bytes = Buffer.from(p, 'utf8');
      const max = 248;
      for (let off = 0; off < bytes.length || off === 0; off += max) {
        const more = off + max < bytes.length;
        comps.push({ flags: more ? SLC_CONTINUE : 0, bytes: bytes.subarray(off, off + max) });
        if (bytes.length === 0) break;
      }
    }
  }
  // Pack components into SL entries of at most 250 data bytes. When an entry fills up, the
  // component that overflows is split across the two entries with the component CONTINUE flag, so
  // that readers which join entries without a separator (libarchive) and readers which add one
  // unless the last component continues (Linux) both rebuild the same target.
  const maxData = 255 - 5; // header 4 + SL flags 1
  const entries: { flags: number; bytes: Buffer }[][] = [[]];
  let used = 0;
  const room = () => maxData - used;
  const push = (c: { flags: number; bytes: Buffer }) => {
    entries[entries.length - 1].push(c);
    used += 2 + c.bytes.length;
  };
  const next = () => {
    entries.push([]);
    used = 0;
  };
  for (const c of comps) {
    if (2 + c.bytes.length <= room()) {
      push(c);
      continue;
    }
    if (c.bytes.length > 0 && room() >= 3) {
      const k = room() - 2;
      push({ flags: c.flags | SLC_CONTINUE, bytes: c.bytes.subarray(0, k) });
      next();
      push({ flags: c.flags, bytes: c.bytes.subarray(k) });
      continue;
    }
    // a special component (., .., /) or no room left: move the last byte of the previous text
    // component over, so the break still falls inside a component
    const cur = entries[entries.length - 1];
    const last = cur[cur.length - 1];
    if (last && last.bytes.length >= 2 && !(last.flags & SLC_CONTINUE)) {
      cur[cur.length - 1] = {
        flags: last.flags | SLC_CONTINUE,
        bytes: last.bytes.subarray(0, last.bytes.length - 1)
      };
      next();
      push({ flags: last.flags, bytes: last.bytes.subarray(last.bytes.length - 1) });
    } else next();
    push(c);
  }
  return entries.map((list, i) =>
    entry(
      'SL',
      Buffer.concat([
        Buffer.from([i < entries.length - 1 ? 1 : 0]),
        ...list.map(c => Buffer.concat([Buffer.from([c.flags, c.bytes.length]), c.bytes]))
      ])
    )
  );
}

/** A signature's two bytes as one number (SUSP 4.1), to compare an entry's in place. */
export function suspSignature(sig: string): number {
  return (sig.charCodeAt(0) << 8) | sig.charCodeAt(1);
}

/** The signatures the reader acts on, as suspSignature numbers. */
export const SIG = {
  CE: suspSignature('CE'),
  CL: suspSignature('CL'),
  NM: suspSignature('NM'),
  PX: suspSignature('PX'),
  RE: suspSignature('RE'),
  SL: suspSignature('SL'),
  SP: suspSignature('SP'),
  ST: suspSignature('ST'),
  TF: suspSignature('TF')
} as const;

/** The signature of the entry at `off` of `b`, as suspSignature makes it. */
export function sigAt(b: Buffer, off: number): number {
  return (b[off + SUSP.sig] << 8) | b[off + SUSP.sig + 1];
}

/**
 * The length of the SUSP entry at `off` of an area of `b` that ends at `end`; 0 where the area
 * stops: ST (SUSP 5.4), padding, or a length that is too short or runs past the area.
 */
export function suspEntryLength(b: Buffer, off: number, end: number): number {
  if (off + SUSP.data > end) return 0;
  const len = b[off + SUSP.length];
  if (len < SUSP.data || off + len > end || sigAt(b, off) === SIG.ST) return 0;
  return len;
}

/** Parse a system use area into entries; stops at ST, padding, or malformed lengths. */
export function parseSusp(area: Buffer, skip = 0): SuspEntry[] {
  const out: SuspEntry[] = [];
  for (let off = skip, len: number; (len = suspEntryLength(area, off, area.length)) > 0; off += len) {
    const sig = area.toString('latin1', off + SUSP.sig, off + SUSP.sig + 2);
    out.push({ sig, version: area[off + SUSP.version], data: area.subarray(off + SUSP.data, off + len) });
  }
  return out;
}

/*
 * The decoders below read an entry's data in place, [d, end) of `b` (d: the data's first byte, end:
 * the entry's end), so that the tree walk allocates nothing per entry; each one's Buffer form
 * (decodeCE(data) …) is the same decoder over a whole buffer.
 */

/** A CE entry's data; undefined when it is too short to be one. */
export function decodeCEAt(
  b: Buffer,
  d: number,
  end: number
): { block: number; offset: number; length: number } | undefined {
  if (end - d < CE.dataLength) return undefined;
  return {
    block: readBoth32(b, d + CE.block),
    offset: readBoth32(b, d + CE.offset),
    length: readBoth32(b, d + CE.length)
  };
}

export function decodeCE(d: Buffer): { block: number; offset: number; length: number } | undefined {
  return decodeCEAt(d, 0, d.length);
}

/**
 * SUSP 5.3: the bytes to skip in every system use area after the root's "." one, when its area
 * ([start, end) of `b`) begins with SP and its check bytes; else undefined (no SUSP).
 */
export function spSkipAt(b: Buffer, start: number, end: number): number | undefined {
  const d = start + SUSP.data;
  if (end - start < SUSP.data + SP.dataLength || sigAt(b, start) !== SIG.SP) return undefined;
  if (b[d + SP.check] !== SP.checkBytes[0] || b[d + SP.check + 1] !== SP.checkBytes[1]) return undefined;
  return b[d + SP.skip];
}

/** spSkipAt of a whole area (that record's system use). */
export function spSkip(area: Buffer): number | undefined {
  return spSkipAt(area, 0, area.length);
}

/** Where an NM entry's part of the name starts (it ends with the entry), or -1 for a "." or ".." NM (or one without flags). */
export function nmPartAt(b: Buffer, d: number, end: number): number {
  if (end - d <= NM.flags || b[d + NM.flags] & (NM.CURRENT | NM.PARENT)) return -1;
  return d + NM.name;
}

/** An NM entry's part of the name, or undefined for a "." or ".." NM (or one without flags). */
export function decodeNM(d: Buffer): Buffer | undefined {
  const at = nmPartAt(d, 0, d.length);
  return at < 0 ? undefined : d.subarray(at);
}

/** A CL entry's directory block; undefined when it is too short to be one. */
export function decodeCLAt(b: Buffer, d: number, end: number): number | undefined {
  return end - d >= CL.dataLength ? b.readUInt32LE(d + CL.location) : undefined;
}

export function decodeCL(d: Buffer): number | undefined {
  return decodeCLAt(d, 0, d.length);
}

/** RRIP 4.1.1: what a PX entry says (`serial` in the 1.12 form only). */
export interface PxFields {
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  serial?: number;
}

/** A PX entry's data (RRIP 1.10 or 1.12) into `out`; false (`out` untouched) when it is too short to be one. */
export function decodePXAt(b: Buffer, d: number, end: number, out: PxFields): boolean {
  if (end - d < PX.minData) return false;
  out.mode = readBoth32(b, d + PX.mode);
  out.nlink = readBoth32(b, d + PX.nlink);
  out.uid = readBoth32(b, d + PX.uid);
  out.gid = readBoth32(b, d + PX.gid);
  out.serial = end - d >= PX.dataLength ? readBoth32(b, d + PX.serial) : undefined;
  return true;
}

/** A PX entry's data (RRIP 1.10 or 1.12); undefined when it is too short to be one. */
export function decodePX(d: Buffer): PxFields | undefined {
  const px: PxFields = { mode: 0, nlink: 0, uid: 0, gid: 0, serial: undefined };
  return decodePXAt(d, 0, d.length, px) ? px : undefined;
}

/** A TF entry's modify time (seconds), when present in the short form. */
export function tfModifyAt(b: Buffer, d: number, end: number): number | undefined {
  const flags = d < end ? b[d] : 0;
  if (flags & 0x80) return undefined; // long form: not produced by us; ignored
  let off = d + 1;
  for (const bit of TF_ORDER) {
    if (flags & bit) {
      if (off + 7 > end) return undefined;
      if (bit === TF_MODIFY) return readRecordDate(b, off);
      off += 7;
    }
  }
  return undefined;
}

/** RRIP 4.1.6: the order of TF's time stamps. */
const TF_ORDER = [TF_CREATION, TF_MODIFY, TF_ACCESS, TF_ATTRIBUTES] as const;

/** Returns the modify time (seconds) when present. */
export function decodeTF(d: Buffer): { modify?: number } {
  const modify = tfModifyAt(d, 0, d.length);
  return modify === undefined ? {} : { modify };
}

/** Accumulates an SL entry's components (its data in place) into a target; true when the target continues in the next SL (its CONTINUE flag). */
export function decodeSLAt(
  b: Buffer,
  d: number,
  end: number,
  state: { parts: string[]; partial: string }
): boolean {
  let off = d + 1;
  while (off + 2 <= end) {
    const f = b[off];
    const len = b[off + 1];
    if (off + 2 + len > end) break;
    let comp: string;
    if (f & SLC_ROOT) comp = '';
    else if (f & SLC_CURRENT) comp = '.';
    else if (f & SLC_PARENT) comp = '..';
    else comp = b.toString('utf8', off + 2, off + 2 + len);
    state.partial += comp;
    if (!(f & SLC_CONTINUE)) {
      state.parts.push(state.partial);
      state.partial = '';
    }
    off += 2 + len;
  }
  return d < end && (b[d] & 1) === 1;
}

/** Accumulates SL entries into a target; returns the text so far. */
export function decodeSLComponents(d: Buffer, state: { parts: string[]; partial: string }): boolean {
  return decodeSLAt(d, 0, d.length, state);
}

export function slTarget(parts: string[]): string {
  if (parts.length > 0 && parts[0] === '') return '/' + parts.slice(1).join('/');
  return parts.join('/');
}
