/**
 * The paths a build writes (the image and its sidecars): checked before anything is read or
 * written, their missing folders made as `mkdir -p` does, and those folders removed again when
 * the build fails. Every target is written to a temporary file beside it and renamed into place,
 * and a rename replaces whatever has the name: so a target that exists must be a regular file
 * (never a device, a FIFO, a socket or a directory), and a missing folder is made only once
 * every target has been checked.
 */
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError, fsError } from '../errors.js';
import { isInside, reservedDeviceName, type Platform } from '../platform.js';

export interface Target {
  /** absolute, or relative to the working directory */
  path: string;
  /** what it is, for the error: `output`, `manifest`, `checksum file`, `signature`… */
  what: string;
}

/** What an existing path is when it is not a regular file, in the words of an error ("a FIFO"). */
export function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

/**
 * Refuse a target the build must not replace: one that exists (following symbolic links) and is
 * not a regular file, or a name that stands for a device on the platform. Only stat()s: a FIFO is
 * never opened, a device never written.
 */
export async function checkTarget(t: Target, platform: Platform = process.platform): Promise<void> {
  const device = reservedDeviceName(t.path, platform);
  if (device) {
    throw new IsoforgeError(
      `${t.what} ${t.path}: names the device ${device}, not a file; isoforge writes only regular files`,
      { subject: t.path }
    );
  }
  let st: Stats;
  try {
    st = await fs.stat(t.path);
  } catch (e) {
    // missing (or a dangling symbolic link, which the rename replaces): written new
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fsError(e, t.path, t.what);
  }
  const kind = notRegular(st);
  if (kind) {
    throw new IsoforgeError(
      `${t.what} ${t.path}: exists and is ${kind}, not a regular file; isoforge replaces only regular files`,
      { subject: t.path }
    );
  }
}

/**
 * `file`'s path with its folder's symbolic links resolved, for folders that do not exist yet too
 * (the nearest existing ancestor is resolved, the rest appended). The name itself is not
 * followed: the rename replaces a link, not what it points to.
 */
async function realTargetPath(file: string): Promise<string> {
  const abs = path.resolve(file);
  const rest = [path.basename(abs)];
  let dir = path.dirname(abs);
  for (;;) {
    try {
      return path.join(await fs.realpath(dir), ...rest);
    } catch (e) {
      const up = path.dirname(dir);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || up === dir)
        throw fsError(e, dir, 'output directory');
      rest.unshift(path.basename(dir));
      dir = up;
    }
  }
}

/** Every target outside the (real) source tree and not something a rename must not replace. */
export async function checkTargets(
  realSource: string,
  sourceGiven: string,
  targets: readonly Target[],
  platform: Platform = process.platform
): Promise<void> {
  for (const t of targets) {
    if (isInside(realSource, await realTargetPath(t.path), platform)) {
      throw new IsoforgeError(
        `${t.what} ${t.path}: inside the source tree ${sourceGiven}; write the image elsewhere`,
        { subject: t.path }
      );
    }
    await checkTarget(t, platform);
  }
}

/** The folders one build made for its targets, so that a failed build can take them away again. */
export class CreatedFolders {
  private constructor(private readonly made: string[]) {}

  /** `mkdir -p` each of `dirs`, remembering every folder that did not exist (outermost first). */
  static async make(dirs: Iterable<string>): Promise<CreatedFolders> {
    const made: string[] = [];
    try {
      for (const dir of new Set([...dirs].map(d => path.resolve(d)))) {
        let first: string | undefined;
        try {
          first = await fs.mkdir(dir, { recursive: true });
        } catch (e) {
          throw fsError(e, dir, 'cannot create output directory');
        }
        if (first === undefined) continue;
        const chain: string[] = [];
        for (let d = dir; ; d = path.dirname(d)) {
          chain.unshift(d);
          if (d === first || path.dirname(d) === d) break;
        }
        made.push(...chain);
      }
    } catch (e) {
      await new CreatedFolders(made).remove();
      throw e;
    }
    return new CreatedFolders(made);
  }

  /** the folders made, outermost first */
  get paths(): readonly string[] {
    return this.made;
  }

  /**
   * Remove the folders made, innermost first. Only empty ones go: a folder something else wrote
   * into meanwhile stays, with what is in it.
   */
  async remove(): Promise<void> {
    for (const d of this.made.reverse()) await fs.rmdir(d).catch(() => undefined);
    this.made.length = 0;
  }
}
