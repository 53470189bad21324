/**
 * SIGINT and SIGTERM end any run (build, verify with its boot tests, inspect) promptly: the first
 * aborts the run's signal, so each step stops and removes what it made; if the run has not ended
 * GRACE_MS later, or on a second signal, the tracked temporaries are removed and the process exits
 * at once with 128 + the signal's number. Used by the CLI's and both actions' entries.
 */
import { removeTemporariesSync } from './image/temporaries.js';

/** How long an aborted run may take to end by itself. */
export const GRACE_MS = 1500;

const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

/** The first signal received, if any (the process's: signals are process-wide). */
let received: keyof typeof EXIT_CODE | undefined;

/**
 * The exit code of a run that ended because it was interrupted: 128 + the number of the signal
 * that interrupted it (SIGTERM 143), 130 (SIGINT's) when no signal came (an abort from elsewhere).
 */
export function interruptedExitCode(): number {
  return EXIT_CODE[received ?? 'SIGINT'];
}

export function endOnSignals(): AbortSignal {
  const controller = new AbortController();
  const force = (code: number) => {
    removeTemporariesSync();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      received ??= sig;
      if (controller.signal.aborted) force(EXIT_CODE[sig]);
      controller.abort();
      // unref: a run that ends by itself within the grace exits as usual, with its own code
      setTimeout(() => force(EXIT_CODE[sig]), GRACE_MS).unref();
    });
  }
  return controller.signal;
}
