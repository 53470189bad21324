/** argv → raw option values, checked against the schema of the command. */
import { IsoforgeError, optionError } from '../errors.js';
import { extendsBoolean, optionsFor, type Command, type OptionSpec, type RawOptions } from '../options.js';
import { commandHelp } from './help.js';

export interface ParsedArgs {
  raw: RawOptions;
  positional: string[];
  help: boolean;
  debug: boolean;
  quiet: boolean;
  json: boolean;
}

const GLOBAL_FLAGS = ['help', 'debug', 'quiet', 'json'];

export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  allowJson = false
): ParsedArgs {
  const out: ParsedArgs = {
    raw: new Map(),
    positional: [],
    help: false,
    debug: false,
    quiet: false,
    json: false
  };
  const byName = new Map<string, OptionSpec>(specs.map(s => [s.name, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    let value = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (GLOBAL_FLAGS.includes(name) && (name !== 'json' || allowJson)) {
      if (value !== undefined && !/^(true|false)$/i.test(value)) {
        throw optionError(name, `takes no value`);
      }
      (out as unknown as Record<string, boolean>)[name] =
        value === undefined || value.toLowerCase() === 'true';
      continue;
    }
    const spec = byName.get(name);
    if (!spec) throw optionError(name, `unknown option (see --help)`);
    if (value === undefined) {
      const next = argv[i + 1];
      if (
        (spec.type === 'boolean' || extendsBoolean(spec)) &&
        (next === undefined || next.startsWith('--'))
      ) {
        value = 'true';
      } else if (next === undefined) {
        throw optionError(name, `needs a value`);
      } else {
        value = next;
        i++;
      }
    }
    if (spec.type === 'list' && out.raw.has(name)) value = `${out.raw.get(name)}\n${value}`;
    else if (out.raw.has(name)) throw optionError(name, `given twice`);
    out.raw.set(name, value);
  }
  return out;
}

/** A word where an option was expected. */
export function unexpectedArgument(arg: string | undefined): IsoforgeError {
  return new IsoforgeError(`unexpected argument "${arg}" (options are --name value)`, { subject: arg });
}

/**
 * The flags of a command that takes options only (build, extract), with the specs they were checked
 * against; undefined when --help was asked for (the help is printed).
 */
export function optionsOnly(
  command: Command,
  argv: readonly string[],
  stdout: (s: string) => void
): { specs: OptionSpec[]; args: ParsedArgs } | undefined {
  const specs = optionsFor(command, 'cli');
  const args = parseArgs(argv, specs);
  if (args.help) {
    stdout(commandHelp(command) + '\n');
    return undefined;
  }
  if (args.positional.length) throw unexpectedArgument(args.positional[0]);
  return { specs, args };
}
