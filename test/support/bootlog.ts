/**
 * One QEMU boot for a test (src/read/qemu.ts's bootImage, which stops QEMU's process group
 * whatever happens): its time or how it ended goes into `log`, and a boot that misses the marker
 * throws with the command and the serial console's tail (escape sequences removed).
 */
import * as path from 'node:path';
import { bootImage, findQemu, type BootResult, type BootRun } from '../../src/read/qemu.js';

export type Way = readonly ['bios' | 'uefi', 'cd' | 'disk'];
export const FOUR_WAYS: readonly Way[] = [
  ['bios', 'cd'],
  ['bios', 'disk'],
  ['uefi', 'cd'],
  ['uefi', 'disk']
];

export const wayName = ([firmware, media]: Way): string =>
  `${firmware === 'bios' ? 'SeaBIOS' : 'OVMF'} ${media}`;

const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;

export async function bootLogged(
  run: Omit<BootRun, 'firmware' | 'media'>,
  way: Way,
  log: string[]
): Promise<BootResult> {
  const [firmware, media] = way;
  const r = await bootImage({ screen: false, ...run, firmware, media });
  const what = `${path.basename(run.image)} ${wayName(way)}`;
  log.push(`${what}: ${r.ok ? `marker after ${(r.elapsedMs / 1000).toFixed(1)} s` : r.reason}`);
  if (!r.ok) {
    const tail = r.serial.replace(ESCAPES, '').slice(-2000);
    throw new Error(`${what}: ${r.reason}\n${r.command.join(' ')}\n--- serial ---\n${tail}`);
  }
  return r;
}

/** QEMU and OVMF are there, or an error naming what is missing. */
export function needQemu(): void {
  const found = findQemu();
  if (found.missing.length) throw new Error(`missing: ${found.missing.join(', ')}`);
}
