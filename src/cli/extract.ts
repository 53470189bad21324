/** `isoforge extract --image IMAGE --output DIR [--path PATH …] [--overwrite true]`: the image's tree as files. */
import { optionError } from '../errors.js';
import { formatBytes } from '../format.js';
import { optionReader } from '../option-values.js';
import { resolveOptions } from '../options.js';
import { runExtract, type ExtractConfig } from '../read/extract.js';
import { optionsOnly } from './args.js';
import { stderrLogger, type CliIo } from './io.js';

export async function extractCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = optionsOnly('extract', argv, io.stdout);
  if (!parsed) return 0;
  const { specs, args } = parsed;
  const v = optionReader('extract', resolveOptions(specs, args.raw, io.env));
  const image = v.text('image');
  if (!image) throw optionError('image', 'required (the ISO image to extract from)');
  const output = v.text('output');
  if (!output) throw optionError('output', 'required (the folder to extract into)');
  const cfg: ExtractConfig = {
    image,
    output,
    paths: v.items('path'),
    overwrite: v.flag('overwrite')
  };
  const log = stderrLogger(io, args.quiet, args.debug);
  const r = await runExtract(cfg, { log, signal: io.signal });
  io.stdout(`${r.output}\n`);
  log.info(
    `  ${r.files} files (${formatBytes(r.bytes)}), ${r.dirs} folders, ${r.symlinks} symlinks, ${r.hardlinks} hard links from the ${r.namespace} tree, ${(r.elapsed / 1000).toFixed(2)} s`
  );
  return 0;
}
