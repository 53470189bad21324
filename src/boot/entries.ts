/**
 * The El Torito entry list: `--boot ENTRY` texts parsed into entries, and the shorthands
 * `--bios-boot` / `--uefi-boot` turned into the same entries (BIOS first, then UEFI, then the
 * `--boot` entries in the order given). Only the syntax is checked here; the images themselves
 * are checked once the tree is scanned (src/boot/index.ts).
 */
import type { BuildConfig } from '../config.js';
import { optionError } from '../errors.js';
import { imagePathFromUser } from '../platform.js';
import { FIRST_APPENDED, LAST_APPENDED } from './appended.js';
import { MAX_SECTOR_COUNT } from './eltorito.js';

export type Emulation = 'none' | 'floppy' | 'hard-disk';
const EMULATIONS: readonly Emulation[] = ['none', 'floppy', 'hard-disk'];
const KEYS = [
  'platform',
  'image',
  'partition',
  'emulation',
  'load-size',
  'info-table',
  'grub2-boot-info'
] as const;
type Key = (typeof KEYS)[number];

export interface BootEntry {
  /** the option the entry came from */
  option: 'boot' | 'bios-boot' | 'uefi-boot';
  /** what the user wrote: the entry (`--boot`) or the path (shorthands) */
  text: string;
  platform: 'bios' | 'uefi';
  /** image path inside the tree; and/or */
  image?: string;
  /**
   * appended partition number whose whole content is the boot image; with `image`, the tree file
   * is that partition, stored once (UEFI entries)
   */
  partition?: number;
  emulation: Emulation;
  /** 512-byte sectors; undefined: the default of the entry's kind */
  loadSize?: number;
  infoTable: boolean;
  grub2BootInfo: boolean;
}

/** An error naming the entry: `--boot: 'platform=bios image=x': …` (the shorthands: their flag). */
export function entryError(e: Pick<BootEntry, 'option' | 'text'>, text: string) {
  return e.option === 'boot' ? optionError('boot', `'${e.text}': ${text}`) : optionError(e.option, text);
}

const bool = (e: BootEntry, key: Key, v: string): boolean => {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw entryError(e, `${key}=${v} is not true or false`);
};

const number = (e: BootEntry, key: Key, v: string, min: number, max: number): number => {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) throw entryError(e, `${key}=${v} is not a whole number from ${min} to ${max}`);
  return n;
};

/** One `--boot` text: space-separated key=value pairs (El Torito 2.2 / 2.4 entry). */
export function parseBootEntry(
  text: string,
  config: Pick<BuildConfig, 'bootInfoTable' | 'grub2BootInfo'>
): BootEntry {
  const given = new Map<Key, string>();
  const e: BootEntry = {
    option: 'boot',
    text,
    platform: 'bios',
    emulation: 'none',
    infoTable: false,
    grub2BootInfo: false
  };
  for (const pair of text.split(/\s+/).filter(s => s !== '')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, Math.max(eq, 0));
    if (eq <= 0) throw entryError(e, `"${pair}" is not key=value`);
    if (!(KEYS as readonly string[]).includes(key))
      throw entryError(e, `unknown key "${key}" (keys: ${KEYS.join(', ')})`);
    if (given.has(key as Key)) throw entryError(e, `${key} is given twice`);
    given.set(key as Key, pair.slice(eq + 1));
  }
  const platform = given.get('platform');
  if (platform === undefined) throw entryError(e, 'platform= is missing (bios or uefi)');
  if (platform !== 'bios' && platform !== 'uefi')
    throw entryError(e, `platform=${platform} is not bios or uefi`);
  e.platform = platform;
  const image = given.get('image');
  const partition = given.get('partition');
  if (image === undefined && partition === undefined)
    throw entryError(e, 'image= (a path in the source) or partition= (an appended partition) is missing');
  const both = image !== undefined && partition !== undefined;
  if (both && e.platform === 'bios')
    throw entryError(
      e,
      'image= with partition= stores a UEFI image once, as its ESP; a BIOS entry gives image= or partition='
    );
  if (image !== undefined) e.image = imagePathFromUser(image, 'boot');
  // image= and partition=: the tree file is appended partition N (2-4: GPT entry 1 is the ISO 9660 data)
  if (partition !== undefined)
    e.partition = number(e, 'partition', partition, both ? FIRST_APPENDED : 1, LAST_APPENDED);
  const emulation = given.get('emulation') ?? 'none';
  if (!(EMULATIONS as readonly string[]).includes(emulation))
    throw entryError(e, `emulation=${emulation} is not one of ${EMULATIONS.join(', ')}`);
  e.emulation = emulation as Emulation;
  if (both && e.emulation !== 'none')
    throw entryError(e, 'an image stored as its partition is booted without emulation (emulation=none)');
  const loadSize = given.get('load-size');
  if (loadSize !== undefined) e.loadSize = number(e, 'load-size', loadSize, 1, MAX_SECTOR_COUNT);
  // the defaults of --boot-info-table / --grub2-boot-info apply to BIOS no-emulation images, as
  // for --bios-boot; an emulated image is never patched (the table would overwrite its FAT header)
  const patchable = e.platform === 'bios' && e.emulation === 'none' && e.image !== undefined;
  const infoTable = given.get('info-table');
  const grub2 = given.get('grub2-boot-info');
  e.infoTable =
    infoTable === undefined ? patchable && config.bootInfoTable : bool(e, 'info-table', infoTable);
  e.grub2BootInfo =
    grub2 === undefined ? patchable && config.grub2BootInfo : bool(e, 'grub2-boot-info', grub2);
  for (const [key, on] of [
    ['info-table', e.infoTable],
    ['grub2-boot-info', e.grub2BootInfo]
  ] as const) {
    if (!on) continue;
    if (e.emulation !== 'none')
      throw entryError(
        e,
        `${key}=true patches no-emulation images only (it would overwrite the ${e.emulation} image's boot sector)`
      );
    if (e.partition !== undefined)
      throw entryError(e, `${key}=true patches images in the tree, not an appended partition`);
  }
  return e;
}

/** The catalog's entries in order: the shorthands' (BIOS, then UEFI), then the `--boot` entries. */
export function bootEntries(config: BuildConfig): BootEntry[] {
  const common = { emulation: 'none' as const, grub2BootInfo: config.grub2BootInfo };
  return [
    ...config.biosBoot.map((p): BootEntry => ({
      ...common,
      option: 'bios-boot',
      text: p,
      platform: 'bios',
      image: imagePathFromUser(p, 'bios-boot'),
      infoTable: config.bootInfoTable
    })),
    ...config.uefiBoot.map((p): BootEntry => ({
      option: 'uefi-boot',
      text: p,
      platform: 'uefi',
      image: imagePathFromUser(p, 'uefi-boot'),
      emulation: 'none',
      infoTable: false,
      grub2BootInfo: false
    })),
    ...config.boot.map(t => parseBootEntry(t, config))
  ];
}
