import { safeLine } from './text.js';

/**
 * The one error class of isoforge. Every failure a user can meet is an IsoforgeError that names
 * the path or option at fault in `subject`; the CLI prints `message` on one line, the action passes
 * it to core.setFailed. Anything else that escapes is a bug and is shown with its stack under --debug.
 */
export class IsoforgeError extends Error {
  /** The path or option at fault, e.g. `--volume-id` or `/src/a/b.bin`. */
  readonly subject: string | undefined;
  readonly code: string;

  constructor(message: string, options: { subject?: string; code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IsoforgeError';
    this.subject = options.subject;
    this.code = options.code ?? 'EISOFORGE';
  }
}

/**
 * Make any thrown value into a one-line message with no raw control characters (line breaks become
 * a space, CR, ESC and the other controls escapes: text from an image can't forge a line).
 */
export function oneLine(err: unknown): string {
  if (err instanceof IsoforgeError) return safeLine(err.message);
  if (err instanceof Error) {
    const e = err as NodeJS.ErrnoException;
    return safeLine(e.code && e.path ? `${e.code}: ${e.path}: ${e.message}` : e.message);
  }
  return safeLine(String(err));
}

/** Wrap a Node fs error so that it names the path the user gave. */
export function fsError(err: unknown, path: string, what: string): IsoforgeError {
  if (err instanceof IsoforgeError) return err;
  const e = err as NodeJS.ErrnoException;
  const reason =
    e?.code === 'ENOENT'
      ? 'does not exist'
      : e?.code === 'EACCES' || e?.code === 'EPERM'
        ? 'permission denied'
        : e?.code === 'ENOSPC'
          ? 'no space left on device'
          : e?.code === 'ENOTDIR'
            ? 'a parent is not a directory'
            : (e?.message ?? String(err));
  return new IsoforgeError(`${what} ${path}: ${reason}`, { subject: path, code: e?.code, cause: err });
}
