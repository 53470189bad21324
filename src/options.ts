/**
 * The one schema of options. The CLI flags, their --help, the inputs of action.yml and
 * verify/action.yml are all derived from (or checked against) this table, so they cannot drift.
 * A flag `--volume-id` is the action input `volume-id`.
 */
import { IsoforgeError, optionError } from './errors.js';
import { OPTIONS, VERIFY_SHARED, type Command, type OptionName, type OptionSpec } from './option-schema.js';

export {
  OPTIONS,
  type Command,
  type OptionName,
  type OptionSpec,
  type OptionType,
  type Surface
} from './option-schema.js';

/** Every option of `command`, whatever its surface, in the schema's order. */
export function commandOptions(command: Command): OptionSpec[] {
  return OPTIONS.filter(o => o.commands.includes(command)).concat(command === 'verify' ? VERIFY_SHARED : []);
}

export function optionsFor(command: Command, surface: 'cli' | 'action'): OptionSpec[] {
  return commandOptions(command).filter(o => o.surface === 'both' || o.surface === surface);
}

// ---- parsing -------------------------------------------------------------------------------------

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
};

/** `700MiB`, `4.7GB`, `123456` → bytes. */
export function parseSize(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw optionError(option, `"${text}" is not a size (e.g. 700MiB, 4.7GB or a number of bytes)`);
  }
  return Math.round(Number(m[1]) * unit);
}

export type OptionValue = string | number | boolean | string[] | undefined;
export type RawOptions = Map<string, string>;
/** Typed values by option name, as resolveOptions returns them. */
export type OptionValues = { [K in OptionName]?: OptionValue };

/** The spellings of a boolean option's values. */
const TRUE_WORDS = ['true', 'yes', '1', 'on'];
const FALSE_WORDS = ['false', 'no', '0', 'off'];

/** An enumeration that extends a boolean (replay-boot: true, false, without-apm) takes its spellings. */
export const extendsBoolean = (spec: OptionSpec): boolean =>
  spec.type === 'enum' && spec.choices?.includes('true') === true && spec.choices.includes('false');

function parseOne(spec: OptionSpec, raw: string): OptionValue {
  const flag = `--${spec.name}`;
  switch (spec.type) {
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(v)) return true;
      if (FALSE_WORDS.includes(v)) return false;
      throw new IsoforgeError(`${flag}: "${raw}" is not true or false`, { subject: flag });
    }
    case 'integer': {
      if (!/^\s*\d+\s*$/.test(raw)) {
        throw new IsoforgeError(`${flag}: "${raw}" is not a whole number`, { subject: flag });
      }
      const n = Number(raw);
      if (!Number.isSafeInteger(n))
        throw new IsoforgeError(`${flag}: ${raw} is too large`, { subject: flag });
      return n;
    }
    case 'size':
      return parseSize(raw, spec.name);
    case 'list': {
      // one item a line (a multi-line input, a repeated flag); commas separate only the items of an
      // enumeration: a path may hold a comma
      const items = raw
        .split(spec.choices ? /\r?\n|,/ : /\r?\n/)
        .map(s => s.trim())
        .filter(s => s.length > 0);
      if (spec.choices) {
        for (const i of items) {
          if (!spec.choices.includes(i.toLowerCase())) {
            throw new IsoforgeError(`${flag}: "${i}" is not one of ${spec.choices.join(', ')}`, {
              subject: flag
            });
          }
        }
        return items.map(i => i.toLowerCase());
      }
      return items;
    }
    case 'enum': {
      let v = raw.trim().toLowerCase();
      if (extendsBoolean(spec)) v = TRUE_WORDS.includes(v) ? 'true' : FALSE_WORDS.includes(v) ? 'false' : v;
      if (!spec.choices?.includes(v)) {
        throw new IsoforgeError(`${flag}: "${raw}" is not one of ${spec.choices?.join(', ')}`, {
          subject: flag
        });
      }
      return v;
    }
    default:
      return raw;
  }
}

/**
 * Turn raw text values (from argv or action inputs) into typed values, applying defaults and
 * environment fallbacks. Unknown names are rejected by the callers (CLI parser), not here.
 */
export function resolveOptions(
  specs: readonly OptionSpec[],
  raw: RawOptions,
  env: NodeJS.ProcessEnv = process.env
): OptionValues {
  const out: OptionValues = {};
  for (const spec of specs) {
    let text = raw.get(spec.name);
    if (
      (text === undefined || text === '') &&
      spec.env &&
      env[spec.env] !== undefined &&
      env[spec.env] !== ''
    ) {
      text = env[spec.env];
    }
    if (text === undefined || text === '') text = spec.default;
    out[spec.name] = text === undefined ? undefined : parseOne(spec, text);
  }
  return out;
}

/** The schema's default of `name` for `command`, typed (undefined where it has none). */
export function defaultValue(command: Command, name: OptionName): OptionValue {
  const spec = commandOptions(command).find(o => o.name === name);
  return spec?.default === undefined ? undefined : parseOne(spec, spec.default);
}
