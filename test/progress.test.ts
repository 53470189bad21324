/**
 * Progress (issue 13.5): the one helper (src/progress.ts) driven with a fake clock, and real builds
 * through the CLI's main() and the action's printer, whose images xorriso reads back.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { actionProgress } from '../src/action/logger.js';
import { checkGates } from '../src/gates.js';
import { main, type CliIo } from '../src/cli/main.js';
import { toBuildConfig } from '../src/config.js';
import { formatBytes } from '../src/format.js';
import { MemoryLogger } from '../src/log.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { runBuild } from '../src/pipeline.js';
import {
  ETA_AFTER_MS,
  LINE_EVERY_MS,
  MILESTONES,
  Progress,
  RATE_WINDOW_MS,
  type ProgressEvent
} from '../src/progress.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const MiB = 2 ** 20;

/** What a terminal shows after `raw`: \r returns to column 0, ESC[K erases to the line's end. */
function screen(raw: string): string[] {
  const lines: string[] = [''];
  let col = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\r') col = 0;
    else if (c === '\n') {
      lines.push('');
      col = 0;
    } else if (raw.startsWith('\x1b[K', i)) {
      lines[lines.length - 1] = lines[lines.length - 1].slice(0, col);
      i += 2;
    } else {
      const l = lines[lines.length - 1];
      lines[lines.length - 1] = l.slice(0, col) + c + l.slice(col + 1);
      col++;
    }
  }
  return lines.filter(l => l !== '');
}

/**
 * A build as the library reports it, at a steady `rate` (bytes/s) after `before` ms of scan and
 * plan: one event per 6 MiB window. Returns what was printed, and when.
 */
function simulate(tty: boolean, total: number, rate: number | ((done: number) => number), before: number) {
  // ms into the write when `done` bytes are written
  const msFor = typeof rate === 'number' ? (d: number) => (1000 * d) / rate : rate;
  let t = 0;
  const printed: { at: number; text: string }[] = [];
  const p = new Progress({ tty, print: text => printed.push({ at: t, text }), now: () => t });
  const at = (ms: number, e: ProgressEvent) => {
    t = ms;
    p.report(e);
  };
  at(0, { phase: 'scan', done: 0 });
  at(before * 0.6, { phase: 'scan', done: total, total, files: 150_000 });
  const start = before;
  at(start, { phase: 'write', done: 0, total });
  for (let done = 6 * MiB; ; done += 6 * MiB) {
    const d = Math.min(done, total);
    at(start + msFor(d), { phase: 'write', done: d, total });
    if (d === total) break;
  }
  p.end();
  return { printed, start, end: start + msFor(total) };
}

const etaOf = (text: string) => {
  const m = /ETA (\d+) s/.exec(text);
  return m ? Number(m[1]) : undefined;
};

describe('the progress helper', () => {
  test('the ETA is counted from the bytes of the write since it began: sane from its first showing', () => {
    // the shape of the 150,000-file build that said "ETA 48 s" and ended 2 s later: 2.8 s of
    // scan and plan with no byte written, then 466 MiB at 60 MiB/s
    const { printed, start, end } = simulate(true, 466 * MiB, 60 * MiB, 2800);
    const etas = printed.filter(p => etaOf(p.text) !== undefined);
    expect(etas.length).toBeGreaterThan(5);
    for (const p of etas) {
      expect(p.at - start).toBeGreaterThanOrEqual(ETA_AFTER_MS);
      const truth = (end - p.at) / 1000;
      expect(Math.abs(etaOf(p.text)! - truth)).toBeLessThanOrEqual(1);
    }
    // no ETA in the first moments, only percent and rate
    const early = printed.filter(p => p.at > start && p.at - start < ETA_AFTER_MS && /write/.test(p.text));
    expect(early.length).toBeGreaterThan(0);
    for (const p of early) expect(p.text).not.toMatch(/ETA/);
  });

  test('a write that starts slow: the ETA follows the recent rate, never over twice the truth', () => {
    // 15 MiB/s for the first 2 s (as measured on 150,000 small files), 50 MiB/s after
    const slow = 15 * MiB;
    const fast = 50 * MiB;
    const msFor = (d: number) => (d <= 2 * slow ? (1000 * d) / slow : 2000 + (1000 * (d - 2 * slow)) / fast);
    const { printed, end } = simulate(true, 466 * MiB, msFor, 2800);
    const etas = printed.filter(p => etaOf(p.text) !== undefined);
    expect(etas.length).toBeGreaterThan(5);
    for (const p of etas) {
      const truth = (end - p.at) / 1000;
      expect(etaOf(p.text)!).toBeLessThanOrEqual(2 * truth + 1);
      expect(etaOf(p.text)!).toBeGreaterThanOrEqual(truth / 2 - 1);
    }
    // once the window holds only the fast part, it is right to the second
    for (const p of etas.filter(e => e.at - 2800 > 2000 + RATE_WINDOW_MS + 100))
      expect(Math.abs(etaOf(p.text)! - (end - p.at) / 1000)).toBeLessThanOrEqual(1);
  });

  test('on a TTY: one updating line a phase, each left standing', () => {
    const { printed } = simulate(true, 100 * MiB, 50 * MiB, 1000);
    const raw = printed.map(p => p.text).join('');
    expect(raw).toMatch(/\r/);
    const shown = screen(raw);
    expect(shown).toHaveLength(2);
    expect(shown[0]).toMatch(/^scan {2}150000 files {2}100\.0 MiB {2}\S/);
    expect(shown[1]).toMatch(/^write {2}100% of 100\.0 MiB {2}50\.0 MiB\/s {2}2 s$/);
  });

  test('not on a TTY: a line at most every 10 s and at 25/50/75 %, with phase, percent, rate, ETA', () => {
    const total = 600 * MiB;
    const rate = 10 * MiB;
    const { printed, start } = simulate(false, total, rate, 500);
    for (const p of printed) {
      expect(p.text).not.toMatch(/[\r\n\x1b]/);
      expect(p.text).toMatch(/^write {2}\d+% of 600\.0 MiB {2}10\.0 MiB\/s {2}ETA \d+ s$/);
    }
    const times = printed.map(p => p.at - start);
    // the milestones, each once, when their share of the bytes is passed
    const milestoneAt = MILESTONES.map(m => {
      const windows = Math.ceil((m * total) / (6 * MiB));
      return (1000 * windows * 6 * MiB) / rate;
    });
    for (const m of milestoneAt) expect(times.filter(t => Math.abs(t - m) < 1).length).toBe(1);
    // and between them no two lines closer than the interval
    const others = times.filter(t => !milestoneAt.some(m => Math.abs(t - m) < 1));
    expect(others.length).toBeGreaterThan(0);
    const all = [0, ...times];
    for (const t of others) {
      const prev = all.filter(x => x < t).pop()!;
      expect(t - prev).toBeGreaterThanOrEqual(LINE_EVERY_MS);
      expect(t - prev).toBeLessThan(LINE_EVERY_MS + 1000);
    }
  });

  test('on a TTY: a log line in the middle erases the updating line, which comes back after it; end() closes it', () => {
    let t = 0;
    let raw = '';
    const p = new Progress({ tty: true, print: s => (raw += s), now: () => t });
    const total = 100 * MiB;
    p.report({ phase: 'write', done: 0, total });
    t = 1000;
    p.report({ phase: 'write', done: 40 * MiB, total });
    p.interrupt();
    raw += 'warning: something\n';
    t = 1100;
    p.report({ phase: 'write', done: 44 * MiB, total });
    // the run fails here: the line is left standing, and what follows starts a line of its own
    p.end();
    raw += 'isoforge: it failed\n';
    expect(screen(raw)).toEqual([
      'warning: something',
      'write  44% of 100.0 MiB  40.0 MiB/s',
      'isoforge: it failed'
    ]);
  });

  test('one byte formatter for the CLI, the summary and the gates', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(-3 * MiB)).toBe('-3.0 MiB');
    expect(formatBytes(5 * 2 ** 40)).toBe('5.0 TiB');
    const [gate] = checkGates(3 * MiB, { maxSize: MiB });
    expect(gate.message).toContain(
      `(${formatBytes(3 * MiB)}), over the limit of ${MiB} bytes (${formatBytes(MiB)})`
    );
  });
});

describeWith(['xorriso'], 'progress of real builds', () => {
  let tmp: { dir: string; cleanup: () => void };
  let src: string;
  beforeAll(() => {
    tmp = tempDir('isoforge-progress-');
    src = path.join(tmp.dir, 'tree');
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'big.bin'), randomBytes(48 * MiB));
    writeFileSync(path.join(src, 'sub', 'small.txt'), 'hello\n');
  });
  afterAll(() => tmp.cleanup());

  const cli = async (args: string[], isTTY: boolean) => {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: s => (out += s), stderr: s => (err += s), env: {}, isTTY };
    const code = await main(['build', '--source', src, ...args], io);
    return { code, out, err };
  };
  const readable = (iso: string) =>
    expect(sh('xorriso', ['-indev', iso, '-find', '/', '-type', 'f'])).toContain("'/big.bin'");

  test('CLI in a CI log (no TTY): plain lines for the write and the implant-md5 re-read', async () => {
    const iso = path.join(tmp.dir, 'ci.iso');
    const r = await cli(['--output', iso, '--implant-md5', 'true'], false);
    expect(r.code).toBe(0);
    readable(iso);
    expect(r.err).not.toMatch(/[\r\x1b]/);
    const lines = r.err.split('\n');
    for (const phase of ['write', 're-read']) {
      const mine = lines.filter(l => l.startsWith(`${phase}  `));
      // a rate once the phase has run 50 ms (these small builds may be faster)
      for (const l of mine)
        expect(l).toMatch(/^[a-z-]+ {2}\d+% of [\d.]+ MiB( {2}[\d.]+ MiB\/s( {2}ETA .+)?)?$/);
      // one line as each of 25, 50 and 75 % is passed (the 6 and 8 MiB steps pass one at a time;
      // a slow machine may add a 10 s line)
      const pcts = mine.map(l => Number(/(\d+)% of/.exec(l)![1]));
      expect(pcts.length).toBeGreaterThanOrEqual(3);
      for (const m of [25, 50, 75]) expect(pcts.some(p => p >= m && p < m + 25)).toBe(true);
      expect([...pcts].sort((a, b) => a - b)).toEqual(pcts);
    }
  });

  test('CLI on a TTY: an updating line per phase, never glued to the report; --quiet: none', async () => {
    const iso = path.join(tmp.dir, 'tty.iso');
    const r = await cli(['--output', iso, '--implant-md5', 'true'], true);
    expect(r.code).toBe(0);
    readable(iso);
    expect(r.err).toMatch(/\r/);
    const shown = screen(r.err);
    const phases = shown
      .map(l => l.split('  ')[0])
      .filter(p => ['scan', 'write', 're-read', 'sign'].includes(p));
    expect(phases).toEqual(['scan', 'write', 're-read', 'sign']);
    expect(shown.find(l => l.startsWith('write  '))).toMatch(/^write {2}100% of [\d.]+ MiB {2}/);
    expect(shown).toContainEqual(expect.stringMatching(/^ {2}[\d.]+ MiB \(\d+ bytes\), 2 files/));
    expect(shown).toContainEqual(expect.stringMatching(/^implanted MD5 [0-9a-f]{32}/));

    const quiet = await cli(['--output', path.join(tmp.dir, 'q.iso'), '--quiet'], true);
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
  });

  test("the action's printer: the same lines through core.info's path", async () => {
    const lines: string[] = [];
    const iso = path.join(tmp.dir, 'action.iso');
    const config = toBuildConfig(
      resolveOptions(
        optionsFor('build', 'action'),
        new Map([
          ['source', src],
          ['output', iso]
        ]),
        {}
      )
    );
    await runBuild(config, { log: new MemoryLogger(), onProgress: actionProgress(l => lines.push(l)).sink });
    readable(iso);
    const write = lines.filter(l => l.startsWith('write  '));
    expect(write.length).toBeGreaterThanOrEqual(3);
    for (const l of write)
      expect(l).toMatch(/^write {2}\d+% of [\d.]+ MiB( {2}[\d.]+ MiB\/s( {2}ETA .+)?)?$/);
  });
});
