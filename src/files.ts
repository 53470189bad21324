/**
 * Small files a user names (an MBR template, keys, signatures, manifests, checksum files) and the
 * boot images isoforge patches are read whole, so each is read with a bound that fits its kind:
 * a device (`/dev/zero`) or a FIFO would otherwise be read until memory runs out, or block the
 * open forever. The path is opened with O_NONBLOCK (a FIFO with no writer then opens at once),
 * checked with fstat to be a regular file, and read up to its limit.
 */
import { constants, promises as fs } from 'node:fs';
import { IsoforgeError, fsError } from './errors.js';
import { formatLimit } from './format.js';
import { notRegular } from './image/targets.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/** The most isoforge reads of each kind of small file, and why. */
export const LIMITS = {
  /** the ISO 9660 system area is 16 sectors of 2048 bytes (ECMA-119 6.2.1); 432 bytes are used */
  mbrTemplate: 32 * KIB,
  /** El Torito's sector count is 16 bits of 512-byte sectors: 65535 × 512 bytes is all it loads */
  patchedBootImage: 32 * MIB,
  /** a few armored keys with their certifications; far above any real key, below a flooded one */
  openPgpKey: 1 * MIB,
  /** minisign.h: two lines, an untrusted comment and 56 base64 characters */
  minisignKey: 16 * KIB,
  /** a detached OpenPGP or minisign signature is a few hundred bytes; room for many and comments */
  signature: 1 * MIB,
  /** about 500,000 entries of ~250 bytes; JSON.parse needs several times this in memory */
  manifest: 128 * MIB,
  /** about 100,000 lines of a SHA512SUMS file */
  checksumFile: 16 * MIB
} as const;

export interface SmallFileOptions {
  /** bytes; LIMITS holds one for each kind */
  limit: number;
  /** what the file is, as the message names it: `--mbr-template`, `cannot read` */
  what: string;
  /** what the limit is for, e.g. `an MBR template`; shown with the limit */
  kind: string;
}

/** O_NONBLOCK where the platform has it (not on Windows, where no open of a file blocks). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Open `path` for reading without blocking on a FIFO, and check that it is a regular file of at
 * most `opts.limit` bytes (when given). The caller closes the handle.
 */
export async function openRegularFile(
  path: string,
  opts: Partial<SmallFileOptions> & { what: string }
): Promise<{ handle: fs.FileHandle; size: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw refuse(path, opts, 'a directory');
    throw fsError(e, path, opts.what);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse(path, opts, `${notRegular(st) ?? 'a special file'}, not a regular file`);
    if (opts.limit !== undefined && st.size > opts.limit) throw refuse(path, opts, `${st.size} bytes`);
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw fsError(e, path, opts.what);
  }
}

function refuse(path: string, opts: Partial<SmallFileOptions> & { what: string }, why: string) {
  const bound =
    opts.limit === undefined
      ? ''
      : `; ${opts.kind ?? 'it'} is read whole, at most ${formatLimit(opts.limit)}`;
  return new IsoforgeError(`${opts.what} ${path}: ${why}${bound}`, { subject: path });
}

/**
 * The whole of a small regular file, at most `opts.limit` bytes. A file whose size changes between
 * the fstat and the read is refused (the read asks for one byte more than fstat said), so a file
 * growing past its limit is never read beyond it.
 */
export async function readSmallFile(path: string, opts: SmallFileOptions): Promise<Buffer> {
  const { handle, size } = await openRegularFile(path, opts);
  try {
    const buf = Buffer.alloc(Math.min(size, opts.limit) + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got !== size)
      throw refuse(
        path,
        opts,
        `changed size while being read (${size} bytes, then ${got > size ? 'more' : got})`
      );
    return buf.subarray(0, got);
  } catch (e) {
    throw fsError(e, path, opts.what);
  } finally {
    await handle.close();
  }
}

/** readSmallFile as UTF-8 text. */
export async function readSmallText(path: string, opts: SmallFileOptions): Promise<string> {
  return (await readSmallFile(path, opts)).toString('utf8');
}
