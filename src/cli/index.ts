#!/usr/bin/env node
/** Entry of the bundled CLI (dist/cli/index.js). */
import { main } from './main.js';
import { reserveIoThreads } from '../image/io-tuning.js';

reserveIoThreads();

const controller = new AbortController();
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
}
const code = await main(process.argv.slice(2), {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  signal: controller.signal
});
process.exitCode = code;
