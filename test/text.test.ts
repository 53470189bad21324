/** The one renderer of text taken from an image, and the one-line net under every message. */
import { IsoforgeError, oneLine } from '../src/errors.js';
import { jsonText, quoted, safeLine, safeLines, shown } from '../src/text.js';
import { HOSTILE_TEXT, unsafeOutput } from './support/hostile.js';

describe('text from an image is data', () => {
  test('shown: controls, DEL, C1, separators, bidi and lone surrogates become escapes', () => {
    expect(shown('a\nb\rc\td\0e\x1b[2J')).toBe('a\\nb\\rc\\td\\0e\\x1b[2J');
    expect(shown('\x7f\x9b\x85')).toBe('\\x7f\\x9b\\x85');
    expect(shown('\u2028\u202e\u2066')).toBe('\\u{2028}\\u{202e}\\u{2066}');
    expect(shown('lone \ud800 and \udc00 end')).toBe('lone \\u{d800} and \\u{dc00} end');
    // a pair is one character and stays; so do ordinary letters
    expect(shown('😀 café ÄÖ 日本')).toBe('😀 café ÄÖ 日本');
  });

  test('shown: a backslash is doubled, so an escape is unambiguous', () => {
    expect(shown('\\n')).toBe('\\\\n');
    expect(shown('\n')).toBe('\\n');
    expect(shown('\\n')).not.toBe(shown('\n'));
  });

  test("shown: the runner's ##[ command prefix is broken wherever it stands", () => {
    expect(shown('a ##[add-mask]x')).toBe('a #\\x23[add-mask]x');
    expect(safeLine('##[error]x')).not.toContain('##[');
  });

  test('quoted: double quotes inside are escaped', () => {
    expect(quoted('X", 1 blocks')).toBe('"X\\", 1 blocks"');
  });

  test('safeLine: one line, controls escaped, backslashes kept; idempotent on shown text', () => {
    expect(safeLine('first\n  second\r\nthird')).toBe('first second third');
    expect(safeLine('a\rb\x1bc')).toBe('a\\rb\\x1bc');
    expect(safeLine('C:\\Users\\x')).toBe('C:\\Users\\x');
    for (const s of HOSTILE_TEXT) {
      expect(safeLine(shown(s))).toBe(shown(s));
      expect(unsafeOutput(shown(s))).toBeUndefined();
      expect(shown(s)).not.toContain('\n');
    }
    expect(safeLines('a\nb\x1b\r\nc')).toEqual(['a', 'b\\x1b', 'c']);
  });

  test('oneLine: CR, ESC and other controls too, for any thrown value', () => {
    for (const s of HOSTILE_TEXT) {
      for (const e of [new IsoforgeError(`bad ${s}`), new Error(`bad ${s}`), `bad ${s}`]) {
        const m = oneLine(e);
        expect(m.split('\n')).toHaveLength(1);
        expect(unsafeOutput(m)).toBeUndefined();
      }
    }
  });

  test('jsonText: exact strings back, nothing raw in the text', () => {
    const value = { names: [...HOSTILE_TEXT, 'lone \ud800'] };
    const text = jsonText(value);
    expect(unsafeOutput(text.replace(/\n/g, ' '))).toBeUndefined();
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('errors name an option by its schema name; each edge spells it', () => {
  test('optionError: the CLI flag leads the message, the action names the input', async () => {
    const { cliFlag, forSurface, optionError, IsoforgeError } = await import('../src/errors.js');
    const e = optionError('volume-id', 'must not be empty');
    expect(e).toBeInstanceOf(IsoforgeError);
    expect(e.message).toBe('--volume-id: must not be empty');
    expect(e.subject).toBe(cliFlag('volume-id'));
    expect(forSurface(e, 'cli')).toBe('--volume-id: must not be empty');
    expect(forSurface(e, 'action')).toBe('input volume-id: must not be empty');
    // a path-named error keeps its words on both edges; a line break never survives
    const p = new IsoforgeError('output /x/y.iso: exists and is a FIFO\r', { subject: '/x/y.iso' });
    expect(forSurface(p, 'action')).toBe(forSurface(p, 'cli'));
    expect(forSurface(optionError('source', 'bad\nname'), 'action')).toBe('input source: bad name');
  });
});
