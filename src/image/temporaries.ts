/**
 * Temporary files and folders of the running process: how they are named (beside their target)
 * and which exist (the image beside its output, staged sidecars), so that an interrupted run that
 * cannot wait for its own cleanup (a second signal, or one that stays unanswered:
 * src/interrupt.ts) still removes them before it exits. Each step still removes its own on
 * failure; a path already renamed into place is simply gone by then.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

const paths = new Set<string>();

/**
 * Where a result is written before it is renamed into place: beside its target (the same file
 * system, so the rename replaces it in one step), hidden, and named by the process and a random
 * part so that builds writing the same target at once do not meet: `.<name>.<pid>.<hex>.tmp`.
 */
export function temporaryPath(target: string): string {
  const name = `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  return path.join(path.dirname(target), name);
}

/** Remember `path` for removeTemporariesSync; the returned function forgets it. */
export function trackTemporary(path: string): () => void {
  paths.add(path);
  return () => void paths.delete(path);
}

/** Remove every tracked temporary now (synchronously: this runs on the way to process.exit). */
export function removeTemporariesSync(): void {
  for (const p of paths) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // nothing more can be done on the way out
    }
  }
  paths.clear();
}
