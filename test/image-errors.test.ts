/** Bad input: one-line errors naming the path or option, a non-zero exit, and no partial output. */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import { buildImage } from '../src/image/build.js';
import type { ImageExtension } from '../src/image/extension.js';
import { tempDir } from './support/tools.js';
import { cli } from './support/cli.js';

const t = tempDir();
const src = path.join(t.dir, 'src');
beforeAll(() => {
  mkdirSync(path.join(src, 'sub'), { recursive: true });
  writeFileSync(path.join(src, 'a.txt'), 'a'.repeat(5000));
  writeFileSync(path.join(src, 'sub/b.txt'), 'b');
});
afterAll(() => t.cleanup());

function onlyLine(err: string): string {
  const lines = err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
  return lines[0];
}

test.each([
  [
    ['build', '--source', '/nonexistent/src', '--output', 'x.iso'],
    /source \/nonexistent\/src: does not exist/
  ],
  [['build', '--source', 'package.json', '--output', 'x.iso'], /source package\.json: not a directory/],
  [['build', '--output', 'x.iso'], /--source: required/],
  [['build', '--source', 'SRC'], /--output: required/],
  [
    ['build', '--source', 'SRC', '--output', 'SRC/inside.iso'],
    /output .*inside\.iso: inside the source tree/
  ],
  [
    ['build', '--source', 'SRC', '--output', 'OUT', '--volume-id', 'A'.repeat(33)],
    /--volume-id: "A{33}" is 33 bytes; at most 32 fit/
  ],
  [
    ['build', '--source', 'SRC', '--output', 'OUT', '--volume-id', 'my\tvolume'],
    /--volume-id: "my\\tvolume" has characters outside printable ASCII \(0x20-0x7E\): U\+0009$/
  ],
  [
    ['build', '--source', 'SRC', '--output', 'OUT', '--joliet', 'perhaps'],
    /--joliet: "perhaps" is not true or false/
  ],
  [['build', '--source', 'SRC', '--output', 'OUT', '--frobnicate', '1'], /--frobnicate: unknown option/],
  [
    // a missing folder is made (mkdir -p), but not through a file
    ['build', '--source', 'SRC', '--output', 'package.json/dir/x.iso'],
    /output directory .*package\.json\/dir: a parent is not a directory/
  ],
  [['frob'], /unknown command "frob"/]
])('%j fails with one line', async (args, message) => {
  const out = path.join(t.dir, 'out.iso');
  const real = (args as string[]).map(a => a.replace(/^SRC/, src).replace(/^OUT$/, out));
  const r = await cli(real);
  expect(r.code).not.toBe(0);
  expect(onlyLine(r.err)).toMatch(message as RegExp);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(t.dir).filter(n => n.endsWith('.tmp'))).toEqual([]);
});

test('--debug adds the stack trace', async () => {
  const r = await cli(['build', '--source', '/nonexistent', '--output', 'x.iso', '--debug']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/\n\s+at /);
});

test('--debug reports the time and CPU time of each phase', async () => {
  const out = path.join(t.dir, 'phases.iso');
  const r = await cli(['build', '--source', src, '--output', out, '--debug', '--manifest', 'false']);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/^debug: start-up: \d+ ms/m);
  for (const phase of ['scan', 'plan', 'write', 'sign'])
    expect(r.err).toMatch(new RegExp(`^debug: ${phase}: \\d+ ms, \\d+ ms of CPU$`, 'm'));
  rmSync(out);
});

test("verify --debug reports the time and CPU time of each of its steps, and no step's time without it", async () => {
  const out = path.join(t.dir, 'steps.iso');
  expect((await cli(['build', '--source', src, '--output', out, '--checksums', 'sha256'])).code).toBe(0);
  const args = [
    'verify',
    '--image',
    out,
    '--manifest',
    'true',
    '--checksums-file',
    path.join(t.dir, 'SHA256SUMS')
  ];
  const r = await cli([...args, '--debug']);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/^debug: start-up: \d+ ms/m);
  for (const step of [
    'read the structures',
    'load the manifest',
    'one pass: the digests',
    'the manifest of the image'
  ])
    expect(r.err).toMatch(new RegExp(`^debug: ${step}: \\d+ ms, \\d+ ms of CPU$`, 'm'));
  const plain = await cli(args);
  expect(plain.code).toBe(0);
  expect(plain.err).not.toMatch(/ ms/);
  for (const f of [out, `${out}.manifest.json`, path.join(t.dir, 'SHA256SUMS')]) rmSync(f);
});

test('--help lists every option with its default', async () => {
  const r = await cli(['build', '--help']);
  expect(r.code).toBe(0);
  for (const o of ['--source', '--output', '--volume-id', '--joliet', '--rock-ridge', '--source-date-epoch'])
    expect(r.out).toContain(o);
  expect(r.out).toMatch(/--joliet true\|false\n.*\(default: true\)/);
  const top = await cli(['--help']);
  expect(top.out).toContain('--volume-id');
});

/** An extension whose prepare() runs after the scan: it changes a file the scan already measured. */
function changeAfterScan(fn: () => void): ImageExtension {
  return { name: 'change-after-scan', prepare: () => fn() };
}

test.each([
  [
    'shrinks',
    () => truncateSync(path.join(src, 'a.txt'), 100),
    /a\.txt: shrank from 5000 to 100 bytes during the build/
  ],
  [
    'grows',
    () => appendFileSync(path.join(src, 'a.txt'), 'more'),
    /a\.txt: grew beyond 5000 bytes during the build/
  ],
  ['vanishes', () => rmSync(path.join(src, 'a.txt')), /a\.txt: vanished during the build/]
])('a file that %s during the build fails it and leaves nothing behind', async (_what, change, message) => {
  writeFileSync(path.join(src, 'a.txt'), 'a'.repeat(5000));
  const out = path.join(t.dir, 'changed.iso');
  await expect(
    buildImage({
      source: src,
      output: out,
      volumeId: 'X',
      joliet: true,
      rockRidge: true,
      extensions: [changeAfterScan(change)]
    })
  ).rejects.toThrow(message);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(t.dir).filter(n => n.endsWith('.tmp'))).toEqual([]);
  writeFileSync(path.join(src, 'a.txt'), 'a'.repeat(5000));
});

test('an existing output is replaced only when the build succeeds', async () => {
  const out = path.join(t.dir, 'keep.iso');
  writeFileSync(out, 'previous image');
  await expect(
    buildImage({
      source: src,
      output: out,
      volumeId: 'X',
      joliet: true,
      rockRidge: true,
      extensions: [changeAfterScan(() => truncateSync(path.join(src, 'a.txt'), 1))]
    })
  ).rejects.toThrow(/shrank/);
  expect(readFileSync(out, 'utf8')).toBe('previous image');
  writeFileSync(path.join(src, 'a.txt'), 'a'.repeat(5000));
});
