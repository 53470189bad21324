/** `isoforge inspect IMAGE [--json]`. PLACEHOLDER until the Verify: issue lands. */
import { IsoforgeError } from '../errors.js';
import type { CliIo } from './main.js';

export async function inspectCommand(_argv: string[], _io: CliIo): Promise<number> {
  throw new IsoforgeError('inspect: not available yet', { subject: 'inspect' });
}
