/**
 * The whole build, as the CLI and the action both run it:
 * config → output paths checked (the image and every sidecar; nothing written yet) → boot
 * extensions → integrity plan (keys checked before anything is written) → missing output folders
 * made → image (one pass, hashes tapped) → sidecars (manifest, checksums, signatures).
 * A build that fails leaves nothing: no image, no sidecar, and no folder that it made.
 */
import * as path from 'node:path';
import { createBootExtensions } from './boot/index.js';
import type { BuildConfig } from './config.js';
import { buildImage, checkPaths, labelsOf, type ImageResult } from './image/build.js';
import { checkLabels } from './image/labels.js';
import { CreatedFolders, type Target } from './image/targets.js';
import { prepareIntegrity, sidecarTargets, type Sidecars } from './integrity/index.js';
import { inGroup, inTimed, type Logger } from './log.js';
import type { ProgressSink } from './progress.js';
import { checkRemasterPaths, openRemaster, remasterConfig, type Remaster } from './read/remaster.js';

export interface BuildOutcome {
  config: BuildConfig;
  image: ImageResult;
  sidecars: Sidecars;
  /** milliseconds */
  elapsed: number;
}

export interface RunContext {
  log: Logger;
  signal?: AbortSignal;
  /** scan, write, re-read (implant-md5) and sign, as they go */
  onProgress?: ProgressSink;
  /** files the caller writes beside the image afterwards (the action's attestation bundle): checked with the others */
  laterTargets?: readonly Target[];
}

export async function runBuild(given: BuildConfig, ctx: RunContext): Promise<BuildOutcome> {
  const sidecars = [...sidecarTargets(given), ...(ctx.laterTargets ?? [])];
  if (!given.sourceImage) return build(given, ctx, sidecars);
  // a remaster: the source image read (its ids and boot setup become options), then as any build
  const outputs = [given.output, ...sidecars.map(t => t.path)];
  const remaster = await inTimed(ctx.log, 'read the source image', () =>
    openRemaster(given, outputs, ctx.log)
  );
  try {
    return await build(await remasterConfig(given, remaster.img, ctx.log), ctx, sidecars, remaster);
  } finally {
    await remaster.close();
  }
}

async function build(
  config: BuildConfig,
  ctx: RunContext,
  sidecars: Target[],
  remaster?: Remaster
): Promise<BuildOutcome> {
  const started = Date.now();
  const { log } = ctx;
  // the options first, then the paths
  checkLabels(labelsOf(config));
  const checked = remaster
    ? await checkRemasterPaths(config, sidecars, process.platform)
    : await checkPaths(config.source, config.output, process.platform, sidecars);
  const extensions = await createBootExtensions(config, log);
  const integrity = await prepareIntegrity(config, log);
  const folders = await CreatedFolders.make(
    [config.output, ...sidecars.map(t => t.path)].map(p => path.dirname(path.resolve(p)))
  );
  for (const d of folders.paths) log.debug(`created ${d}`);
  try {
    // buildImage reports its own phases (scan, write) through the logger's groups
    const image = await buildImage({
      source: checked.source,
      tree: remaster,
      output: config.output,
      volumeId: config.volumeId,
      ids: config.ids,
      checked,
      joliet: config.joliet,
      rockRidge: config.rockRidge,
      epoch: config.epoch,
      extensions,
      log,
      digests: integrity.digests,
      fileDigests: integrity.fileDigests,
      taps: integrity.taps,
      finish: integrity.finish,
      digestJobs: integrity.digestJobs,
      directIo: config.directIo,
      signal: ctx.signal,
      onProgress: ctx.onProgress
    });
    const published = await inGroup(log, 'sign', async () => {
      ctx.onProgress?.({ phase: 'sign', done: 0 });
      const s = await integrity.publish(image);
      ctx.onProgress?.({ phase: 'sign', done: 0, total: 0 });
      return s;
    });
    return { config, image, sidecars: published, elapsed: Date.now() - started };
  } catch (e) {
    await folders.remove();
    throw e;
  }
}
