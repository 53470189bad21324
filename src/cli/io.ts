/** What every command of the CLI writes through: its streams and environment, and the stderr logger. */
import type { Logger } from '../log.js';
import type { Progress } from '../progress.js';
import { safeLine } from '../text.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  signal?: AbortSignal;
}

/** `progress`: its updating line is erased before any other line goes to stderr. */
export function stderrLogger(io: CliIo, quiet: boolean, debug: boolean, progress?: Progress): Logger {
  const line = (s: string) => {
    progress?.interrupt();
    io.stderr(s);
  };
  return {
    info: m => {
      if (!quiet) line(safeLine(m) + '\n');
    },
    warn: m => line(`warning: ${safeLine(m)}\n`),
    debug: m => {
      if (debug) line(`debug: ${safeLine(m)}\n`);
    },
    // with --debug, each phase's wall time and the process's CPU time (all threads) in it
    group: debug ? (name, fn) => timed(line, name, fn) : undefined,
    timed: debug ? (name, fn) => timed(line, name, fn) : undefined
  };
}

async function timed<T>(print: (s: string) => void, name: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    const ms = (n: number) => n.toFixed(0);
    print(
      `debug: ${name}: ${ms(performance.now() - t)} ms, ${ms((used.user + used.system) / 1000)} ms of CPU\n`
    );
  }
}
