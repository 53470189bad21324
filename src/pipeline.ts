/**
 * The whole build, as the CLI and the action both run it:
 * config → boot extensions → integrity plan (keys checked before anything is written) → image
 * (one pass, hashes tapped) → sidecars (manifest, checksums, signatures).
 */
import { createBootExtensions } from './boot/index.js';
import type { BuildConfig } from './config.js';
import { buildImage, type ImageResult } from './image/build.js';
import { prepareIntegrity, type Sidecars } from './integrity/index.js';
import { inGroup, type Logger } from './log.js';

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
  onProgress?: (done: number, total: number) => void;
}

export async function runBuild(config: BuildConfig, ctx: RunContext): Promise<BuildOutcome> {
  const started = Date.now();
  const { log } = ctx;
  const extensions = await createBootExtensions(config, log);
  const integrity = await prepareIntegrity(config, log);
  // buildImage reports its own phases (scan, write) through the logger's groups
  const image = await buildImage({
    source: config.source,
    output: config.output,
    volumeId: config.volumeId,
    joliet: config.joliet,
    rockRidge: config.rockRidge,
    epoch: config.epoch,
    extensions,
    log,
    digests: integrity.digests,
    // per-file SHA-256 only feed the manifest: without one, the files are not hashed
    fileDigests: integrity.fileDigests,
    taps: integrity.taps,
    finish: integrity.finish,
    digestJobs: integrity.digestJobs,
    directIo: config.directIo,
    signal: ctx.signal,
    onProgress: ctx.onProgress
  });
  const sidecars = await inGroup(log, 'sign', () => integrity.publish(image));
  return { config, image, sidecars, elapsed: Date.now() - started };
}
