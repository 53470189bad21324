/**
 * Progress: what the library reports (ProgressEvent, through RunContext.onProgress) and the one
 * helper that shows it, for the CLI and the action alike. Pure: the clock and the printer are
 * given, so the tests drive it with a fake clock.
 * - on a TTY: one line per phase, updated in place (\r), left standing when the phase ends;
 * - otherwise (CI logs): a plain line at most every LINE_EVERY_MS and at each of MILESTONES.
 * Each line: the phase, percent of its bytes, MiB/s and an ETA, all from bytes in the phase (not
 * files, and not the time before it: the scan and the plan of a tree of small files take seconds
 * while no byte is written, which made the first ETA of the old printers 30-100× too long). The
 * rate is that of the last RATE_WINDOW_MS, because a write starts slower than it goes on: its
 * first bytes are the directory records and path tables, made on the main thread (150,000 small
 * files: 26 MiB of them in 1.9 s, then the files at ~50 MiB/s). No ETA until the phase has run
 * ETA_AFTER_MS and done ETA_AFTER_SHARE of its bytes; a phase's last line gives its average rate
 * and its time.
 */
import { formatBytes, formatDuration } from './format.js';

import type { Phase, ProgressEvent, ProgressSink } from './log.js';

// what the library reports lives beside its logger (src/image imports only errors, log, platform)
export type { Phase, ProgressEvent, ProgressSink } from './log.js';

export interface ProgressOutput {
  /** true: one line updated in place; false: whole lines */
  tty: boolean;
  /** on a TTY raw text (with \r and erase-line codes); otherwise one line, without its newline */
  print(text: string): void;
  /** milliseconds (default performance.now) */
  now?: () => number;
}

/** Not on a TTY: a line at most this often… */
export const LINE_EVERY_MS = 10_000;
/** …and whenever a phase passes one of these shares of its bytes. */
export const MILESTONES: readonly number[] = [0.25, 0.5, 0.75];
/** On a TTY: the line is redrawn at most this often. */
export const TTY_EVERY_MS = 250;
/** An ETA only once the phase has run this long… */
export const ETA_AFTER_MS = 3000;
/** …and done this share of its bytes. */
export const ETA_AFTER_SHARE = 0.05;
/** A rate only once the phase has run this long… */
const RATE_AFTER_MS = 50;
/** …over (about) the last this many milliseconds. */
export const RATE_WINDOW_MS = 1500;

/** ECMA-48 EL (erase in line), from the cursor to the end. */
const ERASE_LINE = '\x1b[K';

interface PhaseState {
  name: Phase;
  started: number;
  /** (time, bytes) of the reports of the last RATE_WINDOW_MS, oldest first, and one before */
  samples: { t: number; done: number }[];
  lastPrint: number;
  /** index of the next milestone not yet passed */
  milestone: number;
  last: ProgressEvent;
  ended: boolean;
}

/**
 * The text of one progress line for `e`, `elapsedMs` into its phase; `recentRate` (bytes/s) that
 * of the last moments, else the average since the phase began is shown.
 */
export function progressLine(e: ProgressEvent, elapsedMs: number, recentRate?: number): string {
  const parts: string[] = [e.phase];
  const ended = e.total !== undefined && e.done >= e.total;
  if (e.total === undefined || e.phase === 'scan') {
    if (e.files !== undefined) parts.push(`${e.files} files`);
    if (e.done > 0 || e.files !== undefined) parts.push(formatBytes(e.done));
  } else if (e.total > 0) {
    const pct = Math.min(100, Math.floor((100 * e.done) / e.total));
    parts.push(`${pct}% of ${formatBytes(e.total)}`);
    if (elapsedMs >= RATE_AFTER_MS) {
      const rate = ended || recentRate === undefined ? e.done / (elapsedMs / 1000) : recentRate;
      parts.push(`${(rate / 2 ** 20).toFixed(1)} MiB/s`);
      const share = e.done / e.total;
      if (!ended && elapsedMs >= ETA_AFTER_MS && share >= ETA_AFTER_SHARE && rate > 0)
        parts.push(`ETA ${formatDuration((e.total - e.done) / rate)}`);
    }
  }
  if (ended) parts.push(formatDuration(elapsedMs / 1000).replace(/^0 s$/, '<1 s'));
  return parts.join('  ');
}

/** Bytes/s over the samples of the last RATE_WINDOW_MS, after adding (t, done); undefined at first. */
function recentRate(samples: { t: number; done: number }[], t: number, done: number): number | undefined {
  samples.push({ t, done });
  while (samples.length > 2 && samples[1].t <= t - RATE_WINDOW_MS) samples.shift();
  const first = samples[0];
  return t > first.t ? ((done - first.done) * 1000) / (t - first.t) : undefined;
}

/** Shows the ProgressEvents of a run on one output (see the file's comment). */
export class Progress {
  private state: PhaseState | undefined;
  /** a TTY line is on screen and not yet ended with a newline */
  private open = false;
  private readonly now: () => number;

  constructor(private readonly out: ProgressOutput) {
    this.now = out.now ?? (() => performance.now());
  }

  /** The sink to hand the library (RunContext.onProgress). */
  readonly sink: ProgressSink = e => this.report(e);

  report(e: ProgressEvent): void {
    const t = this.now();
    let s = this.state;
    if (!s || s.name !== e.phase) {
      this.close();
      s = this.state = {
        name: e.phase,
        started: t,
        samples: [],
        lastPrint: t,
        milestone: 0,
        last: e,
        ended: false
      };
    }
    if (s.ended) return;
    s.last = e;
    const rate = recentRate(s.samples, t, e.done);
    const ended = e.total !== undefined && e.done >= e.total;
    const elapsed = t - s.started;
    if (this.out.tty) {
      if (ended || t - s.lastPrint >= TTY_EVERY_MS || !this.open) {
        this.draw(progressLine(e, elapsed, rate));
        s.lastPrint = t;
      }
      if (ended) this.newline();
    } else if (!ended) {
      let passed = false;
      const share = e.total ? e.done / e.total : 0;
      while (s.milestone < MILESTONES.length && share >= MILESTONES[s.milestone]) {
        s.milestone++;
        passed = true;
      }
      if (passed || t - s.lastPrint >= LINE_EVERY_MS) {
        this.out.print(progressLine(e, elapsed, rate));
        s.lastPrint = t;
      }
    }
    s.ended = ended;
  }

  /** Another line is about to go to the same stream: the updating line is erased first. */
  interrupt(): void {
    if (!this.open) return;
    this.out.print(`\r${ERASE_LINE}`);
    this.open = false;
  }

  /** The run is over (or failed): an updating line is left standing, ended by a newline. */
  end(): void {
    this.close();
    this.state = undefined;
  }

  private close(): void {
    const s = this.state;
    if (this.out.tty && s && !s.ended && !this.open) this.draw(progressLine(s.last, this.now() - s.started));
    this.newline();
  }

  private draw(line: string): void {
    this.out.print(`\r${line}${ERASE_LINE}`);
    this.open = true;
  }

  private newline(): void {
    if (!this.open) return;
    this.out.print('\n');
    this.open = false;
  }
}
