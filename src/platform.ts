/**
 * Every difference between Linux, macOS and Windows runners lives here, as pure functions of an
 * explicit `platform` so tests can simulate the others: path separators, case-insensitive names,
 * and file systems without POSIX modes.
 */
import { constants as fsConstants } from 'node:fs';
import { optionError } from './errors.js';

export type Platform = NodeJS.Platform;

/** Whether the usual file system of the platform folds case (NTFS, APFS default). */
export function foldsCase(platform: Platform = process.platform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

/** Key under which two names collide on `platform`'s file system. */
export function nameKey(name: string, platform: Platform = process.platform): string {
  const n = name.normalize('NFC');
  return foldsCase(platform) ? n.toLowerCase() : n;
}

/**
 * A path a user gave for something inside the source tree (e.g. `isolinux\isolinux.bin` on
 * Windows) → the POSIX path inside the image. Rejects absolute paths and `..` that leave the tree.
 */
export function imagePathFromUser(
  input: string,
  option: string,
  platform: Platform = process.platform
): string {
  let p = input.trim();
  if (platform === 'win32') p = p.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) {
    throw optionError(option, `"${input}" must be a path inside the source directory, not an absolute path`);
  }
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) {
        throw optionError(option, `"${input}" leaves the source directory`);
      }
      out.pop();
    } else out.push(part);
  }
  if (out.length === 0) throw optionError(option, `"${input}" names the source directory itself`);
  return out.join('/');
}

/** A native relative path (as fs.readdir builds it) → POSIX path inside the image. */
export function toImagePath(nativeRelative: string, platform: Platform = process.platform): string {
  return platform === 'win32' ? nativeRelative.replace(/\\/g, '/') : nativeRelative;
}

/**
 * POSIX permission bits to record for a file. Windows has no POSIX modes (Node reports 0o666 or
 * 0o444 for files, 0o666 for directories): use 0755/0644, 0444 for read-only files.
 */
export function permissionBits(
  kind: 'file' | 'dir' | 'symlink',
  statMode: number,
  platform: Platform = process.platform
): number {
  if (kind === 'symlink') return 0o777;
  if (platform === 'win32') {
    if (kind === 'dir') return 0o755;
    return statMode & 0o200 ? 0o644 : 0o444;
  }
  return statMode & 0o7777;
}

/** Whether `child` is `parent` or inside it, comparing as the platform's file system does. */
export function isInside(parent: string, child: string, platform: Platform = process.platform): boolean {
  const sep = platform === 'win32' ? '\\' : '/';
  const norm = (s: string) => {
    let t = platform === 'win32' ? s.replace(/\//g, '\\') : s;
    while (t.length > 1 && t.endsWith(sep)) t = t.slice(0, -1);
    return foldsCase(platform) ? t.toLowerCase() : t;
  };
  const p = norm(parent);
  const c = norm(child);
  return c === p || c.startsWith(p.endsWith(sep) ? p : p + sep);
}

/**
 * The open(2) flag for writing the image around the page cache, or undefined where there is none.
 * Linux has O_DIRECT; macOS (F_NOCACHE) and Windows (FILE_FLAG_NO_BUFFERING) have no such open
 * flag in Node, so they write through the cache. `constants` is passed in so tests can simulate.
 */
export function directWriteFlag(
  platform: Platform = process.platform,
  constants: { O_DIRECT?: number } = fsConstants
): number | undefined {
  if (platform !== 'linux') return undefined;
  return constants.O_DIRECT || undefined;
}

/** Windows' reserved device names: in any folder, with any extension (`nul.iso` is NUL). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * The device a file name stands for on `platform` whatever folder it is in (Windows' NUL, CON,
 * COM1…), or undefined. A stat of such a path does not reliably say "device", so it is known by
 * its name. Elsewhere devices live in folders and stat tells them apart.
 */
export function reservedDeviceName(file: string, platform: Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  const base = file.split(/[\\/]/).pop() ?? '';
  const m = WINDOWS_DEVICES.exec(base.replace(/[ .]+$/, ''));
  return m ? m[1].toUpperCase() : undefined;
}

/** Characters Windows refuses in a file name (besides the controls), and its trailing dot or blank. */
const WINDOWS_NAME_CHARS = /[\\:*?"<>|\x00-\x1f]|[ .]$/;

/**
 * Why `name` (one component, from an image) cannot be created as itself on `platform`, or
 * undefined. `/` and NUL are refused by the reader everywhere; Windows refuses more.
 */
export function hostNameProblem(name: string, platform: Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  if (WINDOWS_NAME_CHARS.test(name)) return 'a character Windows does not allow in a name';
  const device = reservedDeviceName(name, platform);
  return device ? `the Windows device name ${device}` : undefined;
}

/** Key under which two names of one folder land on the same file on `platform` (exact where case counts). */
export function collisionKey(name: string, platform: Platform = process.platform): string {
  return foldsCase(platform) ? nameKey(name, platform) : name;
}

/**
 * open(2) flags that create a new file and never follow a symbolic link in its place. Windows has
 * no O_NOFOLLOW (Node reports none): O_EXCL alone refuses an existing name, link or not.
 */
export function createExclusiveFlags(constants: typeof fsConstants = fsConstants): number {
  return constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
}

/**
 * Whether a failed symlink(2) is the platform's policy rather than damage: Windows creates symbolic
 * links only with Developer Mode or the privilege (EPERM); the link is then left out with a warning.
 */
export function symlinkNotPermitted(
  code: string | undefined,
  platform: Platform = process.platform
): boolean {
  return platform === 'win32' && code === 'EPERM';
}
