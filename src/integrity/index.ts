/**
 * Integrity: digests while writing, checksum files, manifest, implanted MD5, signatures.
 * The pipeline calls prepareIntegrity() before the image is written (options checked, keys read,
 * decrypted and validated there, so a bad key fails before any output) and publish() after: every
 * sidecar is written to a temporary file first and renamed into place only when all are ready.
 */
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BuildConfig } from '../config.js';
import { fsError, optionError } from '../errors.js';
import { LIMITS, readSmallText } from '../files.js';
import type { DigestJob, DigestName, ImageOptions, ImageResult } from '../image/build.js';
import type { Target } from '../image/targets.js';
import { temporaryPath, trackTemporary } from '../image/temporaries.js';
import type { Tap } from '../image/write.js';
import type { Logger } from '../log.js';
import type { Manifest } from '../manifest.js';
import { SUMS_FILE, mergeChecksumFile, type ChecksumFormat } from './checksums.js';
import { Md5Tap, hashFile, implantIsoMd5 } from './isomd5.js';
import { buildManifest, manifestChunks } from './manifest.js';
import { blake2b512, loadMinisignKey, minisignSignature, type MinisignKey } from './minisign.js';
import type { OpenPgpKey, openPgpSign } from './openpgp.js';
import { signatureFromDigest, signatureHead, signatureSuffix } from './pgp-packet.js';

export { buildManifest, parseManifest, serializeManifest } from './manifest.js';
export { formatChecksumLine, checksumLineName, mergeChecksumFile } from './checksums.js';

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
  /** what the signatures need of the image's bytes, made while it is written */
  digestJobs: DigestJob[];
  /** every file's SHA-256 from the same reads: the manifest needs them */
  fileDigests: boolean;
  publish(result: ImageResult): Promise<Sidecars>;
}

const CHECKSUM_NAMES: readonly DigestName[] = ['sha256', 'sha512'];

/** The checksum files asked for (`--checksums`), each once; an unknown name is refused. */
function checksumsOf(config: BuildConfig): DigestName[] {
  const sums: DigestName[] = [];
  for (const c of config.checksums) {
    const n = String(c).trim().toLowerCase() as DigestName;
    if (!CHECKSUM_NAMES.includes(n)) {
      throw optionError('checksums', `"${c}" is not one of ${CHECKSUM_NAMES.join(', ')}`);
    }
    if (!sums.includes(n)) sums.push(n);
  }
  return sums;
}

/** Where each sidecar of the image `output` goes (one spelling, for publish and the checks). */
export const sidecarPath = {
  manifest: (output: string): string => `${output}.manifest.json`,
  checksums: (output: string, alg: DigestName): string => path.join(path.dirname(output), SUMS_FILE[alg]),
  signature: (signed: string, kind: SignatureInfo['kind']): string =>
    `${signed}${kind === 'openpgp' ? '.asc' : '.minisig'}`
};

/**
 * Every sidecar path a build with `config` may write (the manifest, checksum files, signatures of
 * the image and of each checksum file), so they are checked before anything is written.
 */
export function sidecarTargets(config: BuildConfig): Target[] {
  const output = path.resolve(config.output);
  const kinds: SignatureInfo['kind'][] = [];
  if (config.gpgPrivateKey !== undefined) kinds.push('openpgp');
  if (config.minisignPrivateKey !== undefined) kinds.push('minisign');
  const signed = [output];
  const out: Target[] = [];
  if (config.manifest) out.push({ path: sidecarPath.manifest(output), what: 'manifest' });
  for (const alg of checksumsOf(config)) {
    const file = sidecarPath.checksums(output, alg);
    out.push({ path: file, what: 'checksum file' });
    signed.push(file);
  }
  for (const file of signed)
    for (const k of kinds) out.push({ path: sidecarPath.signature(file, k), what: 'signature' });
  return out;
}

function checkOptions(config: BuildConfig, log: Logger): { sums: DigestName[]; format: ChecksumFormat } {
  const sums = checksumsOf(config);
  const format = config.checksumFormat;
  if (format !== 'gnu' && format !== 'bsd') {
    throw optionError('checksum-format', `"${String(format)}" is not one of gnu, bsd`);
  }
  if (config.gpgPassphrase !== undefined && config.gpgPrivateKey === undefined)
    log.warn(
      '--gpg-passphrase is given without --gpg-private-key; nothing is signed with OpenPGP',
      '--gpg-passphrase'
    );
  if (config.minisignPassword !== undefined && config.minisignPrivateKey === undefined)
    log.warn(
      '--minisign-password is given without --minisign-private-key; nothing is signed with minisign',
      '--minisign-password'
    );
  return { sums, format };
}

/** Temporary files beside their targets, renamed into place together (or all removed). */
class Staging {
  private readonly files: { tmp: string; target: string }[] = [];

  async add(target: string, content: string | Iterable<string>): Promise<void> {
    const tmp = temporaryPath(target);
    this.files.push({ tmp, target });
    trackTemporary(tmp);
    try {
      await fs.writeFile(tmp, content, { flag: 'wx', mode: 0o644 });
    } catch (e) {
      throw fsError(e, target, 'cannot write');
    }
  }

  async commit(): Promise<void> {
    for (const f of this.files) {
      try {
        await fs.rename(f.tmp, f.target);
      } catch (e) {
        throw fsError(e, f.target, 'cannot write');
      }
    }
    this.files.length = 0;
  }

  async abort(): Promise<void> {
    await Promise.all(this.files.map(f => fs.rm(f.tmp, { force: true }).catch(() => undefined)));
    this.files.length = 0;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readSmallText(file, {
      limit: LIMITS.checksumFile,
      what: 'cannot read',
      kind: 'a checksum file'
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(e, file, 'cannot read');
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false
  );
}

export async function prepareIntegrity(config: BuildConfig, log: Logger): Promise<IntegrityPlan> {
  const { sums, format } = checkOptions(config, log);
  const imageDigests: DigestName[] = sums.includes('sha512') ? ['sha256', 'sha512'] : ['sha256'];

  let pgp: OpenPgpKey | undefined;
  let pgpSign: typeof openPgpSign | undefined;
  if (config.gpgPrivateKey !== undefined) {
    // openpgp.js is loaded only when a key is given (it adds ~50 ms and ~17 MB to every start)
    const module = await import('./openpgp.js');
    pgpSign = module.openPgpSign;
    pgp = await module.loadOpenPgpKey(config.gpgPrivateKey, config.gpgPassphrase);
    log.info(`OpenPGP key ${pgp.fingerprint} (signing key ${pgp.signingFingerprint})`);
  }
  let mini: MinisignKey | undefined;
  if (config.minisignPrivateKey !== undefined) {
    log.debug('minisign: deriving the key from its password (scrypt, ~1 GiB, several seconds)');
    mini = await loadMinisignKey(config.minisignPrivateKey, config.minisignPassword);
    log.info(`minisign key ${mini.keyId}`);
  }

  const implant = config.implantMd5;
  const md5 = implant ? new Md5Tap() : undefined;
  const signDate = (): Date => new Date();
  // what the signatures need of the image's bytes. minisign: a BLAKE2b-512 prehash, made by a hash
  // worker of its own while writing (or, with implant-md5, by the re-read). OpenPGP v4: the SHA-256
  // of the image followed by the signature's hashed part, which is the image digest continued (by
  // the hash worker, or the re-read's hash), so the signature costs no pass of its own.
  const blake = mini && implant ? createHash('blake2b512') : undefined;
  const signTaps: Tap[] = blake ? [blake] : [];
  const raw = pgp?.raw;
  let imageSig: { head: Buffer; digest?: Buffer } | undefined;
  const continuations = raw
    ? () => {
        imageSig = { head: signatureHead(raw, signDate()) };
        return [signatureSuffix(imageSig.head)];
      }
    : undefined;
  const pgpJob: DigestJob | undefined = continuations && { algorithm: 'sha256', continueWith: continuations };
  const miniJob: DigestJob | undefined = mini ? { algorithm: 'blake2b512' } : undefined;

  const finish: ImageOptions['finish'] | undefined = md5
    ? async (tmp, plan, written) => {
        const r = md5.result();
        await implantIsoMd5(tmp, r);
        // the second read, in this mode only: the image digests must cover the implanted bytes
        const hashes = new Map<string, Hash>(imageDigests.map(d => [d, createHash(d)]));
        const total = plan.imageSize;
        const progress = written.onProgress;
        progress?.({ phase: 're-read', done: 0, total });
        const reread = await hashFile(tmp, [...hashes.values(), ...signTaps], written.direct, done =>
          progress?.({ phase: 're-read', done, total })
        );
        const [suffix] = continuations?.() ?? [];
        if (suffix) imageSig!.digest = hashes.get('sha256')!.copy().update(suffix).digest();
        log.info(
          `implanted MD5 ${r.md5} (checkisomd5), covering ${r.covered} bytes; image re-read for its digests` +
            (reread.direct ? ' (around the page cache)' : '')
        );
        return Object.fromEntries([...hashes].map(([k, h]) => [k, h.digest('hex')]));
      }
    : undefined;

  return {
    digests: implant ? [] : imageDigests,
    taps: md5 ? [md5] : signTaps,
    finish,
    digestJobs: implant ? [] : [pgpJob, miniJob].filter((j): j is DigestJob => !!j),
    // per-file SHA-256 only feed the manifest: without one, the files are not hashed
    fileDigests: config.manifest,
    async publish(result) {
      const staging = new Staging();
      const signatures: SignatureInfo[] = [];
      const checksumPaths: string[] = [];
      const name = path.basename(result.output);
      try {
        const manifest = buildManifest(result, { md5Implanted: implant });
        let manifestPath: string | undefined;
        let entryCount = 0;
        if (config.manifest) {
          manifestPath = sidecarPath.manifest(result.output);
          // written as it is made: the text of a large tree's manifest is never held whole
          const chunks = manifestChunks(manifest, undefined, n => (entryCount = n));
          await staging.add(manifestPath, chunks);
        }
        const imageDigest = imageSig?.digest ?? (pgpJob && result.jobs.get(pgpJob)?.continued[0]);
        const signBytes = async (subject: string, target: string, content: Buffer | undefined) => {
          if (pgp && pgpSign) {
            const sig =
              !content && raw && imageSig && imageDigest
                ? signatureFromDigest(raw, imageSig.head, imageDigest)
                : await pgpSign(pgp, content ?? { file: target }, signDate());
            const file = sidecarPath.signature(target, 'openpgp');
            await staging.add(file, sig);
            signatures.push({ kind: 'openpgp', subject, path: file, keyId: pgp.fingerprint });
          }
          if (mini) {
            const h = content
              ? blake2b512(content)
              : (blake?.digest() ?? (miniJob && result.jobs.get(miniJob)?.digest));
            if (!h) throw new Error('internal: the BLAKE2b-512 of the image was not computed');
            const sig = minisignSignature(mini, h, path.basename(target), result.epoch);
            const file = sidecarPath.signature(target, 'minisign');
            await staging.add(file, sig);
            signatures.push({ kind: 'minisign', subject, path: file, keyId: mini.keyId });
          }
        };
        await signBytes(result.output, result.output, undefined);
        for (const alg of sums) {
          const hex = result.digests[alg];
          if (!hex) throw new Error(`${alg} of the image was not computed`);
          const file = sidecarPath.checksums(result.output, alg);
          const text = mergeChecksumFile(await readIfExists(file), alg, hex, name, format);
          await staging.add(file, text);
          checksumPaths.push(file);
          await signBytes(file, file, Buffer.from(text, 'utf8'));
        }
        for (const file of [result.output, ...checksumPaths]) {
          for (const [kind, given] of [
            ['openpgp', pgp],
            ['minisign', mini]
          ] as const) {
            const sig = sidecarPath.signature(file, kind);
            if (!given && (await exists(sig))) {
              log.warn(`${sig} no longer matches ${path.basename(file)} (this build did not sign it)`, sig);
            }
          }
        }
        await staging.commit();
        // the callers list what was written (CLI lines, action summary): details only under --debug
        if (manifestPath) log.debug(`manifest ${manifestPath} (${entryCount} entries)`);
        for (const p of checksumPaths)
          log.debug(`${path.basename(p)}: ${name} ${format === 'bsd' ? '(BSD format)' : ''}`.trim());
        for (const s of signatures) log.debug(`${s.kind} signature ${s.path} (key ${s.keyId})`);
        return { manifest, manifestPath, checksumPaths, signatures };
      } catch (e) {
        await staging.abort();
        // a build that failed publishes nothing: the image goes too
        await fs.rm(result.output, { force: true }).catch(() => undefined);
        throw e;
      }
    }
  };
}
