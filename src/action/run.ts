/**
 * The build action, as the checklist in run(): inputs → build → outputs → baseline (read) and
 * gates → attestation → upload → baseline save → summary. A failed gate publishes nothing: it
 * comes before the attestation, the upload and the baseline save. Only run() turns errors into
 * core.setFailed.
 */
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { toBuildConfig, type BuildConfig } from '../config.js';
import { IsoforgeError, forSurface, optionError } from '../errors.js';
import { GateError, gateVerdict } from '../gates.js';
import { runBuild, type BuildOutcome } from '../pipeline.js';
import {
  checkArtifactName,
  downloadImage,
  uploadFiles,
  uploadImage,
  uploadUnavailable,
  type Uploaded
} from './artifact.js';
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
import { ARTIFACT_PREFIX, readInputs, runnerEnv, type ActionInputs, type RunnerEnv } from './inputs.js';
import { safeLine } from '../text.js';
import { actionLogger, actionProgress } from './logger.js';
import { setBuildOutputs } from './outputs.js';
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
    setBuildOutputs({
      'artifact-id': String(image.id),
      'artifact-url': image.url,
      'artifact-digest': image.digest ?? ''
    });
    let metadata: Uploaded | undefined;
    if (files.length) {
      metadata = await uploadFiles(`${name}-metadata`, files, commonDir(files), renv, opts);
      core.info(`metadata artifact ${metadata.name}: id ${metadata.id}, ${files.length} files`);
      setBuildOutputs({ 'metadata-artifact-id': String(metadata.id) });
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
  setBuildOutputs({
    'image-path': img.output,
    'image-size': String(img.size),
    'volume-id': img.volumeId,
    sha256: img.digests.sha256,
    sha512: img.digests.sha512 || undefined,
    'checksums-path': sc.checksumPaths.join('\n'),
    'signature-paths': sc.signatures.map(s => s.path).join('\n'),
    'manifest-path': sc.manifestPath ?? ''
  });
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

/** The inputs, and every check of them that can fail before anything is written. */
interface Prepared {
  inputs: ActionInputs;
  config: BuildConfig;
  /** the environment the attestation is made in: GITHUB_TOKEN from the github-token input */
  attestEnv: NodeJS.ProcessEnv;
  /** where the attestation's Sigstore bundle is written (attest: true) */
  bundlePath: string;
}

function prepare(renv: RunnerEnv): Prepared {
  const inputs = readInputs('build', renv);
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
  return { inputs, config, attestEnv, bundlePath: `${path.resolve(config.output)}.sigstore.json` };
}

/** `source-image: artifact:NAME`: that artifact of this run downloaded, as verify's artifact-name is. */
async function fetchSourceImage(config: BuildConfig, renv: RunnerEnv): Promise<BuildConfig> {
  const given = config.sourceImage;
  if (!given?.startsWith(ARTIFACT_PREFIX)) return config;
  const name = given.slice(ARTIFACT_PREFIX.length);
  const why = uploadUnavailable();
  if (why) throw optionError('source-image', `cannot download "${name}": ${why}`);
  await fs.mkdir(renv.temp, { recursive: true });
  const dir = await fs.mkdtemp(path.join(renv.temp, 'isoforge-source-'));
  const image = await core.group('download', () => downloadImage(name, dir, 'source-image'));
  core.info(safeLine(`downloaded artifact ${name} to ${image}`));
  return { ...config, sourceImage: image };
}

async function build(p: Prepared, renv: RunnerEnv, signal?: AbortSignal): Promise<BuildOutcome> {
  const log = actionLogger(renv.workspace);
  const config = await fetchSourceImage(p.config, renv);
  core.info(`isoforge: ${config.sourceImage ?? config.source} → ${config.output}`);
  return runBuild(config, {
    log,
    signal,
    onProgress: actionProgress().sink,
    laterTargets: p.inputs.attest ? [{ path: p.bundlePath, what: 'attestation bundle' }] : []
  });
}

/** The gates, before anything is published: a failure writes the summary, annotates and throws. */
async function checkGates(out: BuildOutcome, p: Prepared, base: BaselineResult): Promise<void> {
  const { inputs } = p;
  if (inputs.maxGrowth && base.size === undefined)
    core.notice('isoforge: max-growth not checked (no baseline)');
  const failed = gateVerdict(out.image, {
    maxSize: p.config.maxSize,
    maxGrowth: inputs.maxGrowth,
    baselineSize: base.size
  });
  if (!failed) return;
  const lines = [...failed.failures.map(g => g.message), `${failed.kept}; ${NOTHING_PUBLISHED}.`];
  if (inputs.summary) await summarize(out, base, {}, undefined, lines);
  // one annotation per gate, with its title; the step's own error only says what became of the image
  for (const g of failed.failures)
    core.error(safeLine(g.message), { title: `isoforge ${g.option.slice(2)}` });
  throw failed;
}

interface Attested {
  /** the bundle file, for the metadata artifact */
  files: string[];
  url: string | undefined;
}

/** attest: true makes the provenance attestation and keeps its bundle beside the image. */
async function attestation(out: BuildOutcome, p: Prepared, renv: RunnerEnv): Promise<Attested> {
  const img = out.image;
  let result: Attested = { files: [], url: out.sidecars.attestationUrl };
  if (p.inputs.attest) {
    const a = await core.group('attest', () =>
      attestImage(path.basename(img.output), img.digests.sha256, renv, p.attestEnv)
    );
    await fs.writeFile(p.bundlePath, JSON.stringify(a.bundle) + '\n');
    core.info(`attestation ${a.id ?? '(not stored)'}: ${a.url ?? ''}`);
    result = { files: [p.bundlePath], url: a.url };
  }
  if (result.url) setBuildOutputs({ 'attestation-url': result.url });
  return result;
}

/** What the metadata artifact holds: checksum files, signatures, the manifest, the attestation bundle. */
function metadataFiles(out: BuildOutcome, attested: Attested): string[] {
  const sc = out.sidecars;
  const files = [...sc.checksumPaths, ...sc.signatures.map(s => s.path)];
  if (sc.manifestPath) files.push(sc.manifestPath);
  return [...files, ...attested.files];
}

/** The upload; its error is kept to be thrown after the summary is written. */
async function upload(
  out: BuildOutcome,
  attested: Attested,
  inputs: ActionInputs,
  renv: RunnerEnv
): Promise<{ pub: Published; error?: unknown }> {
  try {
    return { pub: await publish(out, metadataFiles(out, attested), inputs, renv) };
  } catch (error) {
    return { pub: {}, error };
  }
}

export async function run(signal?: AbortSignal): Promise<void> {
  try {
    const renv = runnerEnv();
    const p = prepare(renv); // bad input fails before anything is written
    const out = await build(p, renv, signal);
    setImageOutputs(out);
    const base = await baseline(out, p.inputs, renv); // only read here (for max-growth)
    await checkGates(out, p, base);
    const attested = await attestation(out, p, renv);
    const uploaded = await upload(out, attested, p.inputs, renv);
    if (base.save && !uploaded.error) await base.save();
    if (p.inputs.summary) await summarize(out, base, uploaded.pub, attested.url, []);
    if (uploaded.error) throw uploaded.error;
  } catch (e) {
    if (e instanceof Error && e.stack) core.debug(e.stack);
    core.setFailed(
      `isoforge: ${e instanceof GateError ? `${e.brief}; ${NOTHING_PUBLISHED}` : forSurface(e, 'action')}`
    );
  }
}
