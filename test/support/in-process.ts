/**
 * The toolkit's clients run inside the test's own process against the loopback fake: a describe
 * block calls this once. It starts the fake, makes a temporary folder, sets the runner's variables
 * (`env(dir)`, on top of the fake's), and keeps the workflow commands the clients print to stdout
 * (`printed`) out of jest's output; all undone after the block.
 */
import { startFakeResults, type FakeResults } from './fake-results.js';
import { tempDir } from './tools.js';

export interface InProcess {
  fake: FakeResults;
  dir: string;
  printed: string[];
}

export function inProcessService(prefix: string, env: (dir: string) => NodeJS.ProcessEnv): InProcess {
  const state = { printed: [] as string[] } as InProcess;
  const write = process.stdout.write.bind(process.stdout);
  let saved: NodeJS.ProcessEnv;
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array) => {
      state.printed.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    state.fake = await startFakeResults();
    tmp = tempDir(prefix);
    state.dir = tmp.dir;
    saved = { ...process.env };
    Object.assign(process.env, state.fake.env(), env(tmp.dir));
  });
  afterAll(async () => {
    process.stdout.write = write;
    process.env = saved;
    await state.fake.close();
    tmp.cleanup();
  });
  return state;
}
