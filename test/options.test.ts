import { readFileSync } from 'node:fs';
import { OPTIONS, parseSize, resolveOptions, optionsFor } from '../src/options.js';
import { VERSION } from '../src/version.js';

test('version matches package.json', () => {
  expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
});

test('sizes', () => {
  expect(parseSize('700MiB', 'max-size')).toBe(700 * 2 ** 20);
  expect(parseSize('4.7GB', 'max-size')).toBe(4.7e9);
  expect(parseSize('123', 'max-size')).toBe(123);
  expect(() => parseSize('12 parsecs', 'max-size')).toThrow('--max-size: "12 parsecs" is not a size');
});

test('defaults, env fallbacks and type errors name the option', () => {
  const specs = optionsFor('build', 'cli');
  const v = resolveOptions(specs, new Map([['joliet', 'false']]), { SOURCE_DATE_EPOCH: '1700000000' });
  expect(v['joliet']).toBe(false);
  expect(v['rock-ridge']).toBe(true);
  expect(v['source-date-epoch']).toBe(1700000000);
  expect(v['volume-id']).toBeUndefined(); // ISOFORGE, or a remaster's source image's (config.ts)
  expect(() => resolveOptions(specs, new Map([['joliet', 'maybe']]))).toThrow(
    '--joliet: "maybe" is not true or false'
  );
  expect(() => resolveOptions(specs, new Map([['checksums', 'md4']]))).toThrow(
    '--checksums: "md4" is not one of sha256, sha512'
  );
});

test('option names are unique per command and kebab-case', () => {
  for (const c of ['build', 'verify', 'extract'] as const) {
    const names = optionsFor(c, 'action').map(o => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  }
  expect(OPTIONS.length).toBeGreaterThan(10);
});

test('the README documents every option: its table is the one the schema makes', async () => {
  const { readmeOptions } = await import('../src/action/action-yml.js');
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n', readme.indexOf('<!-- options:start')) + 1;
  const table = readme.slice(start, readme.indexOf('<!-- options:end -->'));
  expect(table).toBe(readmeOptions());
  for (const o of OPTIONS) expect(table).toContain(`| \`${o.name}\` |`);
});

test('--checksums none writes no checksum file', async () => {
  const { toBuildConfig } = await import('../src/config.js');
  const specs = optionsFor('build', 'cli');
  const base = new Map([
    ['source', 's'],
    ['output', 'o']
  ]);
  expect(toBuildConfig(resolveOptions(specs, new Map([...base, ['checksums', 'none']]))).checksums).toEqual(
    []
  );
  expect(toBuildConfig(resolveOptions(specs, base)).checksums).toEqual(['sha256']);
  expect(
    toBuildConfig(resolveOptions(specs, new Map([...base, ['checksums', 'sha256,sha512']]))).checksums
  ).toEqual(['sha256', 'sha512']);
});

test('--boot-memory: the guest memory of boot tests, 1024 MiB unless given, bounded', async () => {
  const { toVerifyConfig } = await import('../src/read/verify.js');
  const specs = optionsFor('verify', 'cli');
  const of = (extra: [string, string][]) =>
    toVerifyConfig(resolveOptions(specs, new Map<string, string>([['image', 'x.iso'], ...extra])));
  expect(of([]).bootMemory).toBe(1024);
  expect(of([['boot-memory', '2048']]).bootMemory).toBe(2048);
  expect(() => of([['boot-memory', '10']])).toThrow(/^--boot-memory: 10 is not between 64 and 65536 MiB$/);
});

test('--replay-boot: true, false or without-apm, a boolean spelling too (yes, off…); a bare flag is true', async () => {
  const { toBuildConfig } = await import('../src/config.js');
  const { parseArgs } = await import('../src/cli/args.js');
  const specs = optionsFor('build', 'cli');
  const of = (value?: string) =>
    toBuildConfig(
      resolveOptions(
        specs,
        new Map([
          ['source-image', 'in.iso'],
          ['output', 'o'],
          ...(value === undefined ? [] : [['replay-boot', value]])
        ] as [string, string][])
      )
    ).replayBoot;
  expect([of(), of('true'), of('yes'), of('false'), of('OFF'), of('0'), of('Without-APM')]).toEqual([
    'true',
    'true',
    'true',
    'false',
    'false',
    'false',
    'without-apm'
  ]);
  expect(() => of('maybe')).toThrow('--replay-boot: "maybe" is not one of true, false, without-apm');
  expect(parseArgs(['--replay-boot', '--output', 'o'], specs).raw.get('replay-boot')).toBe('true');
});
