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

/** Parse a system use area into entries; stops at ST, padding, or malformed lengths. */
export function parseSusp(area: Buffer, skip = 0): SuspEntry[] {
  const out: SuspEntry[] = [];
  let off = skip;
  while (off + SUSP.data <= area.length) {
    const len = area[off + SUSP.length];
    if (len < SUSP.data || off + len > area.length) break;
    const sig = area.toString('latin1', off + SUSP.sig, off + SUSP.sig + 2);
    if (sig === 'ST') break;
    out.push({ sig, version: area[off + SUSP.version], data: area.subarray(off + SUSP.data, off + len) });
    off += len;
  }
  return out;
}

/** A CE entry's data; undefined when it is too short to be one. */
export function decodeCE(d: Buffer): { block: number; offset: number; length: number } | undefined {
  if (d.length < CE.dataLength) return undefined;
  return {
    block: readBoth32(d, CE.block),
    offset: readBoth32(d, CE.offset),
    length: readBoth32(d, CE.length)
  };
}

/**
 * SUSP 5.3: the bytes to skip in every system use area after the root's "." one, when `area`
 * (that record's system use) begins with SP and its check bytes; else undefined (no SUSP).
 */
export function spSkip(area: Buffer): number | undefined {
  const d = SUSP.data;
  if (area.length < d + SP.dataLength || area.toString('latin1', SUSP.sig, SUSP.sig + 2) !== 'SP')
    return undefined;
  if (area[d + SP.check] !== SP.checkBytes[0] || area[d + SP.check + 1] !== SP.checkBytes[1])
    return undefined;
  return area[d + SP.skip];
}

/** An NM entry's part of the name, or undefined for a "." or ".." NM (or one without flags). */
export function decodeNM(d: Buffer): Buffer | undefined {
  if (d.length <= NM.flags || d[NM.flags] & (NM.CURRENT | NM.PARENT)) return undefined;
  return d.subarray(NM.name);
}

/** A CL entry's directory block; undefined when it is too short to be one. */
export function decodeCL(d: Buffer): number | undefined {
  return d.length >= CL.dataLength ? d.readUInt32LE(CL.location) : undefined;
}

/** A PX entry's data (RRIP 1.10 or 1.12); undefined when it is too short to be one. */
export function decodePX(d: Buffer):
  | {
      mode: number;
      nlink: number;
      uid: number;
      gid: number;
      serial?: number;
    }
  | undefined {
  if (d.length < PX.minData) return undefined;
  return {
    mode: readBoth32(d, PX.mode),
    nlink: readBoth32(d, PX.nlink),
    uid: readBoth32(d, PX.uid),
    gid: readBoth32(d, PX.gid),
    serial: d.length >= PX.dataLength ? readBoth32(d, PX.serial) : undefined
  };
}

/** Returns the modify time (seconds) when present. */
export function decodeTF(d: Buffer): { modify?: number } {
  const flags = d[0];
  if (flags & 0x80) return {}; // long form: not produced by us; ignored
  let off = 1;
  const res: { modify?: number } = {};
  for (const bit of [TF_CREATION, TF_MODIFY, TF_ACCESS, TF_ATTRIBUTES]) {
    if (flags & bit) {
      if (off + 7 > d.length) break;
      if (bit === TF_MODIFY) res.modify = readRecordDate(d, off);
      off += 7;
    }
  }
  return res;
}

/** Accumulates SL entries into a target; returns the text so far. */
export function decodeSLComponents(d: Buffer, state: { parts: string[]; partial: string }): boolean {
  let off = 1;
  while (off + 2 <= d.length) {
    const f = d[off];
    const len = d[off + 1];
    if (off + 2 + len > d.length) break;
    const text = d.toString('utf8', off + 2, off + 2 + len);
    let comp: string;
    if (f & SLC_ROOT) comp = '';
    else if (f & SLC_CURRENT) comp = '.';
    else if (f & SLC_PARENT) comp = '..';
    else comp = text;
    state.partial += comp;
    if (!(f & SLC_CONTINUE)) {
      state.parts.push(state.partial);
      state.partial = '';
    }
    off += 2 + len;
  }
  return (d[0] & 1) === 1;
}

export function slTarget(parts: string[]): string {
  if (parts.length > 0 && parts[0] === '') return '/' + parts.slice(1).join('/');
  return parts.join('/');
}
