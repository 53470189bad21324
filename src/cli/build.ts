/** `isoforge build --source DIR --output FILE [options]`: build, print the image's path and a summary. */
import { toBuildConfig } from '../config.js';
import { formatBytes } from '../format.js';
import { gateVerdict } from '../gates.js';
import type { Logger } from '../log.js';
import { resolveOptions } from '../options.js';
import { runBuild, type BuildOutcome } from '../pipeline.js';
import { Progress } from '../progress.js';
import { optionsOnly } from './args.js';
import { stderrLogger, type CliIo } from './io.js';

export async function buildCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = optionsOnly('build', argv, io.stdout);
  if (!parsed) return 0;
  const { specs, args } = parsed;
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
  printSummary(r, log);
  // the gate step the action runs too: a failure keeps the image on disk and says where
  const failed = gateVerdict(r.image, { maxSize: config.maxSize });
  if (failed) throw failed;
  return 0;
}

/** What was written, one line each, on stderr (silent under --quiet). */
function printSummary(r: BuildOutcome, log: Logger): void {
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
}
