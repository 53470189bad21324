#!/usr/bin/env node
/**
 * `npm run demo`: build demo.iso at the repository root from examples/demo/ with the committed CLI
 * bundle (no build step, nothing from outside), then print its manifest on stdout. The CLI's own
 * output goes to stderr so stdout is the manifest alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKER, demoFlags, prepareDemoTree } from '../examples/demo/demo-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// ISOFORGE_CLI: another build of the CLI (tests); --output: somewhere else than the repository root
const cli = process.env.ISOFORGE_CLI || path.join(root, 'dist', 'cli', 'index.js');
const at = process.argv.indexOf('--output');
const output = path.resolve(
  at > 0 && process.argv[at + 1] ? process.argv[at + 1] : path.join(root, 'demo.iso')
);

if (!existsSync(cli)) {
  process.stderr.write(`demo: ${path.relative(root, cli)} is missing; run \`npm run bundle\` first\n`);
  process.exit(1);
}

const demo = prepareDemoTree();
let status = 1;
try {
  const flags = demoFlags(demo.source, demo.bootFile, output);
  const args = Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v]);
  const r = spawnSync(process.execPath, [cli, 'build', ...args], { stdio: ['ignore', 2, 2] });
  status = r.status ?? 1;
  if (r.error) process.stderr.write(`demo: ${r.error.message}\n`);
  if (status === 0) {
    process.stdout.write(readFileSync(`${output}.manifest.json`, 'utf8'));
    process.stderr.write(
      `\ndemo: wrote ${path.relative(process.cwd(), output) || output}; boot it with\n` +
        `  qemu-system-x86_64 -nographic -cdrom ${path.basename(output)}\n` +
        `  qemu-system-x86_64 -nographic -drive file=${path.basename(output)},format=raw,snapshot=on\n` +
        `(quit with Ctrl-A X) and look for "${MARKER}"; -display none -serial stdio works too\n`
    );
  }
} finally {
  demo.cleanup();
}
process.exit(status);
