/** The `isoforge` command line. Thin: parse, run the library, print. */
import { toBuildConfig } from '../config.js';
import { IsoforgeError, oneLine } from '../errors.js';
import { formatBytes } from '../format.js';
import { gateVerdict } from '../gates.js';
import type { Logger } from '../log.js';
import { optionsFor, resolveOptions } from '../options.js';
import { runBuild } from '../pipeline.js';
import { Progress } from '../progress.js';
import { VERSION } from '../version.js';
import { safeLine } from '../text.js';
import { parseArgs } from './args.js';
import { commandHelp, mainHelp } from './help.js';
import { inspectCommand } from './inspect.js';
import { verifyCommand } from './verify.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  signal?: AbortSignal;
}

export { formatBytes };

/** `progress`: its updating line is erased before any other line goes to stderr. */
export function stderrLogger(io: CliIo, quiet: boolean, debug: boolean, progress?: Progress): Logger {
  const line = (s: string) => {
    progress?.interrupt();
    io.stderr(s);
  };
  return {
    info: m => {
      if (!quiet) line(safeLine(m) + '\n');
    },
    warn: m => line(`warning: ${safeLine(m)}\n`),
    debug: m => {
      if (debug) line(`debug: ${safeLine(m)}\n`);
    },
    // with --debug, each phase's wall time and the process's CPU time (all threads) in it
    group: debug ? (name, fn) => timed(line, name, fn) : undefined
  };
}

async function timed<T>(print: (s: string) => void, name: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    const ms = (n: number) => n.toFixed(0);
    print(
      `debug: ${name}: ${ms(performance.now() - t)} ms, ${ms((used.user + used.system) / 1000)} ms of CPU\n`
    );
  }
}

async function buildCommand(argv: string[], io: CliIo): Promise<number> {
  const specs = optionsFor('build', 'cli');
  const args = parseArgs(argv, specs);
  if (args.help) {
    io.stdout(commandHelp('build') + '\n');
    return 0;
  }
  if (args.positional.length) {
    throw new IsoforgeError(`unexpected argument "${args.positional[0]}" (options are --name value)`, {
      subject: args.positional[0]
    });
  }
  const config = toBuildConfig(resolveOptions(specs, args.raw, io.env));
  // on a TTY an updating line, otherwise (a CI log) a line now and then; none under --quiet
  const progress = args.quiet
    ? undefined
    : new Progress({ tty: io.isTTY, print: io.isTTY ? s => io.stderr(s) : s => io.stderr(`${s}\n`) });
  const log = stderrLogger(io, args.quiet, args.debug, progress);
  log.debug(`start-up: ${(process.uptime() * 1000).toFixed(0)} ms (Node and isoforge loaded)`);
  const r = await runBuild(config, { log, signal: io.signal, onProgress: progress?.sink }).finally(() =>
    progress?.end()
  );
  io.stdout(`${r.image.output}\n`);
  log.info(
    `  ${formatBytes(r.image.size)} (${r.image.size} bytes), ${r.image.scan.files} files, ${r.image.scan.dirs} directories, ${r.image.scan.symlinks} symlinks, ${(r.elapsed / 1000).toFixed(2)} s`
  );
  log.info(`  sha256 ${r.image.digests.sha256}`);
  if (r.image.digests.sha512) log.info(`  sha512 ${r.image.digests.sha512}`);
  for (const b of r.sidecars.manifest.boot) log.info(`  boot ${b.platform} ${b.path} at block ${b.lba}`);
  for (const p of r.sidecars.manifest.partitions)
    log.info(`  ${p.table} partition ${p.number} ${p.type} ${p.start}+${p.sectors}`);
  if (r.sidecars.manifestPath) log.info(`  manifest ${r.sidecars.manifestPath}`);
  for (const c of r.sidecars.checksumPaths) log.info(`  checksums ${c}`);
  for (const s of r.sidecars.signatures) log.info(`  ${s.kind} signature ${s.path} (key ${s.keyId})`);
  // the gate step the action runs too: a failure keeps the image on disk and says where
  const failed = gateVerdict(r.image, { maxSize: config.maxSize });
  if (failed) throw failed;
  return 0;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const debug = argv.includes('--debug');
  try {
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
      case 'build':
        return await buildCommand(rest, io);
      case 'verify':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(commandHelp('verify') + '\n');
          return 0;
        }
        return await verifyCommand(rest, io);
      case 'inspect':
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout(commandHelp('inspect') + '\n');
          return 0;
        }
        return await inspectCommand(rest, io);
      default:
        throw new IsoforgeError(`unknown command "${command}" (build, verify, inspect; see --help)`, {
          subject: command
        });
    }
  } catch (e) {
    if (debug && e instanceof Error) io.stderr(`${e.stack}\n`);
    if (e instanceof Error && e.name === 'AbortError') {
      io.stderr('isoforge: interrupted; nothing was written\n');
      return 130;
    }
    io.stderr(`isoforge: ${oneLine(e)}\n`);
    return e instanceof IsoforgeError ? 1 : 70;
  }
}
