/** The library's Logger mapped onto @actions/core: annotations for warnings, groups for phases. */
import * as core from '@actions/core';
import * as path from 'node:path';
import type { Logger } from '../log.js';
import { Progress } from '../progress.js';
import { safeLine } from '../text.js';

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

/** Every line goes through safeLine: the runner parses the log, and messages carry image text. */
export function actionLogger(workspace: string): Logger {
  return {
    info: m => core.info(safeLine(m)),
    warn: (m, subject) => core.warning(safeLine(m), annotationFor(subject, workspace)),
    debug: m => core.debug(safeLine(m)),
    group: (name, fn) => core.group(name, fn)
  };
}

/**
 * Progress in the job log: the runner's log is no TTY, so plain lines, at most every 10 s and at
 * 25/50/75 % of each phase (src/progress.ts, the same helper as the CLI's).
 */
export function actionProgress(print: (line: string) => void = core.info): Progress {
  return new Progress({ tty: false, print });
}
