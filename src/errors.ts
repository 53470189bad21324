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
  /** The option at fault by its schema name (`volume-id`), when an option is: see optionError. */
  readonly option: string | undefined;
  /** What is wrong with it, without its name in front. */
  readonly text: string;

  constructor(
    message: string,
    options: { subject?: string; code?: string; cause?: unknown; option?: string; text?: string } = {}
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IsoforgeError';
    this.subject = options.subject;
    this.code = options.code ?? 'EISOFORGE';
    this.option = options.option;
    this.text = options.text ?? message;
  }
}

/**
 * The command line's name of an option (`--volume-id`): the one place the library spells a flag.
 * Messages lead with it; the action names the input instead (forSurface).
 */
export const cliFlag = (option: string): string => `--${option}`;

/** An error about an option, named by its schema name; `subject` is the flag unless given. */
export function optionError(
  option: string,
  text: string,
  o: { subject?: string; cause?: unknown } = {}
): IsoforgeError {
  const subject = o.subject ?? cliFlag(option);
  return new IsoforgeError(`${cliFlag(option)}: ${text}`, { subject, option, text, cause: o.cause });
}

/** An error's message as an edge shows it: the action says `input volume-id:` where the CLI says `--volume-id:`. */
export function forSurface(err: unknown, surface: 'cli' | 'action'): string {
  if (surface === 'action' && err instanceof IsoforgeError && err.option !== undefined)
    return safeLine(`input ${err.option}: ${err.text}`);
  return oneLine(err);
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
