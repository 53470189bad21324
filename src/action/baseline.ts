/**
 * The baseline: the manifest of the latest run on the default branch, kept in the Actions cache
 * (@actions/cache). Compared with the new manifest (added, removed, changed files, size change)
 * and its image size used by the `max-growth` gate (src/gates.ts).
 */
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError } from '../errors.js';
import { MANIFEST_SCHEMA, type Manifest, type ManifestEntry } from '../manifest.js';
import { labelFileName, type RunnerEnv } from './inputs.js';

export interface EntryChange {
  path: string;
  before: ManifestEntry;
  after: ManifestEntry;
  /** what differs: type, size, sha256, mode, target */
  what: string[];
}

export interface ManifestDiff {
  added: ManifestEntry[];
  removed: ManifestEntry[];
  changed: EntryChange[];
  sizeBefore: number;
  sizeAfter: number;
}

const COMPARED = ['type', 'size', 'sha256', 'mode', 'target'] as const;

export function diffManifests(before: Manifest, after: Manifest): ManifestDiff {
  const old = new Map(before.entries.map(e => [e.path, e]));
  const now = new Map(after.entries.map(e => [e.path, e]));
  const added = after.entries.filter(e => !old.has(e.path));
  const removed = before.entries.filter(e => !now.has(e.path));
  const changed: EntryChange[] = [];
  for (const a of after.entries) {
    const b = old.get(a.path);
    if (!b) continue;
    const what = COMPARED.filter(k => (b[k] ?? '') !== (a[k] ?? ''));
    if (what.length) changed.push({ path: a.path, before: b, after: a, what: [...what] });
  }
  return { added, removed, changed, sizeBefore: before.image.size, sizeAfter: after.image.size };
}

/** Sanitize a volume id or branch for a cache key (keys may not contain commas, at most 512). */
function keyPart(s: string): string {
  return s.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 120);
}

export function baselineKeys(
  volumeId: string,
  branch: string,
  renv: RunnerEnv
): { prefix: string; key: string } {
  const prefix = `isoforge-baseline-${keyPart(volumeId)}-${keyPart(branch)}-`;
  const attempt = renv.runAttempt && renv.runAttempt !== '1' ? `-${renv.runAttempt}` : '';
  return { prefix, key: `${prefix}${renv.runId}${attempt}` };
}

/** The branch whose runs save the baseline: input, else the event's repository.default_branch, else main. */
export function defaultBranch(input: string | undefined, renv: RunnerEnv): string {
  if (input) return input;
  if (renv.eventPath && existsSync(renv.eventPath)) {
    try {
      const ev = JSON.parse(readFileSync(renv.eventPath, 'utf8')) as {
        repository?: { default_branch?: unknown };
      };
      const b = ev.repository?.default_branch;
      if (typeof b === 'string' && b) return b;
    } catch {
      core.debug(`cannot read the event payload ${renv.eventPath}`);
    }
  }
  return 'main';
}

/** The branch this run is on (pushes: the branch; other events: none). */
export function currentBranch(renv: RunnerEnv): string | undefined {
  return renv.ref.startsWith('refs/heads/') ? renv.ref.slice('refs/heads/'.length) : undefined;
}

/** Why the cache cannot be used here, or undefined when it can. */
export function cacheUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_ACTIONS !== 'true') return 'not running in GitHub Actions';
  if (!env.ACTIONS_RUNTIME_TOKEN) return 'no ACTIONS_RUNTIME_TOKEN in the environment';
  if (!cache.isFeatureAvailable()) return 'no cache service in this environment';
  return undefined;
}

/** Where the baseline manifest lives while the cache saves or restores it (same path both ways). */
export function baselinePath(volumeId: string, renv: RunnerEnv): string {
  return path.join(renv.temp, 'isoforge-baseline', `${labelFileName(volumeId)}.manifest.json`);
}

function isManifest(v: unknown): v is Manifest {
  const m = v as Manifest;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.schema === MANIFEST_SCHEMA &&
    Array.isArray(m.entries) &&
    typeof m.image?.size === 'number'
  );
}

export interface Restored {
  manifest: Manifest;
  key: string;
}

export async function restoreBaseline(
  file: string,
  keys: { prefix: string; key: string }
): Promise<Restored | undefined> {
  await fs.rm(file, { force: true });
  await fs.mkdir(path.dirname(file), { recursive: true });
  const matched = await cache.restoreCache([file], keys.key, [keys.prefix]);
  if (!matched) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    core.warning(
      `baseline ${matched}: not a readable manifest (${e instanceof Error ? e.message : String(e)}); ignored`
    );
    return undefined;
  }
  if (!isManifest(parsed)) {
    core.warning(`baseline ${matched}: not an ${MANIFEST_SCHEMA} manifest; ignored`);
    return undefined;
  }
  return { manifest: parsed, key: matched };
}

/** Save `manifest` as the new baseline; returns the cache id, or undefined when the service declined. */
export async function saveBaseline(
  file: string,
  manifest: Manifest,
  key: string
): Promise<number | undefined> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(manifest) + '\n');
  try {
    const id = await cache.saveCache([file], key);
    return id > 0 ? id : undefined;
  } catch (e) {
    throw new IsoforgeError(
      `saving the baseline ${key} failed: ${e instanceof Error ? e.message : String(e)}`,
      {
        subject: '--baseline',
        cause: e
      }
    );
  }
}
