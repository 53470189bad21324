/** `isoforge inspect IMAGE [--json]`: what an image holds, readable or as the manifest JSON. */
import { IsoforgeError, optionError } from '../errors.js';
import { asOptions, flagLines } from '../read/as-options.js';
import type { Manifest } from '../manifest.js';
import { withImage, type IsoImage } from '../read/image.js';
import { readManifest } from '../read/manifest.js';
import { jsonText, quoted, safeLine, shown } from '../text.js';
import { formatBytes } from '../format.js';
import { parseArgs } from './args.js';
import { commandHelp } from './help.js';
import { stderrLogger, type CliIo } from './io.js';

function report(img: IsoImage, m: Manifest): string {
  const out: string[] = [];
  const date = img.pvd.created !== undefined ? new Date(img.pvd.created * 1000).toISOString() : 'none';
  out.push(`image       ${safeLine(img.path)} (${formatBytes(img.size)}, ${img.size} bytes)`);
  out.push(`volume      ${quoted(img.pvd.volumeId)}, ${img.volumeBlocks} blocks of 2048, created ${date}`);
  const ids: [string, string | undefined][] = [
    ['system', img.pvd.systemId],
    ['volume set', img.pvd.volumeSetId],
    ['publisher', img.pvd.publisherId],
    ['preparer', img.pvd.preparerId],
    ['application', img.pvd.applicationId],
    ['Joliet id', img.jolietVd?.volumeId]
  ];
  for (const [what, text] of ids) if (text) out.push(`${what.padEnd(11)} ${quoted(text)}`);
  const ns = [img.tree.namespace === 'rockridge' ? 'ISO 9660 + Rock Ridge' : 'ISO 9660'];
  if (img.joliet) ns.push('Joliet');
  out.push(`trees       ${ns.join(', ')} (listing from ${img.tree.namespace})`);
  if (img.boot) {
    out.push(`El Torito   catalog at block ${img.boot.catalogLba}`);
    for (const b of img.boot.entries) {
      out.push(
        `  boot      ${shown(b.platform).padEnd(5)} ${shown(b.path)}  block ${b.lba}, ${b.loadSize} sectors, emulation ${b.emulation}${b.bootable ? '' : ' (not bootable)'}`
      );
    }
  } else out.push('El Torito   none');
  for (const p of img.partitions) {
    out.push(
      `partition   ${p.table} ${p.number} ${shown(p.type)}${p.name ? ` ${quoted(p.name)}` : ''} start ${p.start} sectors ${p.sectors}${p.bootable ? ' bootable' : ''}`
    );
  }
  if (img.md5) out.push(`MD5         implanted ${img.md5.md5} (verify checks it)`);
  for (const n of img.notes) out.push(`note        ${safeLine(n)}`);
  for (const p of img.problems) out.push(`PROBLEM     ${safeLine(p)}`);
  out.push('', 'tree:');
  for (const e of m.entries) {
    const size = e.type === 'file' ? String(e.size).padStart(12) : ''.padStart(12);
    const p = shown(e.path);
    const name = e.type === 'dir' ? `${p}/` : e.type === 'symlink' ? `${p} -> ${shown(e.target ?? '')}` : p;
    out.push(`  ${shown(e.mode)} ${size}  ${name}`);
  }
  return out.join('\n') + '\n';
}

const USAGE = 'isoforge inspect IMAGE [--json | --as-options [--output DIR]]';

/** `--as-options` and `--output DIR` (inspect's own flags; the rest goes to parseArgs). */
function asOptionsArgs(argv: string[]): { rest: string[]; asOptions: boolean; output?: string } {
  const rest: string[] = [];
  let as = false;
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--as-options') as = true;
    else if (argv[i] === '--output' || argv[i].startsWith('--output=')) {
      output = argv[i].includes('=') ? argv[i].slice('--output='.length) : argv[++i];
      if (!output) throw optionError('output', 'give the folder to write the byte ranges to');
    } else rest.push(argv[i]);
  }
  if (output !== undefined && !as)
    throw optionError('output', 'inspect takes --output with --as-options only');
  return { rest, asOptions: as, output };
}

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(commandHelp('inspect') + '\n');
    return 0;
  }
  const { rest, asOptions: as, output } = asOptionsArgs(argv);
  const args = parseArgs(rest, [], true);
  if (args.positional.length !== 1) {
    throw new IsoforgeError(`inspect: give exactly one IMAGE (${USAGE})`, { subject: 'inspect' });
  }
  if (as) {
    const flags = await withImage(args.positional[0], img =>
      asOptions(img, output, what =>
        stderrLogger(io, true, false).warn(
          `${img.path}: ${what} left out (isoforge writes none); the flags give the rest of its boot setup`
        )
      )
    );
    io.stdout(flagLines(flags));
    return 0;
  }
  await withImage(args.positional[0], async img => {
    const m = await readManifest(img, { hash: args.json, signal: io.signal });
    io.stdout(args.json ? jsonText(m) + '\n' : report(img, m));
  });
  return 0;
}
