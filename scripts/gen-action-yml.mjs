// Writes action.yml and verify/action.yml from the option schema (src/option-schema.ts) through
// src/action/action-yml.ts, transpiled on the fly into a temporary directory (a tiny compiled copy).
// test/workflows.test.ts fails when the committed files differ from what this writes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const files = ['src/options.ts', 'src/option-schema.ts', 'src/errors.ts', 'src/text.ts', 'src/action/action-yml.ts'];
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
  const { actionYml } = await import(pathToFileURL(path.join(out, 'src/action/action-yml.js')).href);
  writeFileSync('action.yml', actionYml('build'));
  mkdirSync('verify', { recursive: true });
  writeFileSync('verify/action.yml', actionYml('verify'));
  console.log('wrote action.yml and verify/action.yml');
} finally {
  rmSync(out, { recursive: true, force: true });
}
