/**
 * The action's inputs, read in one place from the schema (src/options.ts): secrets masked first,
 * relative paths resolved against GITHUB_WORKSPACE, the action-only inputs typed.
 */
import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_VOLUME_ID } from '../config.js';
import { optionError } from '../errors.js';
import type { Growth } from '../gates.js';
import {
  optionsFor,
  parseSize,
  resolveOptions,
  type Command,
  type OptionSpec,
  type OptionValues
} from '../options.js';
import { optionReader } from '../option-values.js';

/** The runner's environment, as the action sees it. */
export interface RunnerEnv {
  workspace: string;
  temp: string;
  serverUrl: string;
  repository: string;
  runId: string;
  runAttempt: string;
  ref: string;
  refName: string;
  eventPath: string | undefined;
}

export function runnerEnv(env: NodeJS.ProcessEnv = process.env): RunnerEnv {
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    temp: env.RUNNER_TEMP || path.join(env.GITHUB_WORKSPACE || process.cwd(), '.isoforge-tmp'),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: env.GITHUB_REPOSITORY || '',
    runId: env.GITHUB_RUN_ID || '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '1',
    ref: env.GITHUB_REF || '',
    refName: env.GITHUB_REF_NAME || '',
    eventPath: env.GITHUB_EVENT_PATH || undefined
  };
}

/** Mask every secret value (and each of its longer lines: the runner masks line by line). */
export function maskSecrets(specs: readonly OptionSpec[], env: NodeJS.ProcessEnv = process.env): void {
  for (const spec of specs) {
    if (!spec.secret) continue;
    for (const value of [core.getInput(spec.name), spec.env ? (env[spec.env] ?? '') : '']) {
      if (!value) continue;
      core.setSecret(value);
      if (!value.includes('\n')) continue;
      for (const line of value.split(/\r?\n/)) {
        const t = line.trim();
        if (t.length >= 8 && !/^-----(BEGIN|END) /.test(t)) core.setSecret(t);
      }
    }
  }
}

/** Raw inputs of `command` (only those given), as the runner passes them (INPUT_<NAME>). */
export function rawInputs(specs: readonly OptionSpec[]): Map<string, string> {
  const raw = new Map<string, string>();
  for (const spec of specs) {
    const v = core.getInput(spec.name, { trimWhitespace: !spec.secret });
    if (v !== '') raw.set(spec.name, v);
  }
  return raw;
}

/** A user path → absolute, relative ones against the workspace. */
export function fromWorkspace(p: string, workspace: string): string {
  return path.isAbsolute(p) ? p : path.resolve(workspace, p);
}

/** `source-image: artifact:NAME` names an artifact of the current run (downloaded by run.ts), not a path. */
export const ARTIFACT_PREFIX = 'artifact:';

function resolvePathValues(specs: readonly OptionSpec[], values: OptionValues, workspace: string): void {
  for (const spec of specs) {
    const v = values[spec.name];
    if (spec.type === 'path' && typeof v === 'string' && v !== '' && !v.startsWith(ARTIFACT_PREFIX))
      values[spec.name] = fromWorkspace(v, workspace);
  }
  // `gpg-public-key` / `minisign-public-key` may be a key or a path to one
  for (const name of ['gpg-public-key', 'minisign-public-key'] as const) {
    const v = values[name];
    if (typeof v === 'string' && !v.includes('\n') && v.length < 1024 && !path.isAbsolute(v)) {
      const abs = path.resolve(workspace, v);
      if (existsSync(abs)) values[name] = abs;
    }
  }
}

/** `5%` or `50MiB` (or bytes). */
export function parseGrowth(text: string): Growth {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m) return { text: t, percent: Number(m[1]) };
  try {
    return { text: t, bytes: parseSize(t, 'max-growth') };
  } catch {
    throw optionError('max-growth', `"${text}" is neither a percentage (5%) nor a size (50MiB, bytes)`);
  }
}

export interface ActionInputs {
  /** typed values of every input of the command, paths absolute */
  values: OptionValues;
  /** build's upload input (verify has none and always uploads its serial logs) */
  upload: boolean;
  artifactName: string | undefined;
  retentionDays: number | undefined;
  overwrite: boolean;
  summary: boolean;
  baseline: boolean;
  baselineBranch: string | undefined;
  maxGrowth: Growth | undefined;
  attest: boolean;
}

/**
 * A volume id as one safe file name (the default output's, the baseline manifest's): lowercased,
 * a space as `-`, any other character outside a-z 0-9 . _ - as `_`, and a leading `.` or `-` as
 * `_` (no hidden file, nothing a tool takes for an option). 'Ubuntu-Server 24.04 LTS amd64' gives
 * 'ubuntu-server-24.04-lts-amd64', '../x' gives '_._x'; a d-character id is only lowercased.
 */
export function labelFileName(volumeId: string): string {
  return volumeId
    .toLowerCase()
    .replace(/ /g, '-')
    .replace(/[^a-z0-9._-]/g, '_')
    .replace(/^[.-]/, '_');
}

/**
 * Read the inputs of `command`. Secrets are masked before anything else is read or logged.
 * Build: `output` defaults to <RUNNER_TEMP>/<labelFileName(volume-id)>.iso.
 */
export function readInputs(
  command: Command,
  renv: RunnerEnv,
  env: NodeJS.ProcessEnv = process.env
): ActionInputs {
  const specs = optionsFor(command, 'action');
  maskSecrets(specs, env);
  const values = resolveOptions(specs, rawInputs(specs), env);
  const o = optionReader(command, values);
  if (command === 'build' && o.text('output') === undefined) {
    values['output'] = path.join(renv.temp, `${labelFileName(o.text('volume-id') ?? DEFAULT_VOLUME_ID)}.iso`);
  }
  resolvePathValues(specs, values, renv.workspace);
  // as actions/upload-artifact: 0 is the repository's default; more days than the repository
  // allows are lowered by @actions/artifact (getExpiration in retention.js, with its warning)
  const retention = o.count('retention-days');
  const trimmed = (name: 'max-growth' | 'artifact-name' | 'baseline-branch') =>
    o.text(name)?.trim() || undefined;
  const growth = trimmed('max-growth');
  return {
    values,
    upload: o.flag('upload'),
    artifactName: trimmed('artifact-name'),
    retentionDays: retention !== undefined && retention > 0 ? retention : undefined,
    overwrite: o.flag('overwrite'),
    summary: o.flag('summary'),
    baseline: o.flag('baseline'),
    baselineBranch: trimmed('baseline-branch'),
    maxGrowth: growth ? parseGrowth(growth) : undefined,
    attest: o.flag('attest')
  };
}
