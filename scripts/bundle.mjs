// Rebuilds everything under dist/: the action, the verify action and the CLI, each one ESM file.
// `npm run bundle` must leave a committed dist/ unchanged (checked by .github/workflows/ci.yml).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const entries = [
  ['src/action/main.ts', 'dist'],
  ['src/action/verify-main.ts', 'dist/verify'],
  ['src/cli/index.ts', 'dist/cli']
];
rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of entries) {
  execFileSync(
    process.execPath,
    ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', entry, '-o', out, '--license', 'licenses.txt', '-q', '--target', 'es2022'],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } }
  );
  if (!existsSync(`${out}/package.json`)) writeFileSync(`${out}/package.json`, '{ "type": "module" }\n');
}
// the CLI must be executable and start with a shebang
const cli = 'dist/cli/index.js';
let text = readFileSync(cli, 'utf8');
if (!text.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + text);
chmodSync(cli, 0o755);
