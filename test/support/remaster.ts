/** A remaster through the CLI in this process, dates from a fixed epoch; a failure throws its log. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, type CliResult } from './cli.js';
import { sh } from './tools.js';

export const REMASTER_EPOCH = '1700000000';

export async function remaster(args: string[]): Promise<CliResult> {
  const r = await cli(['build', '--source-date-epoch', REMASTER_EPOCH, ...args]);
  if (r.code !== 0) throw new Error(`isoforge build ${args.join(' ')}: ${r.err}`);
  return r;
}

/**
 * `inspect --as-options` output as the words bash makes of it, as a user's paste would be split
 * (the text is written to `dir`/flags.sh for bash to read).
 */
export function bashWords(flags: string, dir: string): string[] {
  const file = path.join(dir, 'flags.sh');
  writeFileSync(file, flags);
  return sh('bash', ['-c', `eval "set -- $(cat '${file}')"; printf '%s\\0' "$@"`])
    .split('\0')
    .slice(0, -1);
}
