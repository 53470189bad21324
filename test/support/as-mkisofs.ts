/**
 * `xorriso -indev X -report_el_torito as_mkisofs` — the mkisofs options that would rebuild X's
 * boot setup — turned into isoforge build flags, for the third-party rebuild tests. Boot images
 * that live outside X's tree (the system area's MBR code, an appended partition) are named by
 * xorriso as `--interval:` byte ranges of X; they become `cuts`, files the caller cuts out of X
 * (cutOut) into `aside` before the build. Every option is mapped, ignored with the reason in
 * IGNORED, or refused: an option this table does not know fails the translation, naming it.
 */
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SECTOR } from '../../src/image/bytes.js';
import { BOOT_SIGNATURE, MBR_CODE_BYTES, MBR_SECTOR, MBR_TABLE_OFFSET } from '../../src/boot/mbr.js';

/** A byte range of the original image to be written to `file` (zeroizers applied). */
export interface Cut {
  file: string;
  start: number;
  length: number;
  /** xorriso's zero_mbrpt: the MBR partition table (bytes 446-509) zeroed */
  zeroMbrTable: boolean;
}

export interface Translation {
  /** isoforge build flags, in order (--source and --output not included) */
  argv: string[];
  cuts: Cut[];
  /** options of the report that have no isoforge equivalent, with why they are left out */
  ignored: { option: string; reason: string }[];
}

/**
 * as_mkisofs options isoforge has no equivalent for, and why the rebuild boots the same without
 * them. A value that would matter (a partition offset other than 0) is refused instead.
 */
export const IGNORED: Record<string, string> = {
  '-partition_cyl_align':
    'pads the image to whole cylinders for CHS-addressing BIOSes; isoforge sizes the image by its content (SeaBIOS and OVMF read by LBA)',
  '-partition_hd_cyl': "CHS geometry of the MBR entries; isoforge's MBR uses its own, firmware reads by LBA",
  '-partition_sec_hd': "CHS geometry of the MBR entries; isoforge's MBR uses its own, firmware reads by LBA",
  '-partition_offset':
    "0 is isoforge's layout (the ISO partition starts at sector 0); another value is refused",
  '--mbr-force-bootable':
    "isoforge's hybrid MBR always has an active entry when it has boot code (src/boot/hybrid.ts)",
  '-iso_mbr_part_type':
    "the type byte of an MBR entry over the ISO; isoforge's MBR is the GPT's protective 0xEE entry plus the active dummy, and BIOSes run the MBR code whatever the types",
  '--protective-msdos-label':
    "isoforge's hybrid layout always has an MBR partition table (the GPT's protective entry)",
  'system area after the MBR code':
    "the --interval's bytes past 431 (the MBR's table and signature, GPT, APM) are isoforge's own; only the boot code is kept",
  '--modification-date hundredths': 'source-date-epoch is whole seconds'
};

/** xorriso's interval units (xorriso(1), --interval): d = 512 bytes, s = 2048, k, m, g; none = bytes. */
const INTERVAL_UNITS: Record<string, number> = {
  '': 1,
  d: MBR_SECTOR,
  s: SECTOR,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3
};

/** The report's words: whitespace outside quotes splits; '…' and "…" quote (adjacent parts join). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  const re = /\s*((?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"]+)+)/gy;
  for (let m = re.exec(text); m && m[1]; m = re.exec(text)) {
    const parts = m[1].match(/'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"]+/g) ?? [];
    words.push(
      parts
        .map(p =>
          p.startsWith("'") ? p.slice(1, -1) : p.startsWith('"') ? p.slice(1, -1).replace(/\\(.)/g, '$1') : p
        )
        .join('')
    );
  }
  return words;
}

/** `--interval:local_fs:3304d-11495d::FILE` → the byte range; only ranges of `original`. */
function interval(word: string, original: string): { start: number; length: number; zeroMbrTable: boolean } {
  const m = /^--interval:([^:]*):(\d+)([dskmg]?)-(\d+)([dskmg]?):([^:]*):(.*)$/.exec(word);
  if (!m) throw new Error(`as_mkisofs: cannot read the interval ${word}`);
  const [, flags, a, au, b, bu, zeroizers, source] = m;
  if (flags !== 'local_fs' || path.resolve(source) !== path.resolve(original))
    throw new Error(`as_mkisofs: ${word} is not a range of ${original}`);
  const zero = zeroizers.split(',').filter(Boolean);
  const unknown = zero.filter(z => z !== 'zero_mbrpt');
  if (unknown.length) throw new Error(`as_mkisofs: zeroizer ${unknown.join(',')} not supported`);
  const start = Number(a) * INTERVAL_UNITS[au];
  // the end names its last unit: 0s-15s is 16 blocks of 2048 bytes
  const end = (Number(b) + 1) * INTERVAL_UNITS[bu];
  return { start, length: end - start, zeroMbrTable: zero.includes('zero_mbrpt') };
}

interface Entry {
  platform: 'bios' | 'uefi';
  image?: string;
  partition?: number;
  emulation: 'none' | 'floppy' | 'hard-disk';
  loadSize?: number;
  infoTable: boolean;
  grub2: boolean;
}

/** `--modification-date=YYYYMMDDhhmmsscc` (UTC) → seconds since 1970. */
function epochOf(date: string): { seconds: number; hundredths: number } {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(date);
  if (!m) throw new Error(`as_mkisofs: --modification-date=${date} is not YYYYMMDDhhmmsscc`);
  const [y, mo, d, h, mi, s, cs] = m.slice(1).map(Number);
  return { seconds: Date.UTC(y, mo - 1, d, h, mi, s) / 1000, hundredths: cs };
}

/** What the report says, gathered: entries in catalog order, the MBR code, appended partitions. */
interface Report {
  volumeId?: string;
  epoch?: number;
  catalog?: string;
  mbr?: Cut;
  /** how the MBR code addresses the BIOS image: -isohybrid-mbr or --grub2-mbr */
  mbrKind?: 'isohybrid' | 'grub2';
  appended: { n: number; type: string; cut: Cut }[];
  entries: Entry[];
  /** after -eltorito-alt-boot: the next -b or -e starts another entry */
  altBoot: boolean;
  ignored: Translation['ignored'];
}

/** A path of the report (absolute in the image) as a path in the tree. */
const inTree = (p: string) => p.replace(/^\/+/, '');

/** Apply an El Torito entry's option to `r`; returns how many words it took (0: not one of those). */
function readEntryOption(w: string, arg: string, r: Report): number {
  const entry = r.entries[r.entries.length - 1];
  const needEntry = () => {
    if (!entry) throw new Error(`as_mkisofs: ${w} before any -b or -e`);
    return entry;
  };
  switch (w) {
    case '-b':
    case '-e': {
      const part = /^--interval:appended_partition_(\d+)[_:]/.exec(arg);
      const platform = w === '-b' ? 'bios' : 'uefi';
      // mkisofs: an entry emulates a floppy unless -no-emul-boot or -hard-disk-boot says otherwise
      const e: Entry = { platform, emulation: 'floppy', infoTable: false, grub2: false };
      if (part) e.partition = Number(part[1]);
      else e.image = inTree(arg);
      if (entry && !r.altBoot) throw new Error(`as_mkisofs: ${w} without -eltorito-alt-boot`);
      r.altBoot = false;
      r.entries.push(e);
      return 2;
    }
    case '-eltorito-alt-boot':
      r.altBoot = true;
      return 1;
    case '-no-emul-boot':
      needEntry().emulation = 'none';
      return 1;
    case '-hard-disk-boot':
      needEntry().emulation = 'hard-disk';
      return 1;
    case '-boot-load-size':
      needEntry().loadSize = Number(arg);
      return 2;
    case '-boot-info-table':
      needEntry().infoTable = true;
      return 1;
    case '--grub2-boot-info':
      needEntry().grub2 = true;
      return 1;
    default:
      return 0;
  }
}

/** Apply one option (at words[i]) to `r`; returns how many words it took. */
function readOption(words: string[], i: number, r: Report, original: string, aside: string): number {
  const w = words[i];
  const arg = words[i + 1];
  const taken = readEntryOption(w, arg, r);
  if (taken) return taken;
  if (w.startsWith('--modification-date=')) {
    const { seconds, hundredths } = epochOf(w.slice(w.indexOf('=') + 1));
    r.epoch = seconds;
    if (hundredths) r.ignored.push({ option: w, reason: IGNORED['--modification-date hundredths'] });
    return 1;
  }
  switch (w) {
    case '-V':
      r.volumeId = arg;
      return 2;
    case '-c':
      r.catalog = inTree(arg);
      return 2;
    case '-isohybrid-mbr':
    case '--grub2-mbr': {
      const range = interval(arg, original);
      // the MBR's boot code only: isoforge writes the table, GPT and APM itself
      r.mbr = { file: path.join(aside, 'mbr.bin'), ...range, length: Math.min(range.length, MBR_CODE_BYTES) };
      r.mbrKind = w === '--grub2-mbr' ? 'grub2' : 'isohybrid';
      if (range.length > MBR_CODE_BYTES)
        r.ignored.push({ option: `${w} (bytes 432-)`, reason: IGNORED['system area after the MBR code'] });
      return 2;
    }
    case '-append_partition': {
      const n = Number(arg);
      const file = path.join(aside, `partition-${n}.img`);
      r.appended.push({ n, type: words[i + 2], cut: { file, ...interval(words[i + 3], original) } });
      return 4;
    }
    case '-partition_offset':
      if (arg !== '0')
        throw new Error(`as_mkisofs: -partition_offset ${arg}: isoforge has no partition offset`);
      r.ignored.push({ option: `${w} ${arg}`, reason: IGNORED[w] });
      return 2;
    case '-partition_cyl_align':
    case '-partition_hd_cyl':
    case '-partition_sec_hd':
    case '-iso_mbr_part_type':
      r.ignored.push({ option: `${w} ${arg}`, reason: IGNORED[w] });
      return 2;
    case '--mbr-force-bootable':
    case '--protective-msdos-label':
      r.ignored.push({ option: w, reason: IGNORED[w] });
      return 1;
    default:
      throw new Error(`as_mkisofs: ${w} has no isoforge equivalent in test/support/as-mkisofs.ts`);
  }
}

/** The entries as `--boot` values (issue 15's syntax). */
function bootFlag(e: Entry): string {
  const kv = [`platform=${e.platform}`, e.image ? `image=${e.image}` : `partition=${e.partition}`];
  kv.push(`emulation=${e.emulation}`);
  if (e.loadSize !== undefined) kv.push(`load-size=${e.loadSize}`);
  if (e.emulation === 'none') kv.push(`info-table=${e.infoTable}`, `grub2-boot-info=${e.grub2}`);
  return kv.join(' ');
}

/**
 * Whether today's shorthands say the same: at most one no-emulation BIOS entry first, at most one
 * no-emulation UEFI entry from a file in the tree whose load size is the file's (isoforge's own).
 */
function shorthandFits(entries: Entry[], tree: string): boolean {
  const [bios, uefi, ...more] = entries;
  if (more.length || !bios) return false;
  if (bios.platform !== 'bios' || bios.emulation !== 'none' || !bios.image) return false;
  if (!uefi) return true;
  if (uefi.platform !== 'uefi' || uefi.emulation !== 'none' || !uefi.image) return false;
  return (
    uefi.loadSize === undefined || uefi.loadSize * MBR_SECTOR === statSync(path.join(tree, uefi.image)).size
  );
}

/** Translate `report` (of `original`, whose tree is extracted at `tree`); cuts go into `aside`. */
export function translateAsMkisofs(
  report: string,
  o: { original: string; tree: string; aside: string }
): Translation {
  const words = shellWords(report);
  const r: Report = { appended: [], entries: [], altBoot: false, ignored: [] };
  for (let i = 0; i < words.length;) i += readOption(words, i, r, o.original, o.aside);
  const argv: string[] = [];
  if (r.volumeId !== undefined) argv.push('--volume-id', r.volumeId);
  if (r.epoch !== undefined) argv.push('--source-date-epoch', String(r.epoch));
  if (r.catalog) argv.push('--boot-catalog', r.catalog);
  if (shorthandFits(r.entries, o.tree)) {
    const [bios, uefi] = r.entries;
    argv.push('--bios-boot', bios.image!, '--boot-info-table', String(bios.infoTable));
    argv.push('--grub2-boot-info', String(bios.grub2));
    if (bios.loadSize !== undefined) argv.push('--bios-boot-load-size', String(bios.loadSize));
    if (uefi) argv.push('--uefi-boot', uefi.image!);
  } else {
    for (const e of r.entries) argv.push('--boot', bootFlag(e));
  }
  for (const a of r.appended) argv.push('--append-partition', `${a.n} ${a.type} ${a.cut.file}`);
  const hybrid = r.mbr !== undefined || r.appended.length > 0;
  argv.push('--hybrid', String(hybrid));
  if (r.mbr) argv.push('--mbr-template', r.mbr.file, '--mbr-kind', r.mbrKind!);
  const cuts = [...(r.mbr ? [r.mbr] : []), ...r.appended.map(a => a.cut)];
  return { argv, cuts, ignored: r.ignored };
}

/** Write a cut of `original` to its file. */
export function cutOut(original: string, c: Cut): void {
  const b = Buffer.alloc(c.length);
  const fd = openSync(original, 'r');
  try {
    if (readSync(fd, b, 0, c.length, c.start) !== c.length)
      throw new Error(`${original}: bytes ${c.start}-${c.start + c.length - 1} are past its end`);
  } finally {
    closeSync(fd);
  }
  if (c.zeroMbrTable && c.start === 0 && c.length >= BOOT_SIGNATURE.offset)
    b.fill(0, MBR_TABLE_OFFSET, BOOT_SIGNATURE.offset);
  writeFileSync(c.file, b);
}
