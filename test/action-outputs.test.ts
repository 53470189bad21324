/** The actions set only the outputs action.yml declares, through one typed function. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUILD_OUTPUTS, VERIFY_OUTPUTS } from '../src/action/action-yml.js';
import { setBuildOutputs, setVerifyOutputs } from '../src/action/outputs.js';
import { parseOutputFile } from './support/run-action.js';

function written(set: () => void): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforge-outputs-'));
  const file = path.join(dir, 'output');
  writeFileSync(file, '');
  const before = process.env.GITHUB_OUTPUT;
  process.env.GITHUB_OUTPUT = file;
  try {
    set();
    return parseOutputFile(readFileSync(file, 'utf8'));
  } finally {
    if (before === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an output is set by its declared name, one left undefined is not set', () => {
  const out = written(() => {
    setBuildOutputs({ 'image-path': '/x/a.iso', sha512: undefined, 'checksums-path': 'a\nb' });
    setVerifyOutputs({ result: 'pass' });
  });
  expect(out).toEqual({ 'image-path': '/x/a.iso', 'checksums-path': 'a\nb', result: 'pass' });
  const declared = new Set<string>([...BUILD_OUTPUTS, ...VERIFY_OUTPUTS].map(o => o.name));
  for (const name of Object.keys(out)) expect(declared).toContain(name);
});

test('an undeclared output is a compile error (npm run build checks these lines)', () => {
  const out = written(() => {
    // @ts-expect-error: the build action declares no output `artifact-ids`
    setBuildOutputs({ 'artifact-ids': '1' });
    // @ts-expect-error: `sha256` is the build action's, not the verify action's
    setVerifyOutputs({ sha256: 'ab' });
  });
  expect(Object.keys(out).sort()).toEqual(['artifact-ids', 'sha256']);
});

test('no module of src/action but outputs.ts calls core.setOutput', () => {
  const callers = readdirSync('src/action')
    .filter(f => f.endsWith('.ts') && f !== 'outputs.ts')
    .filter(f => readFileSync(path.join('src/action', f), 'utf8').includes('core.setOutput('));
  expect(callers).toEqual([]);
});
