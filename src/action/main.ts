/** Entry of the action bundle (dist/index.js): one call, as actions/upload-artifact does. */
import { run } from './run.js';
import { boundHeapGrowth } from '../image/heap-tuning.js';
import { reserveIoThreads } from '../image/io-tuning.js';
import { endOnSignals } from '../interrupt.js';

boundHeapGrowth();
reserveIoThreads();

await run(endOnSignals());
