/**
 * The library never prints. It reports through this interface; the CLI maps it to stderr and the
 * action to @actions/core (annotations for warnings, groups for phases). Progress goes its own
 * way (RunContext.onProgress, src/progress.ts).
 */
export interface Logger {
  info(message: string): void;
  /** A warning about a user's input; `subject` is the path or option it is about. */
  warn(message: string, subject?: string): void;
  debug(message: string): void;
  /** Run `fn` as a named phase (core.group in the action). */
  group?<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Run `fn` as a named step that is timed but not grouped (the CLI's --debug prints its times). */
  timed?<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined
};

/** A logger that records what it is told, for tests and for the manifest's warnings. */
export class MemoryLogger implements Logger {
  readonly lines: { level: 'info' | 'warn' | 'debug'; message: string; subject?: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string, subject?: string): void {
    this.lines.push({ level: 'warn', message, subject });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  get warnings(): string[] {
    return this.lines.filter(l => l.level === 'warn').map(l => l.message);
  }
}

export async function inGroup<T>(log: Logger, name: string, fn: () => Promise<T>): Promise<T> {
  return log.group ? log.group(name, fn) : fn();
}

export async function inTimed<T>(log: Logger, name: string, fn: () => Promise<T>): Promise<T> {
  return log.timed ? log.timed(name, fn) : fn();
}

/** Progress, the library's other report (the edges show it with src/progress.ts): the phases of a build. */
export type Phase = 'scan' | 'write' | 're-read' | 'sign';

/** One report of a phase. The first of a phase starts its clock; done >= total ends it. */
export interface ProgressEvent {
  phase: Phase;
  /** bytes done in this phase (scan: bytes found) */
  done: number;
  /** bytes of the whole phase; undefined while not known (the scan) */
  total?: number;
  /** files found (scan) */
  files?: number;
}

export type ProgressSink = (e: ProgressEvent) => void;
