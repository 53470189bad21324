/**
 * Where a result is written before it is renamed into place: beside its target (the same file
 * system, so the rename replaces it in one step), hidden, and named by the process and a random
 * part so that builds writing the same target at once do not meet: `.<name>.<pid>.<hex>.tmp`.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export function temporaryPath(target: string): string {
  const name = `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  return path.join(path.dirname(target), name);
}
