/**
 * `verify --expect-boot`: each expectation is a platform (`bios`, `uefi`) or a platform with what
 * its image must be (`bios:floppy`, `uefi:partition`): an emulation (none, floppy, hard-disk) or
 * `partition`, an image that is an appended partition (the entry's path `partition:N`, or a file of
 * the tree that a partition is exactly: an ESP stored once).
 */
import type { BootEntryInfo } from '../image/extension.js';

type Entry = BootEntryInfo & { inside: boolean };

function matches(expect: string, e: Entry): boolean {
  const [platform, kind] = expect.split(':');
  if (e.platform !== platform) return false;
  if (kind === undefined) return true;
  if (kind === 'partition') return e.path.startsWith('partition:') || e.partition !== undefined;
  if (kind === 'floppy') return e.emulation.startsWith('floppy');
  return e.emulation === kind;
}

/** An entry as the check's line shows it: `bios b/floppy.img (floppy-1.44M)`. */
export const describeEntry = (e: Entry, shown: (s: string) => string): string =>
  `${e.platform} ${shown(e.path)}${e.partition === undefined ? '' : ` = partition:${e.partition}`}${e.emulation === 'none' ? '' : ` (${e.emulation})`}`;

/** The check's outcome: each expectation needs an entry that matches it and lies inside the image. */
export function checkExpectBoot(
  expect: readonly string[],
  entries: readonly Entry[],
  shown: (s: string) => string
): { ok: boolean; detail: string } {
  const found = entries.map(e => describeEntry(e, shown)).join(', ') || 'no boot catalog';
  const missing = expect.filter(x => !entries.some(e => matches(x, e)));
  if (missing.length > 0)
    return { ok: false, detail: `no El Torito ${missing.join(', ')} entry (found: ${found})` };
  const wanted = entries.filter(e => expect.some(x => matches(x, e)));
  const bad = wanted.find(e => !e.inside);
  if (bad) return { ok: false, detail: `the ${bad.platform} boot image lies outside the image` };
  return { ok: true, detail: wanted.map(e => describeEntry(e, shown)).join(', ') };
}
