/**
 * `verify`: read an image (hostile-safe) and run the checks asked for. The library API the CLI and
 * the verify action share. Each check yields one row: name, pass/fail, reason.
 */
import { promises as fs } from 'node:fs';
import { IsoforgeError, fsError, oneLine, optionError } from '../errors.js';
import { inTimed, type Logger } from '../log.js';
import type { Manifest } from '../manifest.js';
import { optionReader } from '../option-values.js';
import { defaultValue, type OptionValues } from '../options.js';
import { runBootTests } from './boottest.js';
import { checkExpectBoot } from './expect-boot.js';
import {
  checkChecksums,
  checksumAlgorithms,
  compareManifests,
  loadManifest,
  prehashForChecksums
} from './checks.js';
import { forEachNode, readImage, type IsoImage } from './image.js';
import { hashImageOnce, startPassWorker, type ImagePass } from './image-pass.js';
import { readManifest } from './manifest.js';
import { checkImplantedMd5 } from './md5.js';
import { verifyMinisign, verifyOpenPgp } from './signature.js';
import { quoted, shown } from '../text.js';
import { ImageSource } from './source.js';

/** Bounds of boot-memory, in MiB: less does not start SeaBIOS or OVMF, more than 64 GiB is a typo. */
const MIN_BOOT_MEMORY_MIB = 64;
const MAX_BOOT_MEMORY_MIB = 65536;

export interface VerifyConfig {
  image: string;
  /** `bios`, `uefi:partition`… (src/read/expect-boot.ts) */
  expectBoot: string[];
  manifest: boolean;
  manifestFile?: string;
  checksumsFile?: string;
  gpgPublicKey?: string;
  minisignPublicKey?: string;
  signature?: string;
  maxSize?: number;
  bootTest: ('bios' | 'uefi')[];
  bootMedia: ('cd' | 'disk')[];
  bootMarker?: string;
  bootTimeout: number;
  /** MiB of guest memory */
  bootMemory: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  image: string;
  checks: CheckResult[];
  manifest?: Manifest;
  /** per boot test: the kept log, its last lines and the QEMU accelerator it ran under */
  serialLogs: { name: string; path?: string; tail: string; accel?: 'kvm' | 'tcg' }[];
}

/** `values`: resolved values (src/options.ts); one not given is the schema's default. */
export function toVerifyConfig(values: OptionValues): VerifyConfig {
  const o = optionReader('verify', values);
  const image = o.text('image');
  if (!image) throw optionError('image', 'required (the ISO image to verify)');
  const bootTest = o.items('boot-test') as VerifyConfig['bootTest'];
  const bootMarker = o.text('boot-marker');
  if (bootTest.length > 0 && !bootMarker) {
    throw optionError(
      'boot-marker',
      'required with --boot-test (text the boot prints on the serial console or the screen)'
    );
  }
  const gpgPublicKey = o.text('gpg-public-key');
  const minisignPublicKey = o.text('minisign-public-key');
  const signature = o.text('signature');
  if (signature && !gpgPublicKey && !minisignPublicKey) {
    throw optionError('signature', 'needs --gpg-public-key or --minisign-public-key');
  }
  if (signature && gpgPublicKey && minisignPublicKey) {
    throw optionError(
      'signature',
      'ambiguous with both --gpg-public-key and --minisign-public-key (leave it out: <image>.asc and <image>.minisig are used)'
    );
  }
  const manifestFile = o.text('manifest-file');
  const media = o.items('boot-media') as VerifyConfig['bootMedia'];
  const timeout = o.count('boot-timeout') ?? 0;
  if (timeout < 1) throw optionError('boot-timeout', 'must be at least 1 second');
  const memory = o.count('boot-memory') ?? 0;
  if (memory < MIN_BOOT_MEMORY_MIB || memory > MAX_BOOT_MEMORY_MIB)
    throw optionError(
      'boot-memory',
      `${memory} is not between ${MIN_BOOT_MEMORY_MIB} and ${MAX_BOOT_MEMORY_MIB} MiB`
    );
  return {
    image,
    expectBoot: [...new Set(o.items('expect-boot'))],
    manifest: o.flag('manifest') || manifestFile !== undefined,
    manifestFile,
    checksumsFile: o.text('checksums-file'),
    gpgPublicKey,
    minisignPublicKey,
    signature,
    maxSize: o.count('max-size'),
    bootTest: [...new Set(bootTest)],
    bootMedia: [
      ...new Set(media.length > 0 ? media : (defaultValue('verify', 'boot-media') as string[]))
    ] as VerifyConfig['bootMedia'],
    bootMarker,
    bootTimeout: timeout,
    bootMemory: memory
  };
}

/** Inputs that must exist, checked before any work (one-line error naming the option). */
async function checkInputs(c: VerifyConfig): Promise<void> {
  try {
    const st = await fs.stat(c.image);
    if (!st.isFile()) throw new IsoforgeError(`--image ${c.image}: not a regular file`, { subject: c.image });
  } catch (e) {
    throw fsError(e, c.image, '--image');
  }
  const need = async (file: string | undefined, option: string) => {
    if (file === undefined) return;
    try {
      await fs.access(file);
    } catch (e) {
      throw fsError(e, file, option);
    }
  };
  await need(c.manifest ? (c.manifestFile ?? `${c.image}.manifest.json`) : undefined, '--manifest-file');
  await need(c.checksumsFile, '--checksums-file');
  if (c.gpgPublicKey) await need(c.signature ?? `${c.image}.asc`, '--signature');
  if (c.minisignPublicKey) await need(c.signature ?? `${c.image}.minisig`, '--signature');
}

function structureDetail(img: IsoImage): string {
  let files = 0;
  let dirs = 0;
  forEachNode(img.tree.root, n => {
    if (n.kind === 'file') files++;
    else if (n.kind === 'dir') dirs++;
  });
  const parts = [
    `volume ${quoted(img.pvd.volumeId)}`,
    `${img.volumeBlocks} blocks`,
    `${files} files, ${dirs - 1} directories`,
    img.tree.namespace === 'rockridge'
      ? 'Rock Ridge'
      : img.tree.namespace === 'joliet'
        ? 'Joliet'
        : 'ISO 9660 names',
    img.joliet && img.tree.namespace !== 'joliet' ? 'Joliet' : undefined,
    img.boot ? `El Torito (${img.boot.entries.map(e => e.platform).join(', ') || 'no entries'})` : undefined,
    img.partitions.length ? `${img.partitions.length} partitions` : undefined
  ];
  return parts.filter(Boolean).join(', ');
}

export async function runVerify(
  config: VerifyConfig,
  ctx: { log: Logger; signal?: AbortSignal }
): Promise<VerifyReport> {
  await checkInputs(config);
  const checks: CheckResult[] = [];
  const report: VerifyReport = { ok: false, image: config.image, checks, serialLogs: [] };
  const add = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    ctx.log.info(`${ok ? 'pass' : 'FAIL'} ${name}: ${detail}`);
  };
  // Guarded: a check that throws on hostile content fails with the reason; others still run.
  const guarded = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof IsoforgeError && e.code === 'EBADISO') add(name, false, oneLine(e));
      else throw e;
    }
  };

  // with the manifest and a checksum file, one pass makes both; its worker starts before the walk
  const passAlgorithms =
    config.manifest && config.checksumsFile
      ? await checksumAlgorithms(config.checksumsFile, config.image)
      : [];
  let passWorker = startPassWorker(passAlgorithms);
  let img: IsoImage | undefined;
  try {
    img = await inTimed(ctx.log, 'read the structures', () => readImage(config.image));
  } catch (e) {
    await passWorker?.close();
    passWorker = undefined;
    if (!(e instanceof IsoforgeError)) throw e;
    add('structure', false, oneLine(e));
  }
  // without the manifest's check, the image digests for the checksum file are made in a worker
  // thread meanwhile (the implanted MD5 takes this one); stopped if verify ends first. With it, one
  // read of the image makes both (pass)
  const done = new AbortController();
  let pass: ImagePass | undefined;
  const prehash =
    img && config.checksumsFile && !config.manifest
      ? prehashForChecksums(
          img.source,
          config.checksumsFile,
          ctx.signal ? AbortSignal.any([ctx.signal, done.signal]) : done.signal
        )
      : undefined;
  try {
    if (img) {
      const i = img;
      add(
        'structure',
        i.problems.length === 0,
        i.problems.length === 0 ? structureDetail(i) : summarize(i.problems)
      );
      if (i.md5) {
        await guarded('implanted MD5', async () => {
          const r = await checkImplantedMd5(i.source, i.md5!, i.volumeBlocks, ctx.signal);
          add('implanted MD5', r.ok, r.detail);
        });
      }
    }
    if (config.expectBoot.length > 0) {
      const entries = img?.boot?.entries ?? [];
      if (!img) add('expect-boot', false, 'the image could not be read');
      else {
        const r = checkExpectBoot(config.expectBoot, entries, shown);
        add('expect-boot', r.ok, r.detail);
      }
    }
    if (config.manifest) {
      const file = config.manifestFile ?? `${config.image}.manifest.json`;
      const want = await inTimed(ctx.log, 'load the manifest', () => loadManifest(file));
      if (!img) add('manifest', false, 'the image could not be read');
      else {
        const i = img;
        await guarded('manifest', async () => {
          const worker = passWorker;
          passWorker = undefined; // the pass closes it
          pass = await inTimed(ctx.log, 'one pass: the digests', () =>
            hashImageOnce(i, passAlgorithms, { signal: ctx.signal, worker })
          );
          const files = pass.files;
          const got = await inTimed(ctx.log, 'the manifest of the image', () =>
            readManifest(i, { signal: ctx.signal, digests: files })
          );
          report.manifest = got;
          const diffs = compareManifests(want, got, i.tree.namespace === 'rockridge');
          add(
            'manifest',
            diffs.length === 0,
            diffs.length === 0 ? `${got.entries.length} entries and their SHA-256 match` : summarize(diffs)
          );
        });
      }
    } else if (img) {
      // the manifest without hashes, for the summary
      report.manifest = await readManifest(img, { hash: false });
    }
    if (config.checksumsFile) {
      const file = config.checksumsFile;
      const src = img?.source ?? (await ImageSource.open(config.image));
      try {
        const r = await checkChecksums(src, file, ctx.signal, pass?.digests ?? (await prehash));
        add('checksums', r.ok, r.detail);
      } finally {
        if (!img) await src.close();
      }
    }
    if (config.gpgPublicKey) {
      const sig = config.signature ?? `${config.image}.asc`;
      const r = await verifyOpenPgp(config.image, config.gpgPublicKey, sig);
      add('signature (OpenPGP)', r.ok, r.detail);
    }
    if (config.minisignPublicKey) {
      const sig = config.signature ?? `${config.image}.minisig`;
      const r = await verifyMinisign(config.image, config.minisignPublicKey, sig);
      add('signature (minisign)', r.ok, r.detail);
    }
    if (config.maxSize !== undefined) {
      const size = img?.size ?? (await fs.stat(config.image)).size;
      add('max-size', size <= config.maxSize, `${size} bytes, limit ${config.maxSize}`);
    }
    if (config.bootTest.length > 0) {
      const results = await runBootTests(
        config.image,
        config.bootTest,
        config.bootMedia,
        config.bootMarker as string,
        { timeoutSeconds: config.bootTimeout, memoryMiB: config.bootMemory },
        ctx
      );
      for (const r of results) {
        add(r.name, r.ok, r.detail);
        report.serialLogs.push({ name: r.name, path: r.serialLog, tail: r.tail, accel: r.accel });
      }
    }
  } finally {
    done.abort();
    await passWorker?.close();
    await prehash;
    await img?.source.close();
  }
  report.ok = checks.every(c => c.ok);
  return report;
}

/** The first few problems and how many more. */
function summarize(items: string[], max = 3): string {
  const head = items.slice(0, max).join('; ');
  return items.length > max ? `${head}; and ${items.length - max} more` : head;
}
