/**
 * The image writer's entry: options → scan → extensions prepare → plan → one pass to a temporary
 * file beside the output → rename. Nothing is left at the output path on failure.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IsoforgeError, fsError } from '../errors.js';
import { inGroup, silentLogger, type Logger, type ProgressSink } from '../log.js';
import type { Platform } from '../platform.js';
import type { ImageExtension } from './extension.js';
import { DEFAULT_IDS, checkLabels, type VolumeIds, type VolumeLabels } from './labels.js';
import { prepareContext } from './prepare.js';
import { makePlan, type Plan } from './plan.js';
import { scanTree, type ScanResult } from './scan.js';
import { temporaryPath } from './temporaries.js';
import { DigestWorkers, type DigestJob, type DigestJobResult } from './digest-jobs.js';
import type { DigestLookup } from './file-digests.js';
import { ImageOutput } from './output.js';
import { checkTargets, type Target } from './targets.js';
import type { DirNode, FileNode } from './tree.js';
import { writeImage, type Tap } from './write.js';

export type { DigestJob, DigestJobResult } from './digest-jobs.js';

export type DigestName = 'sha256' | 'sha512';

/**
 * A tree that is not a folder's scan (a remaster: an image's tree with overlays and removals).
 * The planner and writer do not know where its bytes come from.
 */
export interface TreeSource {
  /** the tree, its dates `epoch` when set (as the scan's) */
  scan(o: { epoch?: number; log: Logger; platform: Platform }): Promise<ScanResult>;
  /** after the image is written, before it is renamed into place: throws if an input changed */
  unchanged(): Promise<void>;
}

export interface ImageOptions {
  /** the source folder, or what `tree` is made from (its messages name it) */
  source: string;
  /** the tree, when it is not the scan of `source` (the caller checks its paths: `checked`) */
  tree?: TreeSource;
  output: string;
  volumeId: string;
  /** the other texts of the volume descriptors (labels.ts); default DEFAULT_IDS */
  ids?: VolumeIds;
  /**
   * The volume's texts and these paths (checkPaths' result) were checked by the caller; without it,
   * buildImage checks them itself.
   */
  checked?: { source: string; output: string };
  joliet: boolean;
  rockRidge: boolean;
  /** seconds; every date in the image. Undefined: volume dates now, file dates their mtimes. */
  epoch?: number;
  extensions?: readonly ImageExtension[];
  log?: Logger;
  platform?: Platform;
  /** digests of the whole image computed while it is written (default sha256; [] for none) */
  digests?: readonly DigestName[];
  /** extra taps on the image bytes (e.g. a streaming signer) */
  taps?: readonly Tap[];
  /** per-file SHA-256 from the same reads (for the manifest); default true */
  fileDigests?: boolean;
  signal?: AbortSignal;
  /** progress of the scan, the write (once per window) and `finish` (the implant-md5 re-read) */
  onProgress?: ProgressSink;
  /** write around the page cache where the platform can (default true; see output.ts) */
  directIo?: boolean;
  /** bytes of the image per window (default WINDOW; tests use small ones to cross boundaries) */
  windowSize?: number;
  /** who reads the files (see write.ts and io-tuning.ts; tests choose 'pool' to cover the cold-disk path) */
  reads?: 'sync' | 'pool';
  /**
   * Runs on the complete temporary file before it is renamed into place (implanted MD5).
   * Returns replacement digests when it changed bytes.
   */
  finish?: (
    tmpPath: string,
    plan: Plan,
    written: { direct: boolean; onProgress?: ProgressSink }
  ) => Promise<Partial<Record<DigestName, string>> | void>;
  /**
   * More digests of the image made in the same pass (a signature's: OpenPGP's continued SHA-256,
   * minisign's BLAKE2b-512 prehash); results in ImageResult.jobs. A job whose algorithm is among
   * `digests` is answered by that worker; the others share a hash worker of their own, so a slow
   * one is not in the way of the rest. Not made when the image is hashed by `finish` instead.
   */
  digestJobs?: readonly DigestJob[];
}

export interface ImageResult {
  output: string;
  size: number;
  digests: Partial<Record<DigestName, string>> & { sha256: string };
  /** the results of ImageOptions.digestJobs */
  jobs: Map<DigestJob, DigestJobResult>;
  fileDigests: DigestLookup;
  plan: Plan;
  root: DirNode;
  scan: ScanResult;
  epoch: number;
  volumeId: string;
  ids: VolumeIds;
}

/**
 * The source (a folder) and every path the build writes: the output and `sidecars` must be
 * outside the source tree and, where they exist, regular files (targets.ts). Writes nothing; a
 * missing output folder is fine (the pipeline makes it).
 */
export async function checkPaths(
  source: string,
  output: string,
  platform: Platform,
  sidecars: readonly Target[] = []
): Promise<{ source: string; output: string }> {
  let src: string;
  try {
    src = await fs.realpath(path.resolve(source));
  } catch (e) {
    throw fsError(e, source, 'source');
  }
  const st = await fs.stat(src);
  if (!st.isDirectory()) throw new IsoforgeError(`source ${source}: not a directory`, { subject: source });
  await checkTargets(src, source, [{ path: output, what: 'output' }, ...sidecars], platform);
  return { source: src, output: path.resolve(output) };
}

/** The six texts of the volume descriptors, as `o` gives them. */
export function labelsOf(o: { volumeId: string; ids?: VolumeIds }): VolumeLabels {
  return { ...(o.ids ?? DEFAULT_IDS), volumeId: o.volumeId };
}

export async function buildImage(o: ImageOptions): Promise<ImageResult> {
  const platform = o.platform ?? process.platform;
  // the pipeline checks them first, with the sidecars' paths too, and hands over what it found
  if (!o.checked) checkLabels(labelsOf(o));
  const paths = o.checked ?? (await checkPaths(o.source, o.output, platform));
  // two workers on two cores: one digests the image, one the files (each ~1.7 GB/s of SHA-256),
  // and they take turns reading the files into the windows; a third only for digest jobs the first
  // does not compute. They start now, so their start-up overlaps the scan and the plan.
  const algorithms = [...new Set<DigestName>(o.digests ?? ['sha256'])];
  const workers = new DigestWorkers(algorithms, o.fileDigests !== false, o.digestJobs ?? []);
  try {
    return await scanPlanWrite(o, paths, platform, workers);
  } catch (e) {
    await workers.close();
    throw e;
  }
}

async function scanPlanWrite(
  o: ImageOptions,
  paths: { source: string; output: string },
  platform: Platform,
  workers: DigestWorkers
): Promise<ImageResult> {
  const log = o.log ?? silentLogger;
  const now = Math.floor(Date.now() / 1000);
  const epoch = o.epoch ?? now;
  const scan = await inGroup(log, 'scan', async () => {
    o.onProgress?.({ phase: 'scan', done: 0 });
    const r = o.tree
      ? await o.tree.scan({ epoch: o.epoch, log, platform })
      : await scanTree({ source: paths.source, epoch: o.epoch, log, platform });
    o.onProgress?.({ phase: 'scan', done: r.bytes, total: r.bytes, files: r.files });
    return r;
  });
  const root = scan.root;
  const extensions = o.extensions ?? [];
  const order = new Map<FileNode, number>();

  const ctx = prepareContext(root, { log, epoch, platform, source: paths.source }, order);
  for (const e of extensions) await e.prepare?.(ctx);

  const plan = await inGroup(log, 'plan', async () =>
    makePlan(root, {
      labels: labelsOf(o),
      joliet: o.joliet,
      rockRidge: o.rockRidge,
      epoch,
      extensions,
      order,
      log
    })
  );

  return inGroup(log, 'write', async () => {
    const { digests, jobs, fileDigests } = await writeAndHash(o, plan, paths.output, platform, workers);
    return {
      output: paths.output,
      size: plan.imageSize,
      digests,
      jobs,
      fileDigests,
      plan,
      root,
      scan,
      epoch,
      volumeId: o.volumeId,
      ids: o.ids ?? DEFAULT_IDS
    };
  });
}

/**
 * The pass: the image to a temporary file beside `output`, its digests, `finish` (implanted MD5),
 * then the rename; nothing is left at either path on failure.
 */
async function writeAndHash(
  o: ImageOptions,
  plan: Plan,
  output: string,
  platform: Platform,
  workers: DigestWorkers
): Promise<Pick<ImageResult, 'digests' | 'jobs' | 'fileDigests'>> {
  const tmp = temporaryPath(output);
  let out: ImageOutput | undefined;
  let direct: boolean | undefined;
  try {
    try {
      out = ImageOutput.open(tmp, { direct: o.directIo, platform });
    } catch (e) {
      throw fsError(e, output, 'cannot write output');
    }
    o.onProgress?.({ phase: 'write', done: 0, total: plan.imageSize });
    try {
      await writeImage(plan, {
        out,
        taps: o.taps,
        hashers: workers.hashers,
        signal: o.signal,
        onProgress: done => o.onProgress?.({ phase: 'write', done, total: plan.imageSize }),
        windowSize: o.windowSize,
        reads: o.reads
      });
      const written = out;
      out = undefined;
      direct = written.isDirect;
      await written.close(plan.imageSize);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') throw fsError(e, output, 'cannot write output');
      throw e;
    }
    const hashed = await workers.finish();
    const digests = { sha256: '', ...hashed.digests } as ImageResult['digests'];
    const replaced = await o.finish?.(tmp, plan, { direct: direct === true, onProgress: o.onProgress });
    if (replaced) Object.assign(digests, replaced);
    await o.tree?.unchanged();
    await fs.rename(tmp, output);
    return { digests, jobs: hashed.jobs, fileDigests: hashed.fileDigests };
  } catch (e) {
    out?.abandon();
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
