/**
 * Temporary files and folders of the running process (the image beside its output, staged
 * sidecars), so that an interrupted run that cannot wait for its own cleanup (a second signal, or
 * one that stays unanswered: src/interrupt.ts) still removes them before it exits. Each step still
 * removes its own on failure; a path already renamed into place is simply gone by then.
 */
import { rmSync } from 'node:fs';

const paths = new Set<string>();

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
