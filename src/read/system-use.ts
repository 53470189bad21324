/**
 * A directory record's system use (SUSP, IEEE P1281) as the tree walk needs it: its areas (the
 * record's own and its CE continuation areas, SUSP 5.1, bounded) and what their Rock Ridge entries
 * (RRIP 1.12) say, decoded in place. One reader and one result object serve every record of a tree:
 * no entry, subarray or decoded object is made per record, which was most of the walk's garbage.
 */
import { SECTOR } from '../image/bytes.js';
import {
  SIG,
  SUSP,
  decodeCEAt,
  decodeCLAt,
  decodePXAt,
  decodeSLAt,
  nmPartAt,
  sigAt,
  slTarget,
  suspEntryLength,
  tfModifyAt,
  type PxFields
} from '../image/rockridge.js';
import type { ImageSource } from './source.js';

/** The bounds system use areas are read within (the tree's LIMITS). */
export interface SuspLimits {
  /** bytes of one name (NM pieces joined) or symlink target */
  name: number;
  /** CE continuation areas followed for one record */
  ceHops: number;
  /** SUSP bytes of one record including its continuation areas */
  suspBytes: number;
}

/** What one record's Rock Ridge entries say (the last of each kind, as RRIP readers take them). */
export interface RecordAttrs {
  /** RRIP 4.1.5.3: RE, a relocated directory (shown where its CL is) */
  relocatedHere: boolean;
  /** PX mode and, when PX counts more than one link, the count and serial */
  mode: number | undefined;
  links: { count: number; serial?: number } | undefined;
  /** TF's modify time */
  mtime: number | undefined;
  /** NM's name (the pieces joined), when there is one */
  name: string | undefined;
  /** SL's target, when there is an SL */
  target: string | undefined;
  /** CL: the relocated directory's block */
  relocated: number | undefined;
}

export class SystemUseReader {
  /** SUSP 5.3: bytes to skip in every area but the root "." record's (SP) */
  skip = 0;
  readonly attrs: RecordAttrs = {
    relocatedHere: false,
    mode: undefined,
    links: undefined,
    mtime: undefined,
    name: undefined,
    target: undefined,
    relocated: undefined
  };
  /** the areas of the record read last: [areaStart[i], areaEnd[i]) of areaBuf[i] */
  private readonly areaBuf: Buffer[] = [];
  private readonly areaStart: number[] = [];
  private readonly areaEnd: number[] = [];
  private readonly px: PxFields = { mode: 0, nlink: 0, uid: 0, gid: 0, serial: undefined };
  /** the NM pieces of the record read now: how many, their bytes, the first in place, all when more */
  private readonly nm = {
    count: 0,
    bytes: 0,
    first: Buffer.alloc(0) as Buffer,
    from: 0,
    to: 0,
    parts: undefined as Buffer[] | undefined
  };

  constructor(
    private readonly src: ImageSource,
    private readonly limits: SuspLimits,
    private readonly label: string,
    /** counts `bytes` of continuation areas against the image's budget (throws past it) */
    private readonly charge: (bytes: number, where: string) => void
  ) {}

  /**
   * Decode the Rock Ridge entries of the system use area [start, end) of `buf` and of its
   * continuation areas into `attrs` (the same object each time). The continuation chain is followed
   * whole before any entry is decoded (its bounds are checked first). `where` names the record's
   * directory in an error.
   */
  read(buf: Buffer, start: number, end: number, dirExtent: number, where: () => string): RecordAttrs {
    return this.decode(this.areas(buf, start, end, dirExtent, false), where, false);
  }

  /** The PX mode of the root "." record (its first PX entry), whose area [start, end) of `buf` holds SP. */
  rootMode(buf: Buffer, start: number, end: number, dirExtent: number): number | undefined {
    return this.decode(this.areas(buf, start, end, dirExtent, true), () => '', true).mode;
  }

  /** The entries of the `areas` read last into `attrs`; `rootDot`: its first PX entry alone. */
  private decode(areas: number, where: () => string, rootDot: boolean): RecordAttrs {
    const a = this.attrs;
    a.relocatedHere = false;
    a.mode = a.links = a.mtime = a.name = a.target = a.relocated = undefined;
    const nm = this.nm;
    nm.count = nm.bytes = 0;
    nm.parts = undefined;
    let sl: { parts: string[]; partial: string } | undefined;
    for (let i = 0; i < areas; i++) {
      const b = this.areaBuf[i];
      const areaEnd = this.areaEnd[i];
      for (
        let off = this.areaStart[i], len: number;
        (len = suspEntryLength(b, off, areaEnd)) > 0;
        off += len
      ) {
        const d = off + SUSP.data;
        const e = off + len;
        const sig = sigAt(b, off);
        if (rootDot) {
          if (sig !== SIG.PX) continue;
          if (decodePXAt(b, d, e, this.px)) a.mode = this.px.mode;
          return a;
        }
        switch (sig) {
          case SIG.RE:
            a.relocatedHere = true;
            return a;
          case SIG.NM:
            this.namePart(b, nmPartAt(b, d, e), e, where);
            break;
          case SIG.PX:
            if (decodePXAt(b, d, e, this.px)) {
              a.mode = this.px.mode;
              // one link is no hard link: nothing to keep per file (most files of a big tree)
              a.links = this.px.nlink > 1 ? { count: this.px.nlink, serial: this.px.serial } : undefined;
            }
            break;
          case SIG.TF:
            a.mtime = tfModifyAt(b, d, e) ?? a.mtime;
            break;
          case SIG.SL:
            sl ??= { parts: [], partial: '' };
            decodeSLAt(b, d, e, sl);
            if (sl.parts.join('/').length + sl.partial.length > this.limits.name)
              throw this.src.fail(`${where()}: a symbolic link target longer than ${this.limits.name} bytes`);
            break;
          case SIG.CL:
            a.relocated = decodeCLAt(b, d, e) ?? a.relocated;
            break;
        }
      }
    }
    if (nm.count > 0)
      a.name = nm.parts
        ? Buffer.concat(nm.parts).toString('utf8')
        : nm.first.toString('utf8', nm.from, nm.to);
    if (sl) {
      if (sl.partial) sl.parts.push(sl.partial);
      a.target = slTarget(sl.parts);
    }
    return a;
  }

  /** One NM entry's piece [from, to) of `b` (from < 0: a "." or ".." NM, skipped) added to the name. */
  private namePart(b: Buffer, from: number, to: number, where: () => string): void {
    if (from < 0) return;
    const nm = this.nm;
    nm.bytes += to - from;
    if (nm.bytes > this.limits.name)
      throw this.src.fail(`${where()}: a Rock Ridge name longer than ${this.limits.name} bytes`);
    // most names are one piece, decoded in place; pieces are joined as bytes (UTF-8 may span two)
    if (nm.count++ === 0) {
      nm.first = b;
      nm.from = from;
      nm.to = to;
    } else (nm.parts ??= [nm.first.subarray(nm.from, nm.to)]).push(b.subarray(from, to));
  }

  /** The record's areas into areaBuf/areaStart/areaEnd, following CE (SUSP 5.1), bounded; returns their count. */
  private areas(buf: Buffer, start: number, end: number, dirExtent: number, isRootDot: boolean): number {
    let b = buf;
    let from = Math.min(start + (isRootDot ? 0 : this.skip), end);
    let to = end;
    let total = end - start;
    let seen: Set<string> | undefined;
    for (let hop = 0; ; hop++) {
      this.areaBuf[hop] = b;
      this.areaStart[hop] = from;
      this.areaEnd[hop] = to;
      let ce: { block: number; offset: number; length: number } | undefined;
      for (let off = from, len: number; (len = suspEntryLength(b, off, to)) > 0; off += len)
        if (sigAt(b, off) === SIG.CE) ce = decodeCEAt(b, off + SUSP.data, off + len) ?? ce;
      if (!ce || ce.length === 0) return hop + 1;
      const where = `${this.label} directory at block ${dirExtent}: continuation area at block ${ce.block}`;
      if (hop >= this.limits.ceHops)
        throw this.src.fail(`${where}: more than ${this.limits.ceHops} continuation areas for one record`);
      const key = `${ce.block}:${ce.offset}`;
      seen ??= new Set();
      if (seen.has(key)) throw this.src.fail(`${where}: the continuation chain cycles`);
      seen.add(key);
      total += ce.length;
      if (total > this.limits.suspBytes)
        throw this.src.fail(
          `${where}: more than ${this.limits.suspBytes} bytes of system use for one record`
        );
      if (ce.offset >= SECTOR) throw this.src.fail(`${where}: offset ${ce.offset} is not inside the block`);
      this.charge(ce.length, where);
      b = this.src.readSync(ce.block * SECTOR + ce.offset, ce.length, where);
      from = 0;
      to = b.length;
    }
  }
}
