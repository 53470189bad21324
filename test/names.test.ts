/** ISO 9660 names: collisions told apart with d-characters only, within the level's lengths. */
import { assignIsoNames } from '../src/image/names.js';

const files = (...names: string[]) => names.map(name => ({ name, isDir: false }));
const dirs = (...names: string[]) => names.map(name => ({ name, isDir: true }));
/** ECMA-119 7.5.1 (file identifiers, level 2/3 lengths 7.5.2) and 7.6.1 (directory identifiers, 7.6.3) */
const FILE_ID = /^[A-Z0-9_]*\.[A-Z0-9_]*;1$/;
const DIR_ID = /^[A-Z0-9_]{1,31}$/;

function expectValid(ids: string[], isDir: boolean): void {
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) {
    if (isDir) expect(id).toMatch(DIR_ID);
    else {
      expect(id).toMatch(FILE_ID);
      expect(id.length - 3).toBeLessThanOrEqual(30); // name + extension, without "." and ";1"
    }
  }
}

test('colliding files are all numbered, as xorriso does (CASE0, CASE1), never with "~"', () => {
  const ids = assignIsoNames(files('Case.txt', 'case.TXT', 'other.txt'));
  expect(ids).toEqual(['CASE0.TXT;1', 'CASE1.TXT;1', 'OTHER.TXT;1']);
  expectValid(ids, false);
});

test('colliding directories are numbered too, within 31 d-characters', () => {
  const long = 'd'.repeat(40);
  const ids = assignIsoNames(dirs('Boot', 'boot', 'BOOT', long, long.toUpperCase()));
  expect(ids.slice(0, 3)).toEqual(['BOOT0', 'BOOT1', 'BOOT2']);
  expect(ids[3]).toBe('D'.repeat(30) + '0');
  expect(ids[4]).toBe('D'.repeat(30) + '1');
  expectValid(ids, true);
});

test('a number another name already has is skipped; long names are cut to make room', () => {
  const ids = assignIsoNames(files('a.txt', 'A.txt', 'a0.txt'));
  expect(ids).toEqual(['A1.TXT;1', 'A2.TXT;1', 'A0.TXT;1']);
  const long = 'n'.repeat(40) + '.extension1';
  const cut = assignIsoNames(files(long, long.toUpperCase()));
  expect(cut).toEqual(['N'.repeat(19) + '0.EXTENSION1;1', 'N'.repeat(19) + '1.EXTENSION1;1']);
  expectValid(cut, false);
});

test('more than ten of one name take two digits; the result depends only on the order given', () => {
  // twelve case variants of one name
  const many = Array.from(
    { length: 12 },
    (_, i) => [...'same'].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('') + '.txt'
  );
  const ids = assignIsoNames(files(...many));
  expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => `SAME${String(i).padStart(2, '0')}.TXT;1`));
  expectValid(ids, false);
  expect(assignIsoNames(files(...many))).toEqual(ids);
});

test('a file and a directory of one name are distinct identifiers (FOO. and FOO)', () => {
  expect(assignIsoNames([...files('foo'), ...dirs('FOO')])).toEqual(['FOO.;1', 'FOO']);
});
