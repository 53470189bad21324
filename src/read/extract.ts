/**
 * `extract`: an image's tree (or chosen paths) written under a folder, as a careful tar does it.
 *
 * - Names: Rock Ridge, else Joliet, else plain ISO 9660 (`;1` and a trailing `.` dropped).
 * - Nothing is created outside the output folder: every entry is planned and checked first
 *   (extract-plan.ts: names, collisions, `..`), then every target is looked at with lstat before
 *   the first byte is written; folders are made one component at a time, files are created with
 *   O_EXCL|O_NOFOLLOW, and no symbolic link is ever followed, whether the extract made it or
 *   found it in the folder. A refused entry or an existing file (without `overwrite`) stops the
 *   extract before anything is written; an I/O failure later (a full disk) leaves what was
 *   written, as tar does. Only the output folder itself may be a link (the user's own path).
 *   Node has no openat(2): another process swapping a folder inside the output folder for a link
 *   while the extract runs is not guarded against (the last component is: O_NOFOLLOW, lstat).
 * - `overwrite`: an existing file or symbolic link in an entry's place is removed (never written
 *   through) and the entry made anew; a folder in a file's place is never removed.
 * - The output folder's own mode and date are left alone. A Rock Ridge device, FIFO or socket is
 *   written as an empty regular file (nothing is made with mknod).
 * - Modes: Rock Ridge's permission bits; setuid, setgid and sticky are dropped (said once). With
 *   no Rock Ridge, 0644 for files and 0755 for folders. Dates: each entry's modification time,
 *   set after its content; folders' modes and dates last, deepest first.
 * - Hard links: files with the same Rock Ridge PX serial number, a link count above one and the
 *   same extents are written once and linked; files that merely share extents are copies.
 * - Data is streamed (1 MiB at a time); chunks of zeros are skipped and the file's length set at
 *   the end, so zero tails and holes stay sparse where the file system can.
 */
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { SECTOR } from '../image/bytes.js';
import { IsoforgeError, fsError, optionError } from '../errors.js';
import type { Logger } from '../log.js';
import { createExclusiveFlags, symlinkNotPermitted, type Platform } from '../platform.js';
import { quoted } from '../text.js';
import { planExtract, refused, type Step } from './extract-plan.js';
import { withImage, type IsoImage } from './image.js';
import type { Namespace, ReadNode } from './tree.js';

export interface ExtractConfig {
  image: string;
  output: string;
  /** image paths to extract (all of the tree when empty) */
  paths: string[];
  overwrite: boolean;
  platform?: Platform;
}

export interface ExtractOutcome {
  output: string;
  namespace: Namespace;
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  bytes: number;
  elapsed: number;
}

/** Permission bits kept; setuid, setgid and sticky (0o7000) are not. */
const PERMISSION_BITS = 0o777;
const SPECIAL_BITS = 0o7000;
/** Modes where the image has no Rock Ridge. */
const PLAIN_FILE_MODE = 0o644;
const PLAIN_DIR_MODE = 0o755;
/** Folders are made private while they are filled; their own mode comes last. */
const FILLING_DIR_MODE = 0o700;
const NEW_FILE_MODE = 0o600;
const ZEROS = Buffer.alloc(1024 * 1024);

type Found = 'absent' | 'dir' | 'other';

/** What is at `p` now, never following a link (a link is 'other'). */
async function look(p: string): Promise<{ found: Found; st?: Stats }> {
  try {
    const st = await fs.lstat(p);
    return { found: st.isDirectory() ? 'dir' : 'other', st };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file that overwrite replaces by a folder first
    if (code === 'ENOENT' || code === 'ENOTDIR') return { found: 'absent' };
    throw fsError(e, p, 'extract');
  }
}

const hostPath = (out: string, s: Step) => path.join(out, ...s.parts);

/** The output folder: made when missing (its parents too: the user's path); its real path. */
async function outputFolder(output: string): Promise<{ dir: string; existed: boolean }> {
  let existed = true;
  try {
    const st = await fs.stat(output);
    if (!st.isDirectory()) throw optionError('output', `${output} exists and is not a folder`);
  } catch (e) {
    if (e instanceof IsoforgeError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(e, output, 'output folder');
    existed = false;
  }
  return { dir: output, existed };
}

/** Each step's target before anything is written: what refuses, what `overwrite` replaces. */
async function preflight(img: IsoImage, steps: Step[], out: string, overwrite: boolean): Promise<Set<Step>> {
  const replace = new Set<Step>();
  for (const s of steps) {
    const p = hostPath(out, s);
    const { found, st } = await look(p);
    if (found === 'absent') continue;
    if (s.node.kind === 'dir' && found === 'dir') continue;
    if (found === 'dir') throw refused(img, s.node, `${p} is a folder (never replaced)`);
    const what = st?.isSymbolicLink() ? 'a symbolic link, never followed' : 'a file';
    if (!overwrite)
      throw new IsoforgeError(`${p} exists: ${what} (--overwrite true replaces it)`, { subject: p });
    replace.add(s);
  }
  return replace;
}

interface Writer {
  img: IsoImage;
  out: string;
  log: Logger;
  signal?: AbortSignal;
  platform?: Platform;
  special: number;
}

/** Run `fn` on host path `p`; an fs failure becomes one line naming the path. */
async function io<T>(p: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw fsError(e, p, 'extract');
  }
}

/** The mode to give a node: its permission bits (Rock Ridge) or the plain default. */
function modeOf(w: Writer, n: ReadNode): number {
  if (n.mode === undefined) return n.kind === 'dir' ? PLAIN_DIR_MODE : PLAIN_FILE_MODE;
  if (n.mode & SPECIAL_BITS) w.special++;
  return n.mode & PERMISSION_BITS;
}

/** A name already there when the plan said it was free: two entries met on this file system. */
function collided(w: Writer, e: unknown, n: ReadNode, p: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ELOOP' || code === 'EISDIR')
    return refused(w.img, n, `${p} appeared while extracting (two entries are one name here)`);
  return fsError(e, p, 'extract');
}

async function makeDir(w: Writer, s: Step, p: string): Promise<void> {
  try {
    await fs.mkdir(p, FILLING_DIR_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(e, p, 'extract');
  }
  // made or merged: it must be a real folder now (lstat: a link in its place is not one)
  if ((await look(p)).found !== 'dir') throw refused(w.img, s.node, `${p} is not a folder`);
}

async function writeFile(w: Writer, n: ReadNode, p: string): Promise<void> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(p, createExclusiveFlags(), NEW_FILE_MODE);
  } catch (e) {
    throw collided(w, e, n, p);
  }
  try {
    let pos = 0;
    for (const x of n.extents) {
      if (x.size === 0) continue;
      for await (const chunk of w.img.source.stream(
        x.lba * SECTOR,
        x.size,
        `file ${quoted(`/${n.path}`)}`,
        w.signal
      )) {
        // a chunk of zeros is a hole: skipped, the length set at the end
        if (!chunk.equals(ZEROS.subarray(0, chunk.length)))
          await io(p, () => fh.write(chunk, 0, chunk.length, pos));
        pos += chunk.length;
      }
    }
    await io(p, () => fh.truncate(pos));
    await io(p, () => fh.chmod(modeOf(w, n)));
    await io(p, () => fh.utimes(n.mtime, n.mtime));
  } finally {
    await fh.close();
  }
}

async function writeSymlink(w: Writer, n: ReadNode, p: string): Promise<boolean> {
  try {
    await fs.symlink(n.target ?? '', p);
  } catch (e) {
    if (symlinkNotPermitted((e as NodeJS.ErrnoException).code, w.platform)) {
      w.log.warn(`extract: the symbolic link ${quoted(`/${n.path}`)} was left out (not permitted here)`, p);
      return false;
    }
    throw collided(w, e, n, p);
  }
  await io(p, () => fs.lutimes(p, n.mtime, n.mtime));
  return true;
}

/** Write the steps in order, then the folders' modes and dates, deepest first. */
async function writeSteps(w: Writer, steps: Step[], replace: Set<Step>, o: ExtractOutcome): Promise<void> {
  const dirs: { node: ReadNode; p: string }[] = [];
  for (const s of steps) {
    w.signal?.throwIfAborted();
    const p = hostPath(w.out, s);
    // replaced: the old file or link is removed, never written through
    if (replace.has(s)) await io(p, () => fs.unlink(p));
    const n = s.node;
    if (n.kind === 'dir') {
      await makeDir(w, s, p);
      dirs.push({ node: n, p });
      o.dirs++;
    } else if (n.kind === 'symlink') {
      if (await writeSymlink(w, n, p)) o.symlinks++;
    } else if (s.linkTo) {
      const first = hostPath(w.out, s.linkTo);
      await fs.link(first, p).catch((e: unknown) => {
        throw collided(w, e, n, p);
      });
      o.hardlinks++;
    } else {
      await writeFile(w, n, p);
      o.files++;
      o.bytes += n.size;
    }
  }
  for (const d of dirs.reverse()) {
    await io(d.p, () => fs.chmod(d.p, modeOf(w, d.node)));
    await io(d.p, () => fs.utimes(d.p, d.node.mtime, d.node.mtime));
  }
}

/** Extract `cfg.paths` (all when empty) of `cfg.image` under `cfg.output`. */
export async function runExtract(
  cfg: ExtractConfig,
  ctx: { log: Logger; signal?: AbortSignal }
): Promise<ExtractOutcome> {
  const started = performance.now();
  const platform = cfg.platform ?? process.platform;
  return withImage(cfg.image, async img => {
    const plan = planExtract(img, cfg.paths, platform);
    const folder = await outputFolder(cfg.output);
    const replace = folder.existed
      ? await preflight(img, plan.steps, folder.dir, cfg.overwrite)
      : new Set<Step>();
    if (!folder.existed) await io(folder.dir, () => fs.mkdir(folder.dir, { recursive: true }));
    const out = await io(folder.dir, () => fs.realpath(folder.dir));
    ctx.log.debug(
      `extract: ${plan.steps.length} entries, ${plan.bytes} bytes from the ${img.tree.namespace} tree`
    );
    const w: Writer = { img, out, log: ctx.log, signal: ctx.signal, platform, special: 0 };
    const o: ExtractOutcome = {
      output: out,
      namespace: img.tree.namespace,
      files: 0,
      dirs: 0,
      symlinks: 0,
      hardlinks: 0,
      bytes: 0,
      elapsed: 0
    };
    await writeSteps(w, plan.steps, replace, o);
    if (w.special > 0)
      ctx.log.warn(`extract: ${w.special} entries had setuid, setgid or sticky bits; written without them`);
    o.elapsed = performance.now() - started;
    return o;
  });
}
