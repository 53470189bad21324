/** The file-level checks of verify: manifest comparison and checksum files. */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { LIMITS, readSmallText } from '../files.js';
import { HashWorker } from '../image/hasher.js';
import { parseManifest } from '../integrity/manifest.js';
import type { Manifest, ManifestEntry } from '../manifest.js';
import { quoted, shown } from '../text.js';
import type { ImageSource } from './source.js';

/** A manifest file from disk, checked for the parts the comparison needs. */
export async function loadManifest(file: string, option = '--manifest-file'): Promise<Manifest> {
  const text = await readSmallText(file, { limit: LIMITS.manifest, what: option, kind: 'a manifest' });
  return parseManifest(text, file);
}

/**
 * Differences between the manifest expected and the one read from the image, one line each,
 * naming the path. `modes` compares permission bits (only meaningful with Rock Ridge).
 */
export function compareManifests(want: Manifest, got: Manifest, modes: boolean): string[] {
  const diffs: string[] = [];
  const have = new Map<string, ManifestEntry>(got.entries.map(e => [e.path, e]));
  for (const w of want.entries) {
    const g = have.get(w.path);
    if (!g) {
      diffs.push(`${shown(w.path)}: missing from the image`);
      continue;
    }
    have.delete(w.path);
    if (g.type !== w.type) {
      diffs.push(`${shown(w.path)}: is a ${g.type}, the manifest says ${w.type}`);
      continue;
    }
    if (w.type === 'file') {
      if (g.size !== w.size) diffs.push(`${shown(w.path)}: ${g.size} bytes, the manifest says ${w.size}`);
      else if (w.sha256 && g.sha256 !== w.sha256)
        diffs.push(`${shown(w.path)}: content differs (SHA-256 ${g.sha256})`);
    }
    if (w.type === 'symlink' && w.target !== undefined && g.target !== w.target) {
      diffs.push(
        `${shown(w.path)}: links to ${quoted(g.target ?? '')}, the manifest says ${quoted(w.target)}`
      );
    }
    if (modes && w.mode && g.mode !== w.mode)
      diffs.push(`${shown(w.path)}: mode ${shown(g.mode)}, the manifest says ${shown(w.mode)}`);
  }
  for (const p of have.keys()) diffs.push(`${shown(p)}: in the image but not in the manifest`);
  diffs.push(...compareLabels(want, got));
  const wantBoot = want.boot?.map(b => b.platform).sort() ?? [];
  const gotBoot = got.boot.map(b => b.platform).sort();
  if (wantBoot.join(',') !== gotBoot.join(',')) {
    diffs.push(
      `boot entries ${shown(gotBoot.join(',')) || 'none'}, the manifest says ${shown(wantBoot.join(',')) || 'none'}`
    );
  }
  return diffs;
}

/** The volume's texts, where the manifest has them (ids are absent from older manifests). */
function compareLabels(want: Manifest, got: Manifest): string[] {
  const pairs: [string, string, string | undefined][] = [['volumeId', got.volumeId, want.volumeId]];
  for (const [k, v] of Object.entries(got.ids ?? {})) {
    pairs.push([k, v, want.ids?.[k as keyof typeof want.ids]]);
  }
  return pairs
    .filter(([, g, w]) => w !== undefined && g !== w)
    .map(([k, g, w]) => `${k} ${quoted(g)}, the manifest says ${quoted(w ?? '')}`);
}

export type ChecksumAlgorithm = 'sha256' | 'sha512';

export interface ChecksumLine {
  algorithm: ChecksumAlgorithm;
  hex: string;
  name: string;
}

const BSD_LINE = /^(SHA256|SHA512) \((.+)\) = ([0-9a-fA-F]+)$/;
const GNU_LINE = /^\\?([0-9a-fA-F]{64}|[0-9a-fA-F]{128}) [ *](.+)$/;

/** GNU (`hex  name`, `hex *name`) and BSD (`SHA256 (name) = hex`) lines; other lines are ignored. */
export function parseChecksums(text: string): ChecksumLine[] {
  const out: ChecksumLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const bsd = BSD_LINE.exec(line);
    if (bsd) {
      const algorithm = bsd[1] === 'SHA256' ? 'sha256' : 'sha512';
      if (bsd[3].length === (algorithm === 'sha256' ? 64 : 128)) {
        out.push({ algorithm, name: bsd[2], hex: bsd[3].toLowerCase() });
      }
      continue;
    }
    const gnu = GNU_LINE.exec(line);
    if (gnu) {
      out.push({
        algorithm: gnu[1].length === 64 ? 'sha256' : 'sha512',
        hex: gnu[1].toLowerCase(),
        name: gnu[2]
      });
    }
  }
  return out;
}

export async function digestImage(
  src: ImageSource,
  algorithm: ChecksumAlgorithm,
  signal?: AbortSignal
): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of src.stream(0, src.size, 'image', signal)) h.update(chunk);
  return h.digest('hex');
}

const readChecksumFile = (file: string) =>
  readSmallText(file, { limit: LIMITS.checksumFile, what: '--checksums-file', kind: 'a checksum file' });

/** The lines of a checksum file that name the image (by its base name; `/` or `\\` before it). */
function linesFor(text: string, image: string): ChecksumLine[] {
  const base = path.basename(image);
  return parseChecksums(text).filter(l => path.posix.basename(l.name.replace(/\\/g, '/')) === base);
}

/** The algorithms of the checksum file's lines for the image; none when the file cannot be read. */
export async function checksumAlgorithms(file: string, image: string): Promise<ChecksumAlgorithm[]> {
  try {
    return [...new Set(linesFor(await readChecksumFile(file), image).map(l => l.algorithm))];
  } catch {
    return [];
  }
}

/**
 * Start hashing the image for the checksum file's lines in a worker thread, so that verify's other
 * checks (the manifest's per-file hashes) run meanwhile on this one. Resolves to undefined when
 * the file cannot be read or the worker fails: checkChecksums then reports or hashes as usual.
 */
export async function prehashForChecksums(
  src: { path: string; size: number },
  file: string,
  signal?: AbortSignal
): Promise<Partial<Record<ChecksumAlgorithm, string>> | undefined> {
  const algorithms = await checksumAlgorithms(file, src.path);
  if (algorithms.length === 0 || signal?.aborted) return undefined;
  let worker: HashWorker | undefined;
  const stop = () => void worker?.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    worker = new HashWorker(algorithms);
    await worker.hashFile(src.path, src.size);
    return (await worker.finish()).digests;
  } catch {
    return undefined;
  } finally {
    signal?.removeEventListener('abort', stop);
    await worker?.close();
  }
}

/** Check the line of a SHA256SUMS/SHA512SUMS file that names the image. */
export async function checkChecksums(
  src: ImageSource,
  file: string,
  signal?: AbortSignal,
  /** digests already made (prehashForChecksums); the others are made here */
  made?: Partial<Record<ChecksumAlgorithm, string>>
): Promise<{ ok: boolean; detail: string }> {
  const text = await readChecksumFile(file);
  const base = path.basename(src.path);
  const lines = linesFor(text, src.path);
  if (lines.length === 0) return { ok: false, detail: `${path.basename(file)} has no line for ${base}` };
  const digests = new Map<ChecksumAlgorithm, string>();
  for (const l of lines) {
    let d = digests.get(l.algorithm);
    if (d === undefined) {
      d = made?.[l.algorithm] ?? (await digestImage(src, l.algorithm, signal));
      digests.set(l.algorithm, d);
    }
    if (d !== l.hex) {
      return {
        ok: false,
        detail: `${l.algorithm.toUpperCase()} of ${base} is ${d}, ${path.basename(file)} says ${l.hex}`
      };
    }
  }
  const algs = [...digests.keys()].map(a => a.toUpperCase()).join(' and ');
  return { ok: true, detail: `${algs} of ${base} match ${path.basename(file)}` };
}
