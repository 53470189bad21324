/** A remaster through the CLI in this process, dates from a fixed epoch; a failure throws its log. */
import { cli, type CliResult } from './cli.js';

export const REMASTER_EPOCH = '1700000000';

export async function remaster(args: string[]): Promise<CliResult> {
  const r = await cli(['build', '--source-date-epoch', REMASTER_EPOCH, ...args]);
  if (r.code !== 0) throw new Error(`isoforge build ${args.join(' ')}: ${r.err}`);
  return r;
}
