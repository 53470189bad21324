/**
 * Third-party images from Debian packages (scripts/install-test-tools.sh), and their rebuild by
 * isoforge from the extracted tree with the options xorriso reads from the original's boot setup.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { cutOut, translateAsMkisofs, type Translation } from './as-mkisofs.js';
import { cli, type CliResult } from './cli.js';
import { sh } from './tools.js';

export const ORIGINALS = {
  ipxe: '/usr/lib/ipxe/ipxe.iso',
  grubRescue: '/usr/lib/grub-rescue/grub-rescue-cdrom.iso',
  memtest: '/usr/lib/memtest86+/memtest86+x64.iso'
} as const;

/** `xorriso -report_el_torito as_mkisofs`: the mkisofs options of `iso`'s boot setup. */
export function asMkisofsReport(iso: string): string {
  return sh('xorriso', ['-indev', iso, '-report_el_torito', 'as_mkisofs'], {
    env: { ...process.env, LC_ALL: 'C' }
  });
}

/**
 * Extract `iso`'s tree with xorriso (isoforge's own extract is not used: this tests the writer),
 * made writable so that it can be removed; the tree's files keep their bytes.
 */
export function extractTree(iso: string, tree: string): void {
  sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', tree]);
  sh('chmod', ['-R', 'u+w', tree]);
}

export interface Rebuild {
  translation: Translation;
  result: CliResult;
  image: string;
}

/**
 * Extract `original` under `dir`, cut its outside boot images, build it with isoforge (with the
 * translated flags, or what `edit` makes of them).
 */
export async function rebuild(
  original: string,
  dir: string,
  edit: (argv: string[]) => string[] = argv => argv
): Promise<Rebuild> {
  const tree = path.join(dir, 'tree');
  const aside = path.join(dir, 'aside');
  const image = path.join(dir, 'rebuild.iso');
  extractTree(original, tree);
  mkdirSync(aside, { recursive: true });
  const translation = translateAsMkisofs(asMkisofsReport(original), { original, tree, aside });
  for (const c of translation.cuts) cutOut(original, c);
  const result = await cli(['build', '--source', tree, '--output', image, ...edit(translation.argv)]);
  return { translation, result, image };
}
