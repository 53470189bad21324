/**
 * What `npm run demo` builds, shared by scripts/demo.mjs (through the committed CLI bundle) and
 * test/demo.test.ts (through the same option path as the CLI): a temporary copy of
 * examples/demo/tree with the generated boot program at boot/demo.bin, and the build's flags.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MARKER, makeBootProgram } from './make-boot.mjs';

export { MARKER };
export const DEMO_TREE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tree');
export const DEMO_EPOCH = 1700000000;
export const DEMO_VOLUME_ID = 'ISOFORGE_DEMO';
export const BOOT_PATH = 'boot/demo.bin';

/** Copy the demo tree to a temporary directory and generate the boot program into it. */
export function prepareDemoTree() {
  const dir = mkdtempSync(path.join(tmpdir(), 'isoforge-demo-'));
  const source = path.join(dir, 'tree');
  cpSync(DEMO_TREE, source, { recursive: true });
  mkdirSync(path.join(source, 'boot'), { recursive: true });
  const bootFile = path.join(source, ...BOOT_PATH.split('/'));
  writeFileSync(bootFile, makeBootProgram().bytes);
  return { dir, source, bootFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The build flags (CLI flag names without dashes → values). */
export function demoFlags(source, bootFile, output) {
  return {
    source,
    output,
    'volume-id': DEMO_VOLUME_ID,
    'bios-boot': BOOT_PATH,
    hybrid: 'true',
    // the program is under 432 bytes, so it is also its own MBR boot code for the disk boot
    'mbr-template': bootFile,
    'source-date-epoch': String(DEMO_EPOCH)
  };
}
