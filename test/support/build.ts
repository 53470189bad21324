/** Build through the same path as the CLI, from flag-like options. */
import { toBuildConfig } from '../../src/config.js';
import { MemoryLogger } from '../../src/log.js';
import { optionsFor, resolveOptions } from '../../src/options.js';
import { runBuild, type BuildOutcome } from '../../src/pipeline.js';

/** `flags` as on the command line without dashes: { source, output, 'volume-id': 'X', ... }. */
export async function buildWith(
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): Promise<BuildOutcome & { log: MemoryLogger }> {
  const log = new MemoryLogger();
  const config = toBuildConfig(
    resolveOptions(optionsFor('build', 'cli'), new Map(Object.entries(flags)), env)
  );
  const r = await runBuild(config, { log });
  return { ...r, log };
}
