// Writes action.yml, verify/action.yml and the README's options table from the option schema (src/option-schema.ts) through
// src/action/action-yml.ts, transpiled on the fly into a temporary directory (a tiny compiled copy).
// test/workflows.test.ts and test/gen-action-yml.test.ts fail when the committed files differ from what this writes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const files = [
  'src/options.ts',
  'src/option-schema.ts',
  'src/errors.ts',
  'src/text.ts',
  'src/action/action-yml.ts'
];
const out = mkdtempSync(path.join(tmpdir(), 'isoforge-gen-'));
try {
  writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  for (const f of files) {
    const js = ts.transpileModule(readFileSync(f, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }
    }).outputText;
    const dest = path.join(out, f.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  const { actionYml, readmeOptions } = await import(
    pathToFileURL(path.join(out, 'src/action/action-yml.js')).href
  );
  writeFileSync('action.yml', actionYml('build'));
  mkdirSync('verify', { recursive: true });
  writeFileSync('verify/action.yml', actionYml('verify'));
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n', readme.indexOf('<!-- options:start')) + 1;
  const end = readme.indexOf('<!-- options:end -->');
  if (start <= 0 || end < start) throw new Error('README.md: the options markers are missing');
  writeFileSync('README.md', readme.slice(0, start) + readmeOptions() + readme.slice(end));
  console.log('wrote action.yml, verify/action.yml and the options table of README.md');
} finally {
  rmSync(out, { recursive: true, force: true });
}
