/** `isoforge inspect IMAGE [--json]`: what an image holds, readable or as the manifest JSON. */
import { IsoforgeError } from '../errors.js';
import type { Manifest } from '../manifest.js';
import { withImage, type IsoImage } from '../read/image.js';
import { readManifest } from '../read/manifest.js';
import { jsonText, quoted, safeLine, shown } from '../text.js';
import { formatBytes } from '../format.js';
import { parseArgs } from './args.js';
import { commandHelp } from './help.js';
import type { CliIo } from './io.js';

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

export async function inspectCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(commandHelp('inspect') + '\n');
    return 0;
  }
  const args = parseArgs(argv, [], true);
  if (args.positional.length !== 1) {
    throw new IsoforgeError('inspect: give exactly one IMAGE (isoforge inspect IMAGE [--json])', {
      subject: 'inspect'
    });
  }
  await withImage(args.positional[0], async img => {
    const m = await readManifest(img, { hash: args.json, signal: io.signal });
    io.stdout(args.json ? jsonText(m) + '\n' : report(img, m));
  });
  return 0;
}
