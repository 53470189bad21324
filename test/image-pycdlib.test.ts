/**
 * pycdlib, the strict reader, on the kinds of image the peer tests build: each namespace switched
 * off in turn, and a bootable hybrid image (El Torito BIOS + UEFI, MBR/GPT, appended ESP). Every
 * namespace present must hold the source (names, sizes, bytes) and pass pycdlib's name and
 * path-table checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ISOHDPFX, addIsolinux } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { PYCDLIB, isoByRockRidgeName, pycdlibWalk, type PycdlibView } from './support/pycdlib.js';
import { describeWith, tempDir } from './support/tools.js';
import { bytes, describeTree, makeTree, type Entry } from './support/trees.js';

/** What differs between two descriptions (missing, extra, different entries). */
function diff(want: Map<string, Entry>, got: Map<string, Entry>): string[] {
  const out: string[] = [];
  for (const [k, v] of want) {
    const w = got.get(k);
    if (!w) out.push(`missing ${k}`);
    else if (JSON.stringify(v) !== JSON.stringify(w)) out.push(`differs ${k}: ${JSON.stringify(w)}`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`extra ${k}`);
  return out;
}

const without = (m: Map<string, Entry>, drop: (k: string, e: Entry) => boolean) =>
  new Map([...m].filter(([k, e]) => !drop(k, e)));
const noModes = (m: Map<string, Entry>) => new Map([...m].map(([k, e]) => [k, { ...e, mode: 0 }]));
/** The files' contents, whatever their names (the ISO 9660 tree without Rock Ridge has no others). */
const contents = (m: Map<string, Entry>) =>
  [...m.values()]
    .filter(e => e.type === 'file')
    .map(e => `${e.size}:${e.sha256}`)
    .sort();

describeWith([PYCDLIB, 'mkfs.fat', 'mcopy'], 'pycdlib opens every kind of image', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  let source: Map<string, Entry>;
  beforeAll(() => {
    makeTree(src, { hardlinks: true });
    for (const d of ['EFI/BOOT', 'boot/grub', 'Boot', 'isolinux'])
      mkdirSync(path.join(src, d), { recursive: true });
    source = describeTree(src);
  });
  afterAll(() => t.cleanup());

  const build = async (name: string, flags: Record<string, string>): Promise<PycdlibView> => {
    const iso = path.join(t.dir, `${name}.iso`);
    await buildWith({ source: src, output: iso, 'source-date-epoch': '1700000000', ...flags });
    const v = pycdlibWalk(iso);
    expect(v.problems).toEqual([]);
    return v;
  };

  test('plain ISO 9660 (no Joliet, no Rock Ridge): every file there, under d-character names', async () => {
    const v = await build('plain', { joliet: 'false', 'rock-ridge': 'false' });
    expect(v.joliet).toBeUndefined();
    expect(v.rr).toBeUndefined();
    const noLinks = without(source, (_, e) => e.type === 'symlink');
    expect(contents(v.iso)).toEqual(contents(noLinks));
    expect([...v.iso.values()].filter(e => e.type === 'dir').length).toBe(
      [...noLinks.values()].filter(e => e.type === 'dir').length
    );
  });

  test('Rock Ridge without Joliet: the Rock Ridge tree is the source, modes and links included', async () => {
    const v = await build('rr-only', { joliet: 'false' });
    expect(v.joliet).toBeUndefined();
    expect(diff(source, v.rr!)).toEqual([]);
    expect(diff(noModes(source), isoByRockRidgeName(v))).toEqual([]);
  });

  test('Joliet without Rock Ridge: the Joliet tree is the source without links', async () => {
    const v = await build('joliet-only', { 'rock-ridge': 'false' });
    expect(v.rr).toBeUndefined();
    const want = without(noModes(source), (_, e) => e.type === 'symlink');
    expect(diff(want, v.joliet!)).toEqual([]);
  });

  test('bootable hybrid (ISOLINUX BIOS, UEFI from a folder, MBR/GPT, appended ESP): the tree and the catalog', async () => {
    const boot = path.join(t.dir, 'boot-src');
    makeTree(boot, { symlinks: true });
    addIsolinux(boot);
    mkdirSync(path.join(boot, 'efi-src/EFI/BOOT'), { recursive: true });
    writeFileSync(path.join(boot, 'efi-src/EFI/BOOT/BOOTX64.EFI'), bytes(70000, 9));
    const want = describeTree(boot);
    const iso = path.join(t.dir, 'boot.iso');
    await buildWith({
      source: boot,
      output: iso,
      'source-date-epoch': '1700000000',
      'bios-boot': 'isolinux/isolinux.bin',
      'uefi-boot': 'efi-src',
      hybrid: 'true',
      'mbr-template': ISOHDPFX
    });
    const v = pycdlibWalk(iso);
    expect(v.problems).toEqual([]);
    // the image holds the catalog too, and isolinux.bin carries its boot info table: those two
    // are compared by presence and size, the rest byte for byte
    const patched = 'isolinux/isolinux.bin';
    const settle = (m: Map<string, Entry>, like: Map<string, Entry>) => {
      expect(m.get('boot.catalog')?.type).toBe('file');
      expect(m.get(patched)?.size).toBe(like.get(patched)!.size);
      const out = without(m, k => k === 'boot.catalog');
      out.set(patched, like.get(patched)!);
      return out;
    };
    expect(diff(want, settle(v.rr!, want))).toEqual([]);
    const wantJoliet = without(noModes(want), (_, e) => e.type === 'symlink');
    expect(diff(wantJoliet, settle(v.joliet!, wantJoliet))).toEqual([]);
  });
});
