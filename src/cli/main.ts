/** The `isoforge` command line: dispatch to a command, and the one place that turns errors into exits. */
import { IsoforgeError, oneLine } from '../errors.js';
import { interruptedExitCode } from '../interrupt.js';
import { VERSION } from '../version.js';
import { buildCommand } from './build.js';
import { extractCommand } from './extract.js';
import { mainHelp } from './help.js';
import { inspectCommand } from './inspect.js';
import type { CliIo } from './io.js';
import { verifyCommand } from './verify.js';

export type { CliIo } from './io.js';

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  build: buildCommand,
  verify: verifyCommand,
  inspect: inspectCommand,
  extract: extractCommand
};

async function dispatch(command: string | undefined, rest: string[], io: CliIo): Promise<number> {
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout(mainHelp() + '\n');
      return command === undefined ? 2 : 0;
    case '--version':
    case 'version':
      io.stdout(`${VERSION}\n`);
      return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    throw new IsoforgeError(`unknown command "${command}" (build, verify, inspect, extract; see --help)`, {
      subject: command
    });
  }
  return await run(rest, io);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const debug = argv.includes('--debug');
  try {
    return await dispatch(command, rest, io);
  } catch (e) {
    if (debug && e instanceof Error) io.stderr(`${e.stack}\n`);
    if (e instanceof Error && e.name === 'AbortError') {
      // build writes atomically; extract leaves what it wrote, as tar does
      io.stderr(
        `isoforge: interrupted; ${command === 'extract' ? 'what was extracted stays' : 'nothing was written'}\n`
      );
      return interruptedExitCode();
    }
    io.stderr(`isoforge: ${oneLine(e)}\n`);
    return e instanceof IsoforgeError ? 1 : 70;
  }
}
