/**
 * Manifest (schema isoforge-manifest/1, docs/manifest.md): building it from an image result, a
 * deterministic serialization made for line diffs (fixed key order, one boot entry, partition or
 * tree entry per line) and a validating parser shared by the reader and the action.
 */
import * as path from 'node:path';
import { IsoforgeError } from '../errors.js';
import type { ImageResult } from '../image/build.js';
import { MANIFEST_SCHEMA, treeEntries, type Manifest, type ManifestEntry } from '../manifest.js';
import { VERSION } from '../version.js';

/** A manifest's entries made one at a time from the tree, while its `entries` list is not made. */
const ENTRIES = Symbol('manifest entries, in order, on demand');

/**
 * The manifest of a build. Its `entries` are made from the tree when first read: writing the
 * manifest (manifestChunks) goes through them one at a time instead, so a build of many files
 * never holds them all.
 */
export function buildManifest(result: ImageResult, opts: { md5Implanted?: boolean } = {}): Manifest {
  const boot: Manifest['boot'] = [];
  const partitions: Manifest['partitions'] = [];
  for (const e of result.plan.extensions) {
    const d = e.describe?.(result.plan);
    if (d?.boot) boot.push(...d.boot);
    if (d?.partitions) partitions.push(...d.partitions);
  }
  const image: Manifest['image'] = { name: path.basename(result.output), size: result.size };
  if (result.digests.sha256) image.sha256 = result.digests.sha256;
  if (result.digests.sha512) image.sha512 = result.digests.sha512;
  if (opts.md5Implanted) image.md5Implanted = true;
  let entries: ManifestEntry[] | undefined;
  const stream = () => treeEntries(result.root, result.fileDigests);
  const m: Manifest = {
    schema: MANIFEST_SCHEMA,
    tool: { name: 'isoforge', version: VERSION },
    volumeId: result.volumeId,
    ids: result.ids,
    epoch: result.epoch,
    image,
    boot,
    partitions,
    get entries() {
      return (entries ??= Array.from(stream()));
    },
    set entries(list) {
      entries = list;
    }
  };
  Object.defineProperty(m, ENTRIES, { value: () => (entries ? undefined : stream()) });
  return m;
}

/**
 * The entries of a manifest from buildManifest, made one at a time; undefined for any other
 * manifest, or once its `entries` list is made.
 */
function lazyEntries(m: Manifest): Iterable<ManifestEntry> | undefined {
  return (m as { [ENTRIES]?: () => Iterable<ManifestEntry> | undefined })[ENTRIES]?.();
}

// Key order of every object in the file; keys not listed follow in code-unit order.
const TOP = ['schema', 'tool', 'volumeId', 'ids', 'epoch', 'image', 'boot', 'partitions', 'entries'];
const ORDER: Record<string, readonly string[]> = {
  tool: ['name', 'version'],
  ids: ['systemId', 'volumeSetId', 'publisherId', 'preparerId', 'applicationId'],
  image: ['name', 'size', 'sha256', 'sha512', 'md5Implanted'],
  boot: ['platform', 'path', 'emulation', 'loadSize', 'lba', 'bootInfoTable'],
  partitions: ['table', 'number', 'type', 'name', 'start', 'sectors', 'bootable'],
  entries: ['path', 'type', 'size', 'mode', 'target', 'sha256', 'lba']
};

function line(value: unknown, order: readonly string[]): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter(k => obj[k] !== undefined);
  const known = order.filter(k => keys.includes(k));
  const rest = keys.filter(k => !order.includes(k)).sort();
  return `{${[...known, ...rest].map(k => `${JSON.stringify(k)}: ${line(obj[k], [])}`).join(', ')}}`;
}

/**
 * The manifest as JSON text: the same manifest always gives the same bytes; every array element
 * is one line, so `diff` shows one line per changed file.
 */
export function serializeManifest(m: Manifest): string {
  return Array.from(manifestChunks(m)).join('');
}

/**
 * serializeManifest's text in pieces of about `chunk` characters, for writing as it is made; a
 * manifest from buildManifest has its entries made one at a time. `counted` learns how many
 * entries there were.
 */
export function* manifestChunks(
  m: Manifest,
  chunk = 1 << 20,
  counted?: (entries: number) => void
): Generator<string> {
  const rec = m as unknown as Record<string, unknown>;
  const lazy = lazyEntries(m);
  const keys = [
    ...TOP,
    ...Object.keys(rec)
      .filter(k => !TOP.includes(k))
      .sort()
  ].filter(k => (k === 'entries' && lazy !== undefined) || rec[k] !== undefined);
  let out = '{\n';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const made = k === 'entries' && lazy !== undefined;
    const v = made ? lazy : rec[k];
    if (made || Array.isArray(v)) {
      const order = ORDER[k] ?? [];
      let n = 0;
      for (const item of v as Iterable<unknown>) {
        out += n === 0 ? `  ${JSON.stringify(k)}: [\n    ` : ',\n    ';
        out += made ? entryLine(item as ManifestEntry) : line(item, order);
        n++;
        if (out.length >= chunk) {
          yield out;
          out = '';
        }
      }
      out += n === 0 ? `  ${JSON.stringify(k)}: []` : '\n  ]';
      if (k === 'entries') counted?.(n);
    } else out += `  ${JSON.stringify(k)}: ${line(v, ORDER[k] ?? [])}`;
    out += i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${out}}\n`;
}

/**
 * line(e, ORDER.entries) for the entries treeEntries makes: only keys of the schema, each a string
 * or a number.
 */
function entryLine(e: ManifestEntry): string {
  const known = e as unknown as Record<string, unknown>;
  let text = '';
  for (let i = 0; i < ORDER.entries.length; i++) {
    const v = known[ORDER.entries[i]];
    if (v !== undefined) text += `${text === '' ? '' : ', '}${ENTRY_KEYS[i]}${JSON.stringify(v)}`;
  }
  return `{${text}}`;
}
const ENTRY_KEYS = ORDER.entries.map(k => `${JSON.stringify(k)}: `);

type Check = (v: unknown) => boolean;
type Checks = readonly (readonly [string, Check])[];
const isStr: Check = v => typeof v === 'string';
const isInt: Check = v => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBool: Check = v => typeof v === 'boolean';
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;
const isHex =
  (re: RegExp): Check =>
  v =>
    typeof v === 'string' && re.test(v);
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const checks = (c: Record<string, Check>): Checks => Object.entries(c);
const NONE: Checks = [];

/**
 * `v` as an object whose `required` keys pass their checks and whose `optional` keys, where
 * present, pass theirs; `where` names it in the error.
 */
function fields(
  where: string,
  v: unknown,
  required: Checks,
  optional: Checks = NONE
): Record<string, unknown> {
  if (!isObj(v)) throw new Error(`${where}: not an object`);
  for (const [k, check] of required) {
    if (!(k in v)) throw new Error(`${where}: "${k}" is missing`);
    if (!check(v[k])) throw new Error(`${where}: "${k}" has a wrong value ${JSON.stringify(v[k])}`);
  }
  for (const [k, check] of optional) {
    if (v[k] !== undefined && !check(v[k]))
      throw new Error(`${where}: "${k}" has a wrong value ${JSON.stringify(v[k])}`);
  }
  return v;
}

function list(where: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${where}: not an array`);
  return v;
}

const MANIFEST_FIELDS = checks({
  schema: isStr,
  tool: isObj,
  volumeId: isStr,
  epoch: v => typeof v === 'number' && Number.isSafeInteger(v),
  image: isObj,
  boot: Array.isArray,
  partitions: Array.isArray,
  entries: Array.isArray
});
const TOOL_FIELDS = checks({ name: v => v === 'isoforge', version: isStr });
const IDS_FIELDS = checks(Object.fromEntries(ORDER.ids.map(k => [k, isStr])));
const IMAGE_FIELDS = checks({ name: isStr, size: isInt });
const IMAGE_OPTIONAL = checks({ sha256: isHex(HEX64), sha512: isHex(HEX128), md5Implanted: isBool });
const BOOT_FIELDS = checks({ platform: isStr, path: isStr, emulation: isStr, loadSize: isInt, lba: isInt });
const BOOT_OPTIONAL = checks({ bootInfoTable: isBool });
const PARTITION_FIELDS = checks({
  table: v => v === 'mbr' || v === 'gpt',
  number: isInt,
  type: isStr,
  start: isInt,
  sectors: isInt
});
const PARTITION_OPTIONAL = checks({ name: isStr, bootable: isBool });
const ENTRY_FIELDS = checks({
  path: isStr,
  type: v => v === 'file' || v === 'dir' || v === 'symlink',
  size: isInt,
  mode: isStr
});
const ENTRY_OPTIONAL = checks({ target: isStr, sha256: isHex(HEX64), lba: isInt });
const MODE = /^[0-7]{4}$/;

/** ENTRY_FIELDS and ENTRY_OPTIONAL hold (JSON has no undefined value: a key absent is undefined). */
function validEntry(e: unknown): boolean {
  if (!isObj(e)) return false;
  const { path, type, size, mode, target, sha256, lba } = e;
  return (
    typeof path === 'string' &&
    (type === 'file' || type === 'dir' || type === 'symlink') &&
    isInt(size) &&
    typeof mode === 'string' &&
    (target === undefined || typeof target === 'string') &&
    (sha256 === undefined || (typeof sha256 === 'string' && HEX64.test(sha256))) &&
    (lba === undefined || isInt(lba))
  );
}

/** Parse and validate manifest text; `source` (a path) names it in errors. */
export function parseManifest(text: string, source: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new IsoforgeError(`${source}: not a manifest (not JSON: ${(e as Error).message})`, {
      subject: source
    });
  }
  if (isObj(data) && data.schema !== MANIFEST_SCHEMA) {
    throw new IsoforgeError(
      `${source}: schema ${JSON.stringify(data.schema)} is not ${MANIFEST_SCHEMA} (made by a newer or other tool?)`,
      { subject: source }
    );
  }
  try {
    const m = fields('manifest', data, MANIFEST_FIELDS);
    fields('tool', m.tool, TOOL_FIELDS);
    if (m.ids !== undefined) fields('ids', m.ids, IDS_FIELDS);
    fields('image', m.image, IMAGE_FIELDS, IMAGE_OPTIONAL);
    list('boot', m.boot).forEach((b, i) => fields(`boot[${i}]`, b, BOOT_FIELDS, BOOT_OPTIONAL));
    list('partitions', m.partitions).forEach((p, i) =>
      fields(`partitions[${i}]`, p, PARTITION_FIELDS, PARTITION_OPTIONAL)
    );
    const seen = new Set<string>();
    const entries = list('entries', m.entries);
    for (let i = 0; i < entries.length; i++) {
      const ent = entries[i] as ManifestEntry;
      // ENTRY_FIELDS and ENTRY_OPTIONAL written out: 21,003 entries parse and check in 25-46 ms, not 57-80;
      // an entry that fails them goes through fields() for the error naming what is wrong
      if (!validEntry(ent)) fields(`entries[${i}]`, ent, ENTRY_FIELDS, ENTRY_OPTIONAL);
      if (!MODE.test(ent.mode)) throw new Error(`entries[${i}]: mode "${ent.mode}" is not 4 octal digits`);
      if (seen.has(ent.path)) throw new Error(`entries[${i}]: path "${ent.path}" is listed twice`);
      seen.add(ent.path);
    }
    return m as unknown as Manifest;
  } catch (e) {
    throw new IsoforgeError(`${source}: not a valid ${MANIFEST_SCHEMA} manifest: ${(e as Error).message}`, {
      subject: source
    });
  }
}
