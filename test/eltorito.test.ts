/**
 * Boot: El Torito encoders against the bytes xorriso writes for the same inputs (catalog, boot
 * record, boot info table, GRUB2 boot info), parser round trips and hostile input, the > 32 MiB
 * rule, and every bad-input error (one IsoforgeError, nothing written).
 */
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import {
  BOOT_INFO_TABLE,
  GRUB2_BOOT_INFO,
  bootInfoChecksum,
  parseBootInfoTable,
  patchBootInfoTable,
  readGrub2BootInfo
} from '../src/boot/bootinfo.js';
import {
  ENTRY_SIZE,
  PLATFORM_EFI,
  PLATFORM_X86,
  encodeBootCatalog,
  encodeBootRecord,
  loadSizeFor,
  parseBootCatalog,
  parseBootRecord,
  type CatalogEntrySpec
} from '../src/boot/eltorito.js';
import { IsoforgeError } from '../src/errors.js';
import { hashTree, makeEfiFat } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const SECTOR = 2048;

function readAt(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** image path → LBA and size, as xorriso reads the tree back */
function lbas(iso: string): Map<string, { lba: number; size: number }> {
  const out = new Map<string, { lba: number; size: number }>();
  const text = sh('xorriso', ['-indev', iso, '-find', '/', '-type', 'f', '-exec', 'report_lba', '--']);
  for (const m of text.matchAll(/^File data lba:\s*\d+\s*,\s*(\d+)\s*,\s*\d+\s*,\s*(\d+)\s*,\s*'(.*)'$/gm))
    out.set(m[3].replace(/^\//, ''), { lba: Number(m[1]), size: Number(m[2]) });
  return out;
}

function catalogOf(iso: string): { lba: number; bytes: Buffer } {
  const br = parseBootRecord(readAt(iso, 17 * SECTOR, SECTOR));
  if (!br) throw new Error(`${iso}: no boot record at block 17`);
  return { lba: br.catalogLba, bytes: readAt(iso, br.catalogLba * SECTOR, SECTOR) };
}

/** The catalog with every entry's LBA field zeroed (the two tools place files differently). */
function maskLbas(cat: Buffer): Buffer {
  const b = Buffer.from(cat);
  b.fill(0, ENTRY_SIZE + 8, ENTRY_SIZE + 12); // default entry
  for (let off = 2 * ENTRY_SIZE; off + ENTRY_SIZE <= SECTOR && (b[off] === 0x90 || b[off] === 0x91);) {
    const last = b[off] === 0x91;
    const n = b.readUInt16LE(off + 2);
    off += ENTRY_SIZE;
    for (let k = 0; k < n && off + ENTRY_SIZE <= SECTOR; k++, off += ENTRY_SIZE) b.fill(0, off + 8, off + 12);
    if (last) break;
  }
  return b;
}

function xorriso(src: string, out: string, args: string[]): void {
  sh('xorriso', ['-as', 'mkisofs', '-quiet', '-o', out, '-R', '-c', 'boot.catalog', ...args, src]);
}

function expectFailure(e: unknown, re: RegExp): void {
  expect(e).toBeInstanceOf(IsoforgeError);
  expect((e as Error).message).toMatch(re);
  expect((e as Error).message).not.toContain('\n');
}

describeWith(['xorriso', 'mkfs.fat', 'mcopy'], 'El Torito against xorriso', () => {
  const t = tempDir('isoforge-eltorito-');
  const src = path.join(t.dir, 'src');
  const base = { source: src, 'volume-id': 'ELTORITO', 'source-date-epoch': '1700000000', hybrid: 'false' };

  beforeAll(() => {
    mkdirSync(path.join(src, 'b'), { recursive: true });
    writeFileSync(path.join(src, 'b/a.bin'), bytes(9001, 1));
    writeFileSync(path.join(src, 'b/c.bin'), bytes(3000, 2));
    writeFileSync(path.join(src, 'b/fake.efi'), bytes(70000, 3));
    makeEfiFat(path.join(src, 'b/efi.img'), path.join(src, 'b/fake.efi'));
    makeEfiFat(path.join(src, 'b/efi2.img'), path.join(src, 'b/c.bin'));
    writeFileSync(path.join(src, 'README.txt'), 'boot test\n');
  });
  afterAll(() => t.cleanup());

  test('2 BIOS + 2 UEFI entries: catalog, boot record and boot info tables as xorriso writes them', async () => {
    const before = hashTree(src);
    const ours = path.join(t.dir, 'ours.iso');
    const theirs = path.join(t.dir, 'xorriso.iso');
    const r = await buildWith({
      ...base,
      output: ours,
      'bios-boot': 'b/a.bin\nb/c.bin',
      'uefi-boot': 'b/efi.img\nb/efi2.img'
    });
    const bios = ['-no-emul-boot', '-boot-load-size', '4', '-boot-info-table'];
    xorriso(src, theirs, [
      ...['-b', 'b/a.bin', ...bios, '-eltorito-alt-boot', '-b', 'b/c.bin', ...bios],
      ...[
        '-eltorito-alt-boot',
        '-e',
        'b/efi.img',
        '-no-emul-boot',
        '-eltorito-alt-boot',
        '-e',
        'b/efi2.img',
        '-no-emul-boot'
      ]
    ]);
    expect(hashTree(src)).toBe(before); // the boot images' source files are never patched

    const oc = catalogOf(ours);
    const xc = catalogOf(theirs);
    expect(maskLbas(oc.bytes)).toEqual(maskLbas(xc.bytes));
    // boot record: identical but for the catalog address
    const obr = readAt(ours, 17 * SECTOR, SECTOR);
    const xbr = readAt(theirs, 17 * SECTOR, SECTOR);
    obr.fill(0, 71, 75);
    xbr.fill(0, 71, 75);
    expect(obr).toEqual(xbr);

    const parsed = parseBootCatalog(oc.bytes);
    expect(parsed.validation).toEqual({ platform: PLATFORM_X86, idString: '', checksumOk: true });
    expect(parsed.entries.map(e => [e.platform, e.sectorCount])).toEqual([
      [0, 4],
      [0, 4],
      [0xef, loadSizeFor(readFileSync(path.join(src, 'b/efi.img')).length, PLATFORM_EFI)],
      [0xef, loadSizeFor(readFileSync(path.join(src, 'b/efi2.img')).length, PLATFORM_EFI)]
    ]);
    const where = lbas(ours);
    expect(parsed.entries.map(e => e.lba)).toEqual(
      ['b/a.bin', 'b/c.bin', 'b/efi.img', 'b/efi2.img'].map(p => where.get(p)!.lba)
    );
    // the catalog is a visible file where the boot record says, right before the boot images
    expect(r.image.plan.file('boot.catalog')!.lba).toBe(oc.lba);
    expect(sh('isoinfo', ['-R', '-f', '-i', ours]).split('\n')).toContain('/boot.catalog');
    expect(where.get('b/a.bin')!.lba).toBe(oc.lba + 1);

    // the boot info tables: equal to xorriso's but for the image's own LBA
    const xwhere = lbas(theirs);
    for (const p of ['b/a.bin', 'b/c.bin']) {
      const size = where.get(p)!.size;
      const o = readAt(ours, where.get(p)!.lba * SECTOR, size);
      const x = readAt(theirs, xwhere.get(p)!.lba * SECTOR, size);
      const ot = parseBootInfoTable(o);
      expect(ot).toEqual({
        pvdLba: 16,
        fileLba: where.get(p)!.lba,
        fileLength: size,
        checksum: ot.checksum,
        checksumOk: true
      });
      expect(parseBootInfoTable(x).fileLba).toBe(xwhere.get(p)!.lba);
      o.fill(0, BOOT_INFO_TABLE.fileLba, BOOT_INFO_TABLE.fileLba + 4);
      x.fill(0, BOOT_INFO_TABLE.fileLba, BOOT_INFO_TABLE.fileLba + 4);
      expect(o).toEqual(x);
    }
    // the manifest's view
    const ext = r.image.plan.extensions.find(e => e.name === 'eltorito')!;
    expect(ext.describe!(r.image.plan).boot).toEqual([
      {
        platform: 'bios',
        path: 'b/a.bin',
        emulation: 'none',
        loadSize: 4,
        lba: where.get('b/a.bin')!.lba,
        bootInfoTable: true
      },
      {
        platform: 'bios',
        path: 'b/c.bin',
        emulation: 'none',
        loadSize: 4,
        lba: where.get('b/c.bin')!.lba,
        bootInfoTable: true
      },
      {
        platform: 'uefi',
        path: 'b/efi.img',
        emulation: 'none',
        loadSize: parsed.entries[2].sectorCount,
        lba: where.get('b/efi.img')!.lba
      },
      {
        platform: 'uefi',
        path: 'b/efi2.img',
        emulation: 'none',
        loadSize: parsed.entries[3].sectorCount,
        lba: where.get('b/efi2.img')!.lba
      }
    ]);
  });

  test('UEFI only, hidden catalog: validation entry for 0xEF as xorriso writes it', async () => {
    const ours = path.join(t.dir, 'uefi-ours.iso');
    const theirs = path.join(t.dir, 'uefi-xorriso.iso');
    await buildWith({ ...base, output: ours, 'uefi-boot': 'b/efi.img', 'boot-catalog-hide': 'true' });
    xorriso(src, theirs, ['--boot-catalog-hide', '-e', 'b/efi.img', '-no-emul-boot']);
    const oc = catalogOf(ours);
    expect(maskLbas(oc.bytes)).toEqual(maskLbas(catalogOf(theirs).bytes));
    expect(oc.bytes.readUInt16LE(28)).toBe(0x66aa);
    expect(lbas(ours).has('boot.catalog')).toBe(false);
    expect(sh('xorriso', ['-indev', ours, '-report_el_torito', 'plain'])).toMatch(
      /El Torito boot img :\s+1\s+UEFI\s+y\s+none/
    );
  });

  test('--grub2-boot-info: LBA × 4 + 5 at 2548, under a boot info table whose checksum covers it', async () => {
    const ours = path.join(t.dir, 'grub2-ours.iso');
    const theirs = path.join(t.dir, 'grub2-xorriso.iso');
    await buildWith({ ...base, output: ours, 'bios-boot': 'b/a.bin', 'grub2-boot-info': 'true' });
    xorriso(src, theirs, [
      '-b',
      'b/a.bin',
      '-no-emul-boot',
      '-boot-load-size',
      '4',
      '-boot-info-table',
      '--grub2-boot-info'
    ]);
    const o = lbas(ours).get('b/a.bin')!;
    const x = lbas(theirs).get('b/a.bin')!;
    const ob = readAt(ours, o.lba * SECTOR, o.size);
    const xb = readAt(theirs, x.lba * SECTOR, x.size);
    expect(readGrub2BootInfo(ob)).toBe(BigInt(o.lba) * 4n + 5n);
    expect(readGrub2BootInfo(xb)).toBe(BigInt(x.lba) * 4n + 5n);
    expect(parseBootInfoTable(ob).checksumOk).toBe(true);
    expect(parseBootInfoTable(xb).checksumOk).toBe(true);
    for (const b of [ob, xb]) {
      b.fill(0, BOOT_INFO_TABLE.fileLba, BOOT_INFO_TABLE.fileLba + 4);
      b.fill(0, BOOT_INFO_TABLE.checksum, BOOT_INFO_TABLE.checksum + 4);
      b.fill(0, GRUB2_BOOT_INFO.offset, GRUB2_BOOT_INFO.end);
    }
    expect(ob).toEqual(xb);
  });

  test('UEFI images over 32 MiB: sector count 0, as xorriso writes it', async () => {
    const big = path.join(t.dir, 'big');
    mkdirSync(big);
    // 32766 KiB still fits (65532 sectors); 32767 KiB rounds up to 65536 → 0; 40 MiB → 0
    for (const [name, kib] of [
      ['a.img', 32766],
      ['b.img', 32767],
      ['c.img', 40960]
    ] as const) {
      sh('mkfs.fat', ['-C', '-i', '12345678', path.join(big, name), String(kib)]);
    }
    const ours = path.join(t.dir, 'big-ours.iso');
    const theirs = path.join(t.dir, 'big-xorriso.iso');
    await buildWith({ ...base, source: big, output: ours, 'uefi-boot': 'a.img\nb.img\nc.img' });
    const e = ['-no-emul-boot'];
    xorriso(big, theirs, [
      '-e',
      'a.img',
      ...e,
      '-eltorito-alt-boot',
      '-e',
      'b.img',
      ...e,
      '-eltorito-alt-boot',
      '-e',
      'c.img',
      ...e
    ]);
    const counts = (iso: string) => parseBootCatalog(catalogOf(iso).bytes).entries.map(x => x.sectorCount);
    expect(counts(ours)).toEqual([65532, 0, 0]);
    expect(counts(theirs)).toEqual([65532, 0, 0]);
  });

  test('a boot catalog already in the source (a tree extracted from an image) is replaced, with a warning; its hard link keeps the old bytes', async () => {
    const src = path.join(t.dir, 'extracted');
    mkdirSync(path.join(src, 'isolinux'), { recursive: true });
    writeFileSync(path.join(src, 'isolinux/isolinux.bin'), bytes(3000, 7));
    writeFileSync(path.join(src, 'isolinux/boot.cat'), 'the old catalog, from the extracted image\n');
    linkSync(path.join(src, 'isolinux/boot.cat'), path.join(src, 'old-catalog.bin'));
    const before = hashTree(src);
    const out = path.join(t.dir, 'extracted.iso');
    const r = await buildWith({
      ...base,
      source: src,
      output: out,
      'bios-boot': 'isolinux/isolinux.bin',
      'boot-catalog': 'isolinux/boot.cat'
    });
    expect(r.log.warnings).toEqual([
      "--boot-catalog: the source's isolinux/boot.cat is replaced by the new boot catalog"
    ]);
    // xorriso sees the El Torito catalog (type e) at that path, and the file there is the new catalog
    const ls = sh('xorriso', ['-indev', out, '-find', '/isolinux/boot.cat', '-exec', 'lsdl', '--']);
    expect(ls).toMatch(/^e.* 2048 .*'\/isolinux\/boot.cat'$/m);
    const cat = sh('sh', ['-c', `bsdtar -xOf '${out}' isolinux/boot.cat | od -An -tx1 -N2`]).trim();
    expect(cat).toBe('01 00'); // a validation entry: header ID 1, platform 0 (El Torito 2.1)
    expect(sh('bsdtar', ['-xOf', out, 'old-catalog.bin'])).toBe(
      'the old catalog, from the extracted image\n'
    );
    expect(hashTree(src)).toBe(before);
  });

  describe('bad input: one IsoforgeError, nothing written', () => {
    const bad = path.join(t.dir, 'bad');
    const out = path.join(t.dir, 'bad.iso');
    beforeAll(() => {
      mkdirSync(path.join(bad, 'isolinux'), { recursive: true });
      writeFileSync(path.join(bad, 'isolinux/isolinux.bin'), bytes(3000, 4));
      writeFileSync(path.join(bad, 'huge.bin'), Buffer.alloc(700 * 1024, 1));
      writeFileSync(path.join(bad, 'tiny.bin'), Buffer.alloc(40, 1));
      writeFileSync(path.join(bad, 'small.bin'), bytes(2000, 6));
      writeFileSync(path.join(bad, 'notfat.img'), bytes(4096, 5));
      mkdirSync(path.join(bad, 'EFI/BOOT'), { recursive: true });
      writeFileSync(path.join(bad, 'EFI/BOOT/grubx64.efi'), 'not the removable-media path');
      writeFileSync(path.join(bad, 'boot.catalog'), 'taken');
      writeFileSync(path.join(t.dir, 'short-mbr.bin'), Buffer.alloc(431));
      symlinkSync('isolinux/isolinux.bin', path.join(bad, 'link.bin'));
    });
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'missing boot image',
        { 'bios-boot': 'isolinux/nope.bin' },
        /^--bios-boot: isolinux\/nope.bin does not exist in the source/
      ],
      ['directory as BIOS image', { 'bios-boot': 'isolinux' }, /^--bios-boot: isolinux is a directory/],
      ['symlink as BIOS image', { 'bios-boot': 'link.bin' }, /^--bios-boot: link.bin is a symbolic link/],
      [
        'path leaving the tree',
        { 'bios-boot': '../x.bin' },
        /^--bios-boot: "..\/x.bin" leaves the source directory/
      ],
      [
        'BIOS image too large for real mode',
        { 'bios-boot': 'huge.bin' },
        /^--bios-boot: huge.bin is 716800 bytes; .* 622592 bytes/
      ],
      [
        'load size past the end of the image',
        { 'bios-boot': 'isolinux/isolinux.bin', 'bios-boot-load-size': '9' },
        /^--bios-boot-load-size: 9 sectors \(4608 bytes\) read past the end of isolinux\/isolinux.bin/
      ],
      [
        'too short for a boot info table',
        { 'bios-boot': 'tiny.bin' },
        /^--bios-boot: tiny.bin is 40 bytes, too short for a boot info table/
      ],
      [
        'too short for GRUB2 boot info',
        { 'bios-boot': 'small.bin', 'grub2-boot-info': 'true' },
        /^--grub2-boot-info: .* too short/
      ],
      [
        'EFI folder without BOOT*.EFI',
        { 'uefi-boot': 'EFI' },
        /^--uefi-boot: EFI holds no EFI\/BOOT\/BOOT\*\.EFI/
      ],
      [
        'file that is not a FAT image',
        { 'uefi-boot': 'notfat.img' },
        /^--uefi-boot: notfat.img is not a FAT image/
      ],
      ['missing UEFI path', { 'uefi-boot': 'efi.img' }, /^--uefi-boot: efi.img does not exist/],
      [
        'catalog path is a folder of the source',
        { 'bios-boot': 'isolinux/isolinux.bin', 'boot-catalog': 'isolinux' },
        /^--boot-catalog: isolinux is a folder in the source/
      ],
      [
        'missing mbr-template',
        {
          'bios-boot': 'isolinux/isolinux.bin',
          'boot-catalog': 'isolinux/boot.cat',
          'mbr-template': '/nonexistent/isohdpfx.bin',
          hybrid: 'true'
        },
        /--mbr-template \/nonexistent\/isohdpfx.bin: does not exist/
      ],
      [
        'short mbr-template',
        {
          'bios-boot': 'isolinux/isolinux.bin',
          'boot-catalog': 'isolinux/boot.cat',
          'mbr-template': 'SHORT',
          hybrid: 'true'
        },
        /^--mbr-template: .*short-mbr.bin is 431 bytes; MBR boot code needs 432/
      ],
      [
        'the same image twice',
        { 'bios-boot': 'isolinux/isolinux.bin\nisolinux//isolinux.bin' },
        /^--bios-boot: isolinux\/isolinux.bin is given twice/
      ],
      ['hybrid with nothing to boot', { hybrid: 'true' }, /^--hybrid: needs a boot image/]
    ];
    test.each(cases)('%s', async (_name, flags, re) => {
      const f = { ...flags };
      if (f['mbr-template'] === 'SHORT') f['mbr-template'] = path.join(t.dir, 'short-mbr.bin');
      rmSync(out, { force: true });
      const before = hashTree(bad);
      let caught: unknown;
      try {
        await buildWith({ ...base, 'boot-catalog': 'boot.cat', ...f, source: bad, output: out });
      } catch (e) {
        caught = e;
      }
      expectFailure(caught, re);
      expect(existsSync(out)).toBe(false);
      expect(hashTree(bad)).toBe(before);
    });
  });
});

describe('El Torito codecs', () => {
  test('loadSizeFor: whole 2048-byte blocks × 4; over 65535 → 0 for UEFI, 65535 otherwise', () => {
    expect(loadSizeFor(1, PLATFORM_EFI)).toBe(4);
    expect(loadSizeFor(2048, PLATFORM_EFI)).toBe(4);
    expect(loadSizeFor(2049, PLATFORM_EFI)).toBe(8);
    expect(loadSizeFor(32766 * 1024, PLATFORM_EFI)).toBe(65532);
    expect(loadSizeFor(32767 * 1024, PLATFORM_EFI)).toBe(0);
    expect(loadSizeFor(40 * 2 ** 20, PLATFORM_EFI)).toBe(0);
    expect(loadSizeFor(40 * 2 ** 20, PLATFORM_X86)).toBe(65535);
  });

  test('catalog round trips and section grouping', () => {
    const lists: CatalogEntrySpec[][] = [
      [{ platform: 0, sectorCount: 4, lba: 20 }],
      [{ platform: 0xef, sectorCount: 0, lba: 99999 }],
      [
        { platform: 0, sectorCount: 4, lba: 20 },
        { platform: 0xef, sectorCount: 2880, lba: 21 },
        { platform: 0xef, sectorCount: 8, lba: 30 },
        { platform: 0, sectorCount: 1, lba: 40 }
      ]
    ];
    for (const l of lists) {
      const cat = encodeBootCatalog(l);
      const p = parseBootCatalog(cat);
      expect(p.validation.checksumOk).toBe(true);
      expect(p.validation.platform).toBe(l[0].platform);
      expect(p.entries).toEqual(
        l.map(e => ({ ...e, bootable: true, media: 0, loadSegment: 0, systemType: 0 }))
      );
    }
    // sections: 0x90 for all but the last (0x91), consecutive platforms share one
    const cat = encodeBootCatalog(lists[2]);
    expect([cat[64], cat[65], cat.readUInt16LE(66)]).toEqual([0x90, 0xef, 2]);
    expect([cat[160], cat[161], cat.readUInt16LE(162)]).toEqual([0x91, 0x00, 1]);
    expect(() =>
      encodeBootCatalog(Array.from({ length: 63 }, (_, i) => ({ platform: i % 2, sectorCount: 4, lba: i })))
    ).toThrow(RangeError);
  });

  test('boot record round trip; other sectors are not boot records', () => {
    expect(parseBootRecord(encodeBootRecord(1234))).toEqual({ catalogLba: 1234 });
    expect(parseBootRecord(Buffer.alloc(2048))).toBeUndefined();
    expect(parseBootRecord(Buffer.alloc(10))).toBeUndefined();
  });

  test('boot info table: checksum over LE words from byte 64, a partial last word zero-padded', () => {
    const img = bytes(5001, 9);
    const p = patchBootInfoTable(img, 16, 77);
    expect(img).toEqual(bytes(5001, 9)); // the input is not modified
    expect(parseBootInfoTable(p)).toEqual({
      pvdLba: 16,
      fileLba: 77,
      fileLength: 5001,
      checksum: bootInfoChecksum(p),
      checksumOk: true
    });
    let sum = 0;
    const padded = Buffer.concat([p, Buffer.alloc(3)]);
    for (let i = 64; i < 5004; i += 4) sum = (sum + padded.readUInt32LE(i)) >>> 0;
    expect(p.readUInt32LE(20)).toBe(sum);
    expect(() => patchBootInfoTable(Buffer.alloc(63), 16, 1)).toThrow(RangeError);
  });

  test('hostile catalogs: a result or a RangeError, nothing else', () => {
    const valid = encodeBootCatalog([
      { platform: 0, sectorCount: 4, lba: 20 },
      { platform: 0xef, sectorCount: 8, lba: 21 }
    ]);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 8;
    };
    const tries: Buffer[] = [
      Buffer.alloc(0),
      Buffer.alloc(63),
      valid.subarray(0, 100),
      valid.subarray(0, 64)
    ];
    for (let i = 0; i < 3000; i++) {
      const b = i % 2 ? Buffer.from(valid) : bytes(64 + (rnd() % 2048), rnd());
      for (let k = 0; k < 1 + (rnd() % 8); k++) b[rnd() % b.length] = rnd() & 0xff;
      if (i % 3 === 0) b.writeUInt16LE(0xffff, 66); // a section claiming 65535 entries
      tries.push(b);
    }
    let ok = 0;
    for (const b of tries) {
      try {
        const p = parseBootCatalog(b);
        expect(p.entries.length).toBeLessThanOrEqual(64);
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toMatch(/^boot catalog: /);
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});
