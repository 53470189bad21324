#!/usr/bin/env node
/** Entry of the bundled CLI (dist/cli/index.js). */
import { main } from './main.js';
import { ioThreads } from '../image/write.js';

// on a slow disk the writer keeps many file reads in flight (and it always writes the image through
// libuv's pool, 4 threads by default). The pool starts with the first asynchronous file system
// call, which comes after this line.
process.env.UV_THREADPOOL_SIZE ??= String(ioThreads());

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
