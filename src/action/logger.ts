/** The library's Logger mapped onto @actions/core: annotations for warnings, groups for phases. */
import * as core from '@actions/core';
import * as path from 'node:path';
import type { Logger } from '../log.js';

/** A subject inside the workspace becomes the annotation's file (repository-relative). */
export function annotationFor(subject: string | undefined, workspace: string): core.AnnotationProperties {
  if (!subject) return {};
  if (path.isAbsolute(subject)) {
    const rel = path.relative(workspace, subject);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
      return { file: rel.split(path.sep).join('/'), title: 'isoforge' };
    }
  }
  return { title: `isoforge: ${subject}` };
}

export function actionLogger(workspace: string): Logger {
  return {
    info: m => core.info(m),
    warn: (m, subject) => core.warning(m, annotationFor(subject, workspace)),
    debug: m => core.debug(m),
    group: (name, fn) => core.group(name, fn)
  };
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * A progress callback that prints at most one line every `everyMs` (default 5 s):
 * percent, MiB/s and ETA.
 */
export function progressPrinter(
  label: string,
  print: (line: string) => void = core.info,
  everyMs = 5000,
  now: () => number = Date.now
): (done: number, total: number) => void {
  const started = now();
  let last = started;
  return (done, total) => {
    const t = now();
    if (t - last < everyMs || total <= 0 || done >= total) return;
    last = t;
    const elapsed = Math.max(0.001, (t - started) / 1000);
    const rate = done / elapsed;
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    print(
      `${label}: ${((100 * done) / total).toFixed(1)}%  ${(rate / 2 ** 20).toFixed(1)} MiB/s  ETA ${seconds(eta)}`
    );
  };
}
