/** Entry of the action bundle (dist/index.js): one call, as actions/upload-artifact does. */
import { run } from './run.js';
import { ioThreads } from '../image/write.js';

// on a slow disk the writer keeps many file reads in flight (and it always writes the image through
// libuv's pool, 4 threads by default). The pool starts with the first asynchronous file system
// call, which comes after this line.
process.env.UV_THREADPOOL_SIZE ??= String(ioThreads());

await run();
