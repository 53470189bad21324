/**
 * Upload and download with @actions/artifact: the image unzipped (skipArchive, so the artifact's
 * digest is the image's SHA-256) and the metadata (checksums, signatures, manifest) as a zip.
 */
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError, cliFlag, optionError } from '../errors.js';
import type { RunnerEnv } from './inputs.js';

/** Why an upload cannot happen here, or undefined when it can. */
export function uploadUnavailable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_ACTIONS !== 'true') return 'not running in GitHub Actions';
  if (!env.ACTIONS_RUNTIME_TOKEN) return 'no ACTIONS_RUNTIME_TOKEN in the environment';
  if (!env.ACTIONS_RESULTS_URL) return 'no ACTIONS_RESULTS_URL in the environment';
  return undefined;
}

export interface Uploaded {
  name: string;
  id: number;
  size: number;
  digest: string | undefined;
  url: string;
}

export function artifactUrl(renv: RunnerEnv, id: number): string {
  return `${renv.serverUrl}/${renv.repository}/actions/runs/${renv.runId}/artifacts/${id}`;
}

/** Characters actions/artifact refuses in names (path-and-artifact-name-validation). */
const BAD_NAME = /["':<>|*?\r\n\\/]/;

export function checkArtifactName(name: string): void {
  if (!name || BAD_NAME.test(name)) {
    throw optionError('artifact-name', `"${name}" is empty or has one of " : < > | * ? \\ / or a line break`);
  }
}

function serviceError(what: string, name: string, e: unknown): IsoforgeError {
  const msg = e instanceof Error ? e.message : String(e);
  return new IsoforgeError(`upload of ${what} "${name}" failed: ${msg.replace(/\s*\n\s*/g, ' ')}`, {
    subject: name,
    cause: e
  });
}

async function deleteIfExists(client: DefaultArtifactClient, name: string): Promise<void> {
  try {
    await client.deleteArtifact(name);
    core.info(`Deleted the earlier artifact "${name}" (overwrite: true)`);
  } catch (e) {
    if (e instanceof ArtifactNotFoundError || (e instanceof Error && e.name === 'ArtifactNotFoundError'))
      return;
    throw serviceError('artifact', name, e);
  }
}

export interface UploadOptions {
  retentionDays?: number;
  overwrite: boolean;
}

/**
 * Upload the image as it is. With skipArchive the artifact is named after the file, so when
 * `name` differs from the image's file name the upload goes through a hard link (or copy) of
 * that name in a temporary directory.
 */
export async function uploadImage(
  image: string,
  name: string,
  renv: RunnerEnv,
  opts: UploadOptions
): Promise<Uploaded> {
  checkArtifactName(name);
  const client = new DefaultArtifactClient();
  let file = image;
  let tmpDir: string | undefined;
  if (path.basename(image) !== name) {
    await fs.mkdir(renv.temp, { recursive: true });
    tmpDir = await fs.mkdtemp(path.join(renv.temp, 'isoforge-upload-'));
    file = path.join(tmpDir, name);
    try {
      await fs.link(image, file);
    } catch {
      await fs.copyFile(image, file);
    }
  }
  try {
    if (opts.overwrite) await deleteIfExists(client, name);
    const r = await client
      .uploadArtifact(name, [file], path.dirname(file), {
        skipArchive: true,
        retentionDays: opts.retentionDays
      })
      .catch((e: unknown) => {
        throw serviceError('image artifact', name, e);
      });
    if (r.id === undefined)
      throw new IsoforgeError(`upload of "${name}": the service returned no artifact id`);
    return { name, id: r.id, size: r.size ?? 0, digest: r.digest, url: artifactUrl(renv, r.id) };
  } finally {
    if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Upload `files` (all under `root`) as one zipped artifact. */
export async function uploadFiles(
  name: string,
  files: string[],
  root: string,
  renv: RunnerEnv,
  opts: UploadOptions
): Promise<Uploaded> {
  checkArtifactName(name);
  const client = new DefaultArtifactClient();
  if (opts.overwrite) await deleteIfExists(client, name);
  const r = await client
    .uploadArtifact(name, files, root, { retentionDays: opts.retentionDays })
    .catch((e: unknown) => {
      throw serviceError('artifact', name, e);
    });
  if (r.id === undefined) throw new IsoforgeError(`upload of "${name}": the service returned no artifact id`);
  return { name, id: r.id, size: r.size ?? 0, digest: r.digest, url: artifactUrl(renv, r.id) };
}

/**
 * Download the artifact `name` of the current run into `dir` and return the path of the image
 * in it (the single file for an unzipped artifact, else the only .iso).
 */
export async function downloadImage(name: string, dir: string, option = 'artifact-name'): Promise<string> {
  const client = new DefaultArtifactClient();
  let id: number;
  let digest: string | undefined;
  try {
    const { artifact } = await client.getArtifact(name);
    id = artifact.id;
    digest = artifact.digest;
  } catch (e) {
    throw optionError(
      option,
      `no artifact "${name}" in this run (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
      { cause: e }
    );
  }
  await fs.mkdir(dir, { recursive: true });
  const r = await client.downloadArtifact(id, { path: dir, expectedHash: digest }).catch((e: unknown) => {
    throw new IsoforgeError(
      `download of artifact "${name}" failed: ${e instanceof Error ? e.message : String(e)}`,
      {
        subject: cliFlag(option),
        cause: e
      }
    );
  });
  if (r.digestMismatch) {
    throw new IsoforgeError(`download of artifact "${name}": the digest does not match the service's`, {
      subject: cliFlag(option)
    });
  }
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) found.push(p);
    }
  };
  await walk(r.downloadPath ?? dir);
  if (found.length === 1) return found[0];
  const isos = found.filter(f => f.toLowerCase().endsWith('.iso'));
  if (isos.length === 1) return isos[0];
  throw optionError(
    option,
    `artifact "${name}" holds ${found.length} files and ${isos.length} .iso images; name one image with --image`
  );
}

/** Download (and unzip) the artifact `name` of this run into `dir`. */
export async function downloadArtifactTo(name: string, dir: string): Promise<void> {
  const client = new DefaultArtifactClient();
  const { artifact } = await client.getArtifact(name);
  await client.downloadArtifact(artifact.id, { path: dir, expectedHash: artifact.digest });
}
