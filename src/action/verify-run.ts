/**
 * The verify action: the inputs of `isoforge verify`; the image may be named by `artifact-name`
 * and downloaded from the current run. Output `result` (pass|fail), a summary table of checks with
 * serial-log tails, the serial logs uploaded when possible; the step fails on `fail`.
 */
import * as core from '@actions/core';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { forSurface, oneLine, optionError } from '../errors.js';
import { runVerify, toVerifyConfig, type VerifyReport } from '../read/verify.js';
import {
  downloadArtifactTo,
  downloadImage,
  uploadFiles,
  uploadUnavailable,
  type Uploaded
} from './artifact.js';
import { readInputs, runnerEnv, type ActionInputs, type RunnerEnv } from './inputs.js';
import { safeLine } from '../text.js';
import { actionLogger } from './logger.js';
import { setVerifyOutputs } from './outputs.js';
import { verifySummaryHtml, writeSummary } from './summary.js';

/** Download the image (and, when there is one, its metadata artifact) of this run. */
async function fetchImage(inputs: ActionInputs, renv: RunnerEnv): Promise<void> {
  const name = inputs.artifactName;
  if (!name) return;
  if (typeof inputs.values['image'] === 'string') {
    throw optionError('artifact-name', 'give either image or artifact-name, not both');
  }
  const why = uploadUnavailable();
  if (why) {
    throw optionError('artifact-name', `cannot download "${name}": ${why}`);
  }
  await fs.mkdir(renv.temp, { recursive: true });
  const dir = await fs.mkdtemp(path.join(renv.temp, 'isoforge-verify-'));
  const image = await core.group('download', () => downloadImage(name, path.join(dir, 'image')));
  inputs.values['image'] = image;
  core.info(safeLine(`downloaded artifact ${name} to ${image}`));
  // the manifest from <name>-metadata, when the build action uploaded one and none was named
  const wantsManifest = inputs.values['manifest'] === true && inputs.values['manifest-file'] === undefined;
  if (wantsManifest && !existsSync(`${image}.manifest.json`)) {
    const metaDir = path.join(dir, 'metadata');
    try {
      await downloadArtifactTo(`${name}-metadata`, metaDir);
      const found = (await fs.readdir(metaDir)).filter(f => f.endsWith('.manifest.json'));
      if (found.length === 1) inputs.values['manifest-file'] = path.join(metaDir, found[0]);
    } catch (e) {
      core.debug(`no metadata artifact ${name}-metadata: ${oneLine(e)}`);
    }
  }
}

/** Keep each serial log as a file and upload them together (verify has no upload input: always). */
async function uploadLogs(
  report: VerifyReport,
  inputs: ActionInputs,
  renv: RunnerEnv
): Promise<Uploaded | undefined> {
  if (!report.serialLogs.length) return undefined;
  const why = uploadUnavailable();
  if (why) {
    core.notice(`isoforge verify: serial logs not uploaded (${why})`);
    return undefined;
  }
  await fs.mkdir(renv.temp, { recursive: true });
  const dir = await fs.mkdtemp(path.join(renv.temp, 'isoforge-serial-'));
  const files: string[] = [];
  for (const s of report.serialLogs) {
    const file = path.join(dir, `${s.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.log`);
    if (s.path && existsSync(s.path)) await fs.copyFile(s.path, file);
    else await fs.writeFile(file, s.tail);
    files.push(file);
  }
  const base = inputs.artifactName ?? path.basename(report.image);
  return core.group('upload', () =>
    uploadFiles(`${base}-verify-metadata`, files, dir, renv, { overwrite: true, retentionDays: undefined })
  );
}

/** The step's outputs: the result, the image and the checks as JSON. */
function setReportOutputs(report: VerifyReport): void {
  setVerifyOutputs({
    result: report.ok ? 'pass' : 'fail',
    'image-path': report.image,
    checks: JSON.stringify(report.checks)
  });
}

/** The serial logs' upload; a failure is a warning, never the step's result. */
async function uploadLogsStep(
  report: VerifyReport,
  inputs: ActionInputs,
  renv: RunnerEnv
): Promise<Uploaded | undefined> {
  try {
    const logs = await uploadLogs(report, inputs, renv);
    if (logs) setVerifyOutputs({ 'metadata-artifact-id': String(logs.id) });
    return logs;
  } catch (e) {
    core.warning(`isoforge verify: serial logs not uploaded: ${oneLine(e)}`);
    return undefined;
  }
}

async function summarize(report: VerifyReport, logs: Uploaded | undefined): Promise<void> {
  await writeSummary(
    verifySummaryHtml({
      image: report.image,
      ok: report.ok,
      checks: report.checks,
      serialLogs: report.serialLogs,
      artifacts: logs ? [{ name: logs.name, url: logs.url }] : []
    })
  );
}

/** One annotation per failed check, and the step fails naming them all. */
function failOnChecks(report: VerifyReport): void {
  if (report.ok) return;
  const failed = report.checks.filter(c => !c.ok);
  // one line each, no control characters: the runner turns %0A back into a line break
  for (const c of failed)
    core.error(safeLine(`${c.name}: ${c.detail}`), { title: safeLine(`isoforge verify: ${c.name}`) });
  core.setFailed(
    safeLine(
      `isoforge verify: fail: ${failed.map(c => `${c.name} (${c.detail})`).join('; ') || 'no check passed'}`
    )
  );
}

export async function runVerifyAction(signal?: AbortSignal): Promise<void> {
  try {
    const renv = runnerEnv();
    const inputs = readInputs('verify', renv);
    await fetchImage(inputs, renv);
    const config = toVerifyConfig(inputs.values);
    const report = await runVerify(config, { log: actionLogger(renv.workspace), signal });
    setReportOutputs(report);
    const logs = await uploadLogsStep(report, inputs, renv);
    if (inputs.summary) await summarize(report, logs);
    failOnChecks(report);
  } catch (e) {
    setVerifyOutputs({ result: 'fail' });
    if (e instanceof Error && e.stack) core.debug(e.stack);
    core.setFailed(`isoforge verify: ${forSurface(e, 'action')}`);
  }
}
