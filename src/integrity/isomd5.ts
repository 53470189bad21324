/**
 * The implanted MD5 of isomd5sum (rhinstaller/isomd5sum, libimplantisomd5.c / libcheckisomd5.c),
 * which `checkisomd5` and the installers' "test this media" verify:
 * - the text lives in the Application Use field of the PVD at block 16 (ECMA-119 8.4.32, offset
 *   883, 512 bytes), counted as all spaces while summing;
 * - the MD5 covers bytes [0, volume space size × 2048 − 15 × 2048), read in 32 KiB units;
 * - the covered length is cut into FRAGMENT_COUNT + 1 slices; whenever a unit starts in a new
 *   slice, the MD5 so far (that unit included) is finalized in a copy and the first hex digit of
 *   each of its first 3 bytes is appended to the fragment sums.
 * Md5Tap computes all of it from the bytes as they are written (the field is blank then), so
 * implanting needs no extra read; only the image digests must then be recomputed.
 */
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { SECTOR } from '../image/bytes.js';
import { readInOrder } from '../image/output.js';
import type { Tap } from '../image/write.js';
import { PVD, VD_SET_LBA } from '../image/voldesc.js';

/** ECMA-119 8.4: the PVD is the first volume descriptor, block 16 */
const PVD_OFFSET = VD_SET_LBA * SECTOR;
/** ECMA-119 8.4.8: volume space size, the big-endian copy (isomd5sum SIZE_OFFSET) */
const VOLUME_SIZE_BE = PVD.volumeSpaceSize + 4;
/** ECMA-119 8.4.32: Application Use (isomd5sum APPDATA_OFFSET / APPDATA_SIZE) */
const APPDATA_OFFSET = PVD.applicationUse;
const APPDATA_SIZE = PVD.applicationUseLength;
/** isomd5sum: sectors left out at the end (SKIPSECTORS), units (NUM_SYSTEM_SECTORS × 2048) */
const SKIP_SECTORS = 15;
const UNIT = 16 * SECTOR;
const FRAGMENT_COUNT = 20;
const FRAGMENT_DIGITS = 3; // FRAGMENT_SUM_SIZE (60) / FRAGMENT_COUNT
/** bytes needed before the volume size is known: through the PVD's volume-space field */
const HEAD = PVD_OFFSET + VOLUME_SIZE_BE + 4;

export interface IsoMd5 {
  md5: string;
  fragmentSums: string;
  /** bytes covered */
  covered: number;
}

export class Md5Tap implements Tap {
  private readonly hash: Hash = createHash('md5');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** absolute offset of the next byte to go into a unit */
  private offset = 0;
  private total: number | undefined;
  private fragmentSize = 0;
  private previous = 0;
  /** FRAGMENT_COUNT × FRAGMENT_DIGITS characters, by fragment number */
  private readonly sums = Buffer.alloc(FRAGMENT_COUNT * FRAGMENT_DIGITS, '0');
  private head: Buffer[] = [];
  private headBytes = 0;

  update(chunk: Buffer): void {
    if (this.total === undefined) {
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.length;
      if (this.headBytes < HEAD) return;
      const head = Buffer.concat(this.head);
      this.head = [];
      const blocks = head.readUInt32BE(PVD_OFFSET + VOLUME_SIZE_BE);
      this.total = Math.max(0, (blocks - SKIP_SECTORS) * SECTOR);
      this.fragmentSize = Math.floor(this.total / (FRAGMENT_COUNT + 1));
      this.feed(head);
      return;
    }
    this.feed(chunk);
  }

  private feed(chunk: Buffer): void {
    const total = this.total!;
    let off = 0;
    while (off < chunk.length && this.offset + this.pendingBytes < total) {
      const want = Math.min(UNIT - this.pendingBytes, total - this.offset - this.pendingBytes);
      const n = Math.min(want, chunk.length - off);
      const piece = chunk.subarray(off, off + n);
      off += n;
      if (this.pendingBytes === 0 && n === want) {
        this.unit(piece); // a whole unit in this chunk: hashed in place
        continue;
      }
      // a unit split across chunks: copy, the sink reuses its buffers once update() returns
      this.pending.push(Buffer.from(piece));
      this.pendingBytes += n;
      if (n === want) {
        const data = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingBytes = 0;
        this.unit(data);
      }
    }
  }

  /** One read of isomd5sum: `data` starts at this.offset (a view of the sink's buffer: read only). */
  private unit(view: Buffer): void {
    let data = view;
    // the field counts as spaces (libcheckisomd5 clear_appdata); it is blank as written
    const at = PVD_OFFSET + APPDATA_OFFSET - this.offset;
    if (at >= 0 && at < data.length) {
      data = Buffer.from(view);
      data.fill(0x20, at, Math.min(data.length, at + APPDATA_SIZE));
    }
    this.hash.update(data);
    const current = this.fragmentSize > 0 ? Math.floor(this.offset / this.fragmentSize) : 0;
    if (current !== this.previous) {
      const d = this.hash.copy().digest();
      // stored where checkisomd5 looks for fragment n: (n - 1) × 3. implantisomd5 appends them
      // instead, which is the same unless a fragment is shorter than a 32 KiB read (images under
      // ~700 KiB), where its sums skip slots and checkisomd5 then fails its own images.
      for (let i = 0; i < FRAGMENT_DIGITS; i++)
        this.sums[(current - 1) * FRAGMENT_DIGITS + i] = d[i].toString(16).charCodeAt(0);
      this.previous = current;
    }
    this.offset += data.length;
  }

  result(): IsoMd5 {
    if (this.total === undefined) throw new Error('implant-md5: the image is shorter than its PVD');
    if (this.offset < this.total) throw new Error('implant-md5: the image is shorter than its volume size');
    return {
      md5: this.hash.copy().digest('hex'),
      fragmentSums: this.sums.toString('latin1'),
      covered: this.total
    };
  }
}

/** The Application Use text, as implantisomd5 writes it (RHLISOSTATUS=0: not --supported-iso). */
export function isoMd5Field(r: IsoMd5): Buffer {
  const text =
    `ISO MD5SUM = ${r.md5};SKIPSECTORS = ${SKIP_SECTORS};RHLISOSTATUS=0;` +
    `FRAGMENT SUMS = ${r.fragmentSums};FRAGMENT COUNT = ${FRAGMENT_COUNT};` +
    'THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!';
  const field = Buffer.alloc(APPDATA_SIZE, 0x20);
  field.write(text, 'latin1');
  return field;
}

/** What an Application Use field holds of isomd5sum's text (the reader's side of isoMd5Field). */
export interface ImplantedMd5 {
  md5: string;
  skipSectors: number;
  supported: boolean;
}

/** The implanted values in a PVD sector, or undefined when its field holds none. */
export function parseImplantedMd5(pvd: Buffer): ImplantedMd5 | undefined {
  const text = pvd.toString('latin1', APPDATA_OFFSET, APPDATA_OFFSET + APPDATA_SIZE);
  const md5 = /ISO MD5SUM = ([0-9a-fA-F]{32})/.exec(text);
  if (!md5) return undefined;
  const skip = /SKIPSECTORS = (\d{1,6})/.exec(text);
  return {
    md5: md5[1].toLowerCase(),
    skipSectors: skip ? Number(skip[1]) : 0,
    supported: /RHLISOSTATUS=1/.test(text)
  };
}

/**
 * Write the field into the PVD at block 16 only: the copy of the superblock that hybrid images
 * carry at the partition offset keeps a blank field (as after implantisomd5), because each copy's
 * range would cover the other's field.
 */
export async function implantIsoMd5(file: string, r: IsoMd5): Promise<void> {
  const fh = await fs.open(file, 'r+');
  try {
    const field = isoMd5Field(r);
    const { bytesWritten } = await fh.write(field, 0, field.length, PVD_OFFSET + APPDATA_OFFSET);
    if (bytesWritten !== field.length) throw new Error(`${file}: short write`);
  } finally {
    await fh.close();
  }
}

/**
 * Hash a whole file in one sequential read (the second read of implant-md5 mode); `direct`: it
 * was written around the page cache, and is read that way (readInOrder). `onRead`: the bytes
 * hashed so far, after each read.
 */
export async function hashFile(
  file: string,
  taps: readonly Tap[],
  direct = false,
  onRead?: (done: number) => void
): Promise<{ direct: boolean }> {
  let done = 0;
  return readInOrder(
    file,
    data => {
      for (const t of taps) t.update(data);
      done += data.length;
      onRead?.(done);
    },
    { direct }
  );
}
