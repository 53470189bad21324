/** `isoforge verify --image IMAGE [checks]`. PLACEHOLDER until the Verify: issue lands. */
import { IsoforgeError } from '../errors.js';
import type { CliIo } from './main.js';

export async function verifyCommand(_argv: string[], _io: CliIo): Promise<number> {
  throw new IsoforgeError('verify: not available yet', { subject: 'verify' });
}
