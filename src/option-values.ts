/**
 * Reading resolved option values by their schema name. A value not given is the schema's default:
 * config.ts, read/verify.ts and the action's inputs read through here and spell no default again.
 */
import {
  defaultValue,
  type Command,
  type OptionName,
  type OptionValue,
  type OptionValues
} from './options.js';

export interface OptionReader {
  /** a string value; undefined when empty or not given (and no default) */
  text(name: OptionName): string | undefined;
  /** a boolean value; false when not given (and no default) */
  flag(name: OptionName): boolean;
  /** an integer or size; undefined when not given (and no default) */
  count(name: OptionName): number | undefined;
  /** a list; empty when not given (and no default) */
  items(name: OptionName): string[];
}

export function optionReader(command: Command, values: OptionValues): OptionReader {
  const get = (name: OptionName): OptionValue => values[name] ?? defaultValue(command, name);
  return {
    text: name => {
      const v = get(name);
      return typeof v === 'string' && v !== '' ? v : undefined;
    },
    flag: name => get(name) === true,
    count: name => {
      const v = get(name);
      return typeof v === 'number' ? v : undefined;
    },
    items: name => {
      const v = get(name);
      return Array.isArray(v) ? v : [];
    }
  };
}
