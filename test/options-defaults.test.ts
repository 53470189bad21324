/** Option names are typed from the schema, and defaults live only there. */
import { readFileSync } from 'node:fs';
import { DEFAULT_VOLUME_ID, toBuildConfig } from '../src/config.js';
import { optionReader } from '../src/option-values.js';
import { OPTIONS, optionsFor, resolveOptions } from '../src/options.js';
import { toVerifyConfig } from '../src/read/verify.js';

test('a misspelt option name is a compile error (npm run build checks these lines)', () => {
  const v = resolveOptions(optionsFor('build', 'cli'), new Map([['volume-id', 'X']]), {});
  // @ts-expect-error: no option `volumeid`
  expect(v['volumeid']).toBeUndefined();
  // @ts-expect-error: no option `rockridge`
  expect(optionReader('build', v).flag('rockridge')).toBe(false);
  // @ts-expect-error: no option `sourc`
  expect(() => toBuildConfig({ sourc: '/x', output: '/y.iso' })).toThrow('--source: required');
  expect(v['volume-id']).toBe('X');
});

test('values not given take the schema default, as resolveOptions gives them', () => {
  const given = new Map([
    ['source', '/src'],
    ['output', '/out.iso']
  ]);
  const resolved = toBuildConfig(resolveOptions(optionsFor('build', 'action'), given, {}));
  expect(toBuildConfig({ source: '/src', output: '/out.iso' })).toEqual(resolved);
  // volume-id has no schema default (a remaster keeps its source image's); a build's is DEFAULT_VOLUME_ID
  expect(OPTIONS.find(o => o.name === 'volume-id')?.default).toBeUndefined();
  expect(resolved.volumeId).toBe(DEFAULT_VOLUME_ID);
  const verify = toVerifyConfig(
    resolveOptions(optionsFor('verify', 'action'), new Map([['image', '/i.iso']]), {})
  );
  expect(toVerifyConfig({ image: '/i.iso' })).toEqual(verify);
  expect(verify.bootTimeout).toBe(Number(OPTIONS.find(o => o.name === 'boot-timeout')?.default));
  expect(verify.manifest).toBe(false); // verify's own `manifest` (false), not build's (true)
});

/** A line that looks an option up and spells its default again (`bool(v['joliet'], true)`, `?? 120`). */
function copiedDefaults(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const o of OPTIONS) {
    if (o.default === undefined) continue;
    const literal =
      o.type === 'boolean'
        ? /\b(true|false)\b/
        : new RegExp(o.type === 'integer' ? `\\b${o.default}\\b` : `'${o.default.replace(/\./g, '\\.')}'`);
    for (const line of text.split('\n')) {
      if (line.includes(`['${o.name}']`) && literal.test(line)) found.push(`${o.name}: ${line.trim()}`);
    }
    if (o.type === 'list' && o.default.includes(',')) {
      const array = o.default
        .split(',')
        .map(s => `'${s}'`)
        .join(', ');
      if (text.includes(array)) found.push(`${o.name}: [${array}]`);
    }
  }
  return found;
}

test.each(['src/config.ts', 'src/action/inputs.ts', 'src/read/verify.ts'])('%s spells no default', file => {
  expect(copiedDefaults(file)).toEqual([]);
});
