/**
 * parseManifest (src/integrity/manifest.ts) checks every entry of a manifest verify is given: each
 * wrong entry is refused with one line naming the entry and what is wrong with it. The entries'
 * checks are written out for speed (a manifest of 21,000 entries); these pin that they refuse what
 * the declared checks refuse, with the same words.
 */
import { IsoforgeError } from '../src/errors.js';
import { parseManifest } from '../src/integrity/manifest.js';
import { MANIFEST_SCHEMA } from '../src/manifest.js';

const SHA = 'ab'.repeat(32);
const good = (): Record<string, unknown>[] => [
  { path: 'a', type: 'dir', size: 0, mode: '0755' },
  { path: 'a/f.txt', type: 'file', size: 3, mode: '0644', sha256: SHA, lba: 40 },
  { path: 'a/empty', type: 'file', size: 0, mode: '0644', sha256: SHA },
  { path: 'a/l', type: 'symlink', size: 0, mode: '0777', target: 'f.txt' }
];
const text = (entries: unknown[]) =>
  JSON.stringify({
    schema: MANIFEST_SCHEMA,
    tool: { name: 'isoforge', version: '0.1.0' },
    volumeId: 'V',
    epoch: 1700000000,
    image: { name: 'x.iso', size: 2048 * 40, sha256: SHA },
    boot: [],
    partitions: [],
    entries
  });

test('a manifest whose entries are right parses, entries as written', () => {
  const m = parseManifest(text(good()), 'm.json');
  expect(m.entries).toEqual(good());
  expect(m.volumeId).toBe('V');
});

const withEntry = (i: number, change: (e: Record<string, unknown>) => unknown) => {
  const entries: unknown[] = good();
  entries[i] = change({ ...(entries[i] as Record<string, unknown>) });
  return text(entries);
};
const drop = (k: string) => (e: Record<string, unknown>) => {
  delete e[k];
  return e;
};
const set = (k: string, v: unknown) => (e: Record<string, unknown>) => ({ ...e, [k]: v });

test.each([
  ['not an object', withEntry(1, () => 'a/f.txt'), 'entries[1]: not an object'],
  ['an array', withEntry(1, () => []), 'entries[1]: not an object'],
  ['null', withEntry(2, () => null), 'entries[2]: not an object'],
  ['no path', withEntry(1, drop('path')), 'entries[1]: "path" is missing'],
  ['no mode', withEntry(0, drop('mode')), 'entries[0]: "mode" is missing'],
  ['no size', withEntry(3, drop('size')), 'entries[3]: "size" is missing'],
  ['a path not a text', withEntry(1, set('path', 7)), 'entries[1]: "path" has a wrong value 7'],
  ['an unknown type', withEntry(1, set('type', 'fifo')), 'entries[1]: "type" has a wrong value "fifo"'],
  ['a negative size', withEntry(1, set('size', -1)), 'entries[1]: "size" has a wrong value -1'],
  ['a fractional size', withEntry(1, set('size', 1.5)), 'entries[1]: "size" has a wrong value 1.5'],
  ['a mode not a text', withEntry(1, set('mode', 420)), 'entries[1]: "mode" has a wrong value 420'],
  ['a target not a text', withEntry(3, set('target', 1)), 'entries[3]: "target" has a wrong value 1'],
  [
    'an upper-case SHA-256',
    withEntry(1, set('sha256', SHA.toUpperCase())),
    `entries[1]: "sha256" has a wrong value "${SHA.toUpperCase()}"`
  ],
  [
    'a short SHA-256',
    withEntry(1, set('sha256', SHA.slice(2))),
    `entries[1]: "sha256" has a wrong value "${SHA.slice(2)}"`
  ],
  ['a null SHA-256', withEntry(1, set('sha256', null)), 'entries[1]: "sha256" has a wrong value null'],
  ['a negative lba', withEntry(1, set('lba', -4)), 'entries[1]: "lba" has a wrong value -4'],
  [
    'a mode of three digits',
    withEntry(1, set('mode', '644')),
    'entries[1]: mode "644" is not 4 octal digits'
  ],
  ['a mode with an 8', withEntry(1, set('mode', '0648')), 'entries[1]: mode "0648" is not 4 octal digits'],
  ['a path twice', withEntry(2, set('path', 'a/f.txt')), 'entries[2]: path "a/f.txt" is listed twice']
])('an entry with %s is refused, named', (_what, manifest, reason) => {
  let error: unknown;
  try {
    parseManifest(manifest, 'm.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(IsoforgeError);
  expect((error as Error).message).toBe(`m.json: not a valid ${MANIFEST_SCHEMA} manifest: ${reason}`);
});
