/**
 * The build action: inputs → build → outputs → baseline (read) and gates → attestation → upload
 * → baseline save → summary. A failed gate publishes nothing: it comes before the attestation,
 * the upload and the baseline save. Only this top level turns errors into core.setFailed.
 */
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toBuildConfig } from '../config.js';
import { IsoforgeError, oneLine } from '../errors.js';
import { GateError, gateVerdict } from '../gates.js';
import { runBuild, type BuildOutcome } from '../pipeline.js';
import { checkArtifactName, uploadFiles, uploadImage, uploadUnavailable, type Uploaded } from './artifact.js';
import { attestImage, attestUnavailable } from './attest.js';
import {
  baselineKeys,
  baselinePath,
  cacheUnavailable,
  currentBranch,
  defaultBranch,
  diffManifests,
  restoreBaseline,
  saveBaseline
} from './baseline.js';
import { readInputs, runnerEnv, type ActionInputs, type RunnerEnv } from './inputs.js';
import { safeLine, safeLogger } from '../text.js';
import { actionLogger, actionProgress } from './logger.js';
import { buildSummaryHtml, writeSummary, type BuildSummaryInput } from './summary.js';

/** The deepest directory holding every one of `files`. */
export function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]);
  for (const f of files.slice(1)) {
    while (path.relative(dir, f).startsWith('..')) {
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return dir;
}

interface Published {
  image?: Uploaded;
  metadata?: Uploaded;
}

async function publish(
  out: BuildOutcome,
  files: string[],
  inputs: ActionInputs,
  renv: RunnerEnv
): Promise<Published> {
  if (!inputs.upload) {
    core.notice('isoforge: upload is false; the image stays at ' + out.image.output);
    return {};
  }
  const why = uploadUnavailable();
  if (why) {
    core.notice(`isoforge: upload skipped (${why}); the image is at ${out.image.output}`);
    return {};
  }
  return core.group('upload', async () => {
    const name = inputs.artifactName ?? path.basename(out.image.output);
    const opts = { retentionDays: inputs.retentionDays, overwrite: inputs.overwrite };
    const image = await uploadImage(out.image.output, name, renv, opts);
    core.info(`image artifact ${image.name}: id ${image.id}, ${image.size} bytes, digest ${image.digest}`);
    if (image.digest && image.digest !== out.image.digests.sha256) {
      throw new IsoforgeError(
        `upload of "${name}": the service stored digest ${image.digest}, the image's SHA-256 is ${out.image.digests.sha256}`,
        { subject: name }
      );
    }
    core.setOutput('artifact-id', String(image.id));
    core.setOutput('artifact-url', image.url);
    core.setOutput('artifact-digest', image.digest ?? '');
    let metadata: Uploaded | undefined;
    if (files.length) {
      metadata = await uploadFiles(`${name}-metadata`, files, commonDir(files), renv, opts);
      core.info(`metadata artifact ${metadata.name}: id ${metadata.id}, ${files.length} files`);
      core.setOutput('metadata-artifact-id', String(metadata.id));
    }
    return { image, metadata };
  });
}

interface BaselineResult {
  summary: BuildSummaryInput['baseline'];
  size?: number;
  save?: () => Promise<void>;
}

async function baseline(out: BuildOutcome, inputs: ActionInputs, renv: RunnerEnv): Promise<BaselineResult> {
  if (!inputs.baseline) return { summary: undefined };
  const why = cacheUnavailable();
  if (why) {
    core.notice(`isoforge: baseline skipped (${why})`);
    return { summary: { note: `Baseline skipped: ${why}.` } };
  }
  const branch = defaultBranch(inputs.baselineBranch, renv);
  const keys = baselineKeys(out.image.volumeId, branch, renv);
  const file = baselinePath(out.image.volumeId, renv);
  const onBranch = currentBranch(renv) === branch;
  const save = onBranch
    ? async () => {
        const id = await saveBaseline(file, out.sidecars.manifest, keys.key);
        core.info(id ? `baseline saved as ${keys.key} (cache id ${id})` : `baseline ${keys.key} not saved`);
      }
    : undefined;
  return core.group('baseline', async () => {
    const restored = await restoreBaseline(file, keys);
    if (!restored) {
      core.info(`no baseline under ${keys.prefix}*`);
      return {
        summary: {
          note: `No baseline yet under ${keys.prefix}*: the first successful run on ${branch} saves one.`
        },
        save
      };
    }
    const diff = diffManifests(restored.manifest, out.sidecars.manifest);
    core.info(
      `baseline ${restored.key}: ${diff.sizeBefore} → ${diff.sizeAfter} bytes; ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`
    );
    return { summary: { key: restored.key, diff }, size: restored.manifest.image.size, save };
  });
}

/** The step's outputs that describe the image (set whether or not a gate then fails). */
function setImageOutputs(out: BuildOutcome): void {
  const img = out.image;
  const sc = out.sidecars;
  core.info(
    `${img.output}: ${img.size} bytes, sha256 ${img.digests.sha256} (${(out.elapsed / 1000).toFixed(2)} s)`
  );
  core.setOutput('image-path', img.output);
  core.setOutput('image-size', String(img.size));
  core.setOutput('volume-id', img.volumeId);
  core.setOutput('sha256', img.digests.sha256);
  if (img.digests.sha512) core.setOutput('sha512', img.digests.sha512);
  core.setOutput('checksums-path', sc.checksumPaths.join('\n'));
  core.setOutput('signature-paths', sc.signatures.map(s => s.path).join('\n'));
  core.setOutput('manifest-path', sc.manifestPath ?? '');
}

async function summarize(
  out: BuildOutcome,
  base: BaselineResult,
  pub: Published,
  attestationUrl: string | undefined,
  gateLines: string[]
): Promise<void> {
  const img = out.image;
  const sc = out.sidecars;
  const artifacts = [pub.image, pub.metadata].filter((u): u is Uploaded => u !== undefined);
  const manifestName = sc.manifestPath ? path.basename(sc.manifestPath) : 'the manifest (manifest: false)';
  const html = buildSummaryHtml({
    manifest: sc.manifest,
    imagePath: img.output,
    counts: img.scan,
    signatures: sc.signatures,
    checksumPaths: sc.checksumPaths,
    manifestPath: sc.manifestPath,
    artifacts: artifacts.map(a => ({ name: a.name, url: a.url })),
    manifestWhere: pub.metadata ? `${manifestName} in the artifact ${pub.metadata.name}` : manifestName,
    attestationUrl,
    baseline: base.summary,
    gateFailures: gateLines,
    elapsedMs: out.elapsed
  });
  const bytes = await writeSummary(html);
  core.debug(`job summary: ${bytes} bytes`);
}

const NOTHING_PUBLISHED = 'nothing was published (no artifact, attestation or baseline)';

export async function run(signal?: AbortSignal): Promise<void> {
  try {
    const renv = runnerEnv();
    const inputs = readInputs('build', renv);
    // bad input fails before anything is written
    if (inputs.artifactName) checkArtifactName(inputs.artifactName);
    // the token that stores the attestation: the github-token input (default: the workflow token)
    const token = inputs.values['github-token'];
    const attestEnv =
      typeof token === 'string' && token !== '' ? { ...process.env, GITHUB_TOKEN: token } : process.env;
    if (inputs.attest) {
      const why = attestUnavailable(attestEnv);
      if (why) throw new IsoforgeError(why, { subject: '--attest' });
    }
    const config = toBuildConfig(inputs.values);
    const log = safeLogger(actionLogger(renv.workspace));
    core.info(`isoforge: ${config.source} → ${config.output}`);
    const bundlePath = `${path.resolve(config.output)}.sigstore.json`;
    const out = await runBuild(config, {
      log,
      signal,
      onProgress: actionProgress().sink,
      laterTargets: inputs.attest ? [{ path: bundlePath, what: 'attestation bundle' }] : []
    });
    const img = out.image;
    const sc = out.sidecars;
    setImageOutputs(out);

    // the gates, before anything is published (the baseline is only read for max-growth here)
    const base = await baseline(out, inputs, renv);
    if (inputs.maxGrowth && base.size === undefined)
      core.notice('isoforge: max-growth not checked (no baseline)');
    const failed = gateVerdict(img, {
      maxSize: inputs.maxSize ?? config.maxSize,
      maxGrowth: inputs.maxGrowth,
      baselineSize: base.size
    });
    if (failed) {
      const lines = [...failed.failures.map(g => g.message), `${failed.kept}; ${NOTHING_PUBLISHED}.`];
      if (inputs.summary) await summarize(out, base, {}, undefined, lines);
      // one annotation per gate, with its title; the step's own error only says what became of the image
      for (const g of failed.failures)
        core.error(safeLine(g.message), { title: `isoforge ${g.option.slice(2)}` });
      throw failed;
    }

    const metaFiles = [...sc.checksumPaths, ...sc.signatures.map(s => s.path)];
    if (sc.manifestPath) metaFiles.push(sc.manifestPath);
    let attestationUrl = sc.attestationUrl;
    if (inputs.attest) {
      const a = await core.group('attest', () =>
        attestImage(path.basename(img.output), img.digests.sha256, renv, attestEnv)
      );
      await fs.writeFile(bundlePath, JSON.stringify(a.bundle) + '\n');
      metaFiles.push(bundlePath);
      attestationUrl = a.url;
      core.info(`attestation ${a.id ?? '(not stored)'}: ${a.url ?? ''}`);
    }
    if (attestationUrl) core.setOutput('attestation-url', attestationUrl);

    let uploadError: unknown;
    let pub: Published = {};
    try {
      pub = await publish(out, metaFiles, inputs, renv);
    } catch (e) {
      uploadError = e;
    }
    if (base.save && !uploadError) await base.save();
    if (inputs.summary) await summarize(out, base, pub, attestationUrl, []);
    if (uploadError) throw uploadError;
  } catch (e) {
    if (e instanceof Error && e.stack) core.debug(e.stack);
    core.setFailed(`isoforge: ${e instanceof GateError ? `${e.brief}; ${NOTHING_PUBLISHED}` : oneLine(e)}`);
  }
}
