/** Entry of the action bundle (dist/index.js): one call, as actions/upload-artifact does. */
import { run } from './run.js';
import { ioThreads } from '../image/write.js';

// the writer keeps many file reads in flight; libuv's pool (4 threads by default) runs them. The
// pool starts with the first asynchronous file system call, which comes after this line.
process.env.UV_THREADPOOL_SIZE ??= String(ioThreads());

await run();
