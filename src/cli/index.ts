#!/usr/bin/env node
/** Entry of the bundled CLI (dist/cli/index.js). */
import { main } from './main.js';
import { boundHeapGrowth } from '../image/heap-tuning.js';
import { reserveIoThreads } from '../image/io-tuning.js';
import { endOnSignals } from '../interrupt.js';

boundHeapGrowth();
reserveIoThreads();

const signal = endOnSignals();
const code = await main(process.argv.slice(2), {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  signal
});
process.exitCode = code;
