/**
 * Boot entries (--boot): every entry kind's catalog bytes against xorriso's for the same images,
 * read back by xorriso's report and our parser; the shorthands make the same image as the entries
 * they stand for; every bad entry is one line naming it, nothing written; a syslinux floppy image
 * in floppy emulation boots under SeaBIOS from the CD.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENTRY_SIZE, parseBootCatalog, parseBootRecord } from '../src/boot/eltorito.js';
import { IsoforgeError } from '../src/errors.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { bootImage } from '../src/read/qemu.js';
import { MARKERS, buildGrubImages, makeEfiFat } from './support/boottrees.js';
import { buildWith } from './support/build.js';
import { cli } from './support/cli.js';
import { describeWith, sh, tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const SECTOR = 2048;
const FLOPPY_MARKER = 'isoforge-marker: syslinux floppy';
const MEMTEST = '/usr/lib/memtest86+/memtest86+x64.iso';

const row = (out: string, name: string): string =>
  out.split('\n').find(l => l.startsWith(`${name} `)) ?? `(no row ${name})`;

function catalogOf(iso: string): Buffer {
  const fd = openSync(iso, 'r');
  try {
    const read = (off: number) => {
      const b = Buffer.alloc(SECTOR);
      readSync(fd, b, 0, SECTOR, off);
      return b;
    };
    const br = parseBootRecord(read(17 * SECTOR));
    if (!br) throw new Error(`${iso}: no boot record at block 17`);
    return read(br.catalogLba * SECTOR);
  } finally {
    closeSync(fd);
  }
}

/** The catalog's used entries with their LBA fields zeroed (the two tools place files differently). */
function maskedEntries(cat: Buffer): Buffer {
  const b = Buffer.from(cat);
  let used = 2 * ENTRY_SIZE;
  for (let off = used; off + ENTRY_SIZE <= SECTOR && (b[off] === 0x90 || b[off] === 0x91);) {
    const n = b.readUInt16LE(off + 2);
    for (let k = 1; k <= n; k++) b.fill(0, off + k * ENTRY_SIZE + 8, off + k * ENTRY_SIZE + 12);
    off += (n + 1) * ENTRY_SIZE;
    used = off;
  }
  b.fill(0, ENTRY_SIZE + 8, ENTRY_SIZE + 12);
  return b.subarray(0, used);
}

/** A 1.44 MB FAT floppy with syslinux installed, whose config prints the marker on COM1 and screen. */
function syslinuxFloppy(file: string, work: string): void {
  writeFileSync(file, Buffer.alloc(1_474_560));
  sh('mkfs.fat', ['-n', 'FLOPPY', '-i', '1234abcd', file]);
  sh('syslinux', ['--install', file]);
  const cfg = path.join(work, 'syslinux.cfg');
  writeFileSync(cfg, `SERIAL 0 115200\nSAY ${FLOPPY_MARKER}\nPROMPT 0\n`);
  sh('mcopy', ['-i', file, cfg, '::syslinux.cfg']);
}

/** A 4 MiB disk image with one MBR partition (mpartition picks FAT16's type byte, 0x04). */
function oneParitionDisk(file: string, work: string, partitions = 1): void {
  writeFileSync(file, Buffer.alloc(4 << 20));
  const rc = path.join(work, 'mtoolsrc');
  writeFileSync(rc, `drive z: file="${file}" partition=1\n`);
  const env = { ...process.env, MTOOLSRC: rc };
  sh('mpartition', ['-I', 'z:'], { env });
  if (partitions > 0) sh('mpartition', ['-c', '-t', '8', '-h', '4', '-s', '32', 'z:'], { env });
  if (partitions > 1) {
    // a second entry, copied from the first with another start: sector 0 then has two partitions
    const b = readFileSync(file);
    b.copy(b, 446 + 16, 446, 446 + 16);
    b.writeUInt32LE(6000, 446 + 16 + 8);
    b.writeUInt32LE(100, 446 + 16 + 12);
    writeFileSync(file, b);
  }
}

describeWith(['xorriso', 'mkfs.fat', 'mcopy', 'mpartition', 'syslinux'], 'boot entries (--boot)', () => {
  const t = tempDir('isoforge-entries-');
  const src = path.join(t.dir, 'src');
  const base = { source: src, 'volume-id': 'ENTRIES', 'source-date-epoch': '1700000000', hybrid: 'false' };

  beforeAll(() => {
    mkdirSync(path.join(src, 'b'), { recursive: true });
    writeFileSync(path.join(src, 'b/a.bin'), bytes(9001, 1));
    writeFileSync(path.join(src, 'b/fake.efi'), bytes(70000, 3));
    makeEfiFat(path.join(src, 'b/efi.img'), path.join(src, 'b/fake.efi'));
    syslinuxFloppy(path.join(src, 'b/floppy.img'), t.dir);
    oneParitionDisk(path.join(src, 'b/disk.img'), t.dir);
    oneParitionDisk(path.join(src, 'b/two.img'), t.dir, 2);
    oneParitionDisk(path.join(src, 'b/none.img'), t.dir, 0);
    writeFileSync(path.join(src, 'b/small.img'), bytes(1_474_560 - 512, 4));
  });
  afterAll(() => t.cleanup());

  test('floppy, UEFI, hard disk and no-emulation BIOS entries: the catalog xorriso writes for them', async () => {
    const ours = path.join(t.dir, 'kinds.iso');
    const theirs = path.join(t.dir, 'kinds-xorriso.iso');
    await buildWith({
      ...base,
      output: ours,
      boot: [
        'platform=bios image=b/floppy.img emulation=floppy',
        'platform=uefi image=b/efi.img',
        'platform=bios image=b/disk.img emulation=hard-disk',
        'platform=bios image=b/a.bin load-size=8 info-table=false'
      ].join('\n')
    });
    sh('xorriso', [
      ...['-as', 'mkisofs', '-quiet', '-o', theirs, '-R', '-c', 'boot.catalog'],
      ...['-b', 'b/floppy.img', '-eltorito-alt-boot', '-e', 'b/efi.img', '-no-emul-boot'],
      ...['-eltorito-alt-boot', '-b', 'b/disk.img', '-hard-disk-boot'],
      ...['-eltorito-alt-boot', '-b', 'b/a.bin', '-no-emul-boot', '-boot-load-size', '8', src]
    ]);
    // bios, uefi, bios: the default entry, then a UEFI section and a BIOS section of two
    expect(maskedEntries(catalogOf(ours))).toEqual(maskedEntries(catalogOf(theirs)));
    const report = sh('xorriso', ['-indev', ours, '-report_el_torito', 'plain']);
    expect(report).toMatch(/boot img :\s+1\s+BIOS\s+y\s+fd1\.4\s+0x0000\s+0x00\s+1\s/);
    expect(report).toMatch(/boot img :\s+2\s+UEFI\s+y\s+none\s+0x0000\s+0x00\s+\d+\s/);
    expect(report).toMatch(/boot img :\s+3\s+BIOS\s+y\s+hd\s+0x0000\s+0x04\s+1\s/);
    expect(report).toMatch(/boot img :\s+4\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+8\s/);
    expect(report).toMatch(/img path :\s+1\s+\/b\/floppy\.img/);
    const parsed = parseBootCatalog(catalogOf(ours)).entries;
    expect(parsed.map(e => [e.platform, e.media, e.systemType, e.sectorCount])).toEqual([
      [0x00, 2, 0, 1],
      [0xef, 0, 0, Math.ceil(readFileSync(path.join(src, 'b/efi.img')).length / SECTOR) * 4],
      [0x00, 4, 0x04, 1],
      [0x00, 0, 0, 8]
    ]);
    // the floppy is not patched: its bytes in the image are the source's
    const fl = readFileSync(path.join(src, 'b/floppy.img'));
    expect(readFileSync(ours).indexOf(fl.subarray(0, 4096))).toBe(parsed[0].lba * SECTOR);
    const { out } = await cli(['inspect', ours]);
    expect(out).toMatch(/boot +bios +b\/floppy\.img .*emulation floppy-1\.44M/);
    expect(out).toMatch(/boot +bios +b\/disk\.img .*emulation hard-disk/);
    const v = await cli([
      'verify',
      '--image',
      ours,
      '--expect-boot',
      'bios:floppy,bios:hard-disk,uefi:none,bios:none'
    ]);
    expect([v.code, row(v.out, 'expect-boot')]).toEqual([
      0,
      expect.stringMatching(
        /pass +bios b\/floppy\.img \(floppy-1\.44M\), uefi b\/efi\.img, bios b\/disk\.img \(hard-disk\), bios b\/a\.bin$/
      )
    ]);
    const missing = await cli(['verify', '--image', ours, '--expect-boot', 'bios:floppy,uefi:partition']);
    expect([missing.code, row(missing.out, 'expect-boot')]).toEqual([
      1,
      expect.stringMatching(
        /FAIL +no El Torito uefi:partition entry \(found: bios b\/floppy\.img \(floppy-1\.44M\), uefi b\/efi\.img, /
      )
    ]);
  });

  test('--bios-boot and --uefi-boot make the same image as the --boot entries they stand for', async () => {
    const a = path.join(t.dir, 'short.iso');
    const b = path.join(t.dir, 'long.iso');
    await buildWith({ ...base, output: a, 'bios-boot': 'b/a.bin', 'uefi-boot': 'b/efi.img' });
    await buildWith({
      ...base,
      output: b,
      boot: 'platform=bios image=b/a.bin\nplatform=uefi image=b/efi.img'
    });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    // --boot entries follow the shorthands' in the catalog
    const c = path.join(t.dir, 'both.iso');
    await buildWith({
      ...base,
      output: c,
      'uefi-boot': 'b/efi.img',
      boot: 'platform=bios image=b/floppy.img emulation=floppy'
    });
    expect(parseBootCatalog(catalogOf(c)).entries.map(e => [e.platform, e.media])).toEqual([
      [0xef, 0],
      [0x00, 2]
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown key', 'platform=bios image=b/a.bin colour=red', /unknown key "colour"/],
    ['duplicate key', 'platform=bios platform=uefi image=b/a.bin', /platform is given twice/],
    ['not key=value', 'platform=bios b/a.bin', /"b\/a\.bin" is not key=value/],
    ['missing platform', 'image=b/a.bin', /platform= is missing/],
    ['unknown platform', 'platform=arm image=b/a.bin', /platform=arm is not bios or uefi/],
    ['missing image', 'platform=bios', /image= .* or partition= .* is missing/],
    [
      'image and partition on a BIOS entry',
      'platform=bios image=b/a.bin partition=2',
      /image= with partition= stores a UEFI image once, as its ESP; a BIOS entry gives image= or partition=/
    ],
    ['image not in the source', 'platform=bios image=b/nope.bin', /b\/nope\.bin does not exist/],
    [
      'floppy of the wrong size',
      'platform=bios image=b/small.img emulation=floppy',
      /1474048 bytes; a floppy image is 1228800, 1474560 or 2949120/
    ],
    [
      'hard disk without an MBR partition',
      'platform=bios image=b/none.img emulation=hard-disk',
      /has 0 MBR partitions; .*exactly one/
    ],
    [
      'hard disk with two partitions',
      'platform=bios image=b/two.img emulation=hard-disk',
      /has 2 MBR partitions/
    ],
    ['hard disk without an MBR', 'platform=bios image=b/a.bin emulation=hard-disk', /has no MBR/],
    [
      'unknown emulation',
      'platform=bios image=b/a.bin emulation=cdrom',
      /emulation=cdrom is not one of none, floppy, hard-disk/
    ],
    [
      'partition naming no appended partition',
      'platform=uefi partition=3',
      /partition=3 names no appended partition/
    ],
    ['partition 5', 'platform=uefi partition=5', /partition=5 is not a whole number from 1 to 4/],
    [
      'load size 0',
      'platform=bios image=b/a.bin load-size=0',
      /load-size=0 is not a whole number from 1 to 65535/
    ],
    ['load size 65536', 'platform=bios image=b/a.bin load-size=65536', /load-size=65536 is not/],
    [
      'load size past the image',
      'platform=bios image=b/a.bin load-size=40',
      /40 sectors \(20480 bytes\) read past the end of b\/a\.bin/
    ],
    [
      'info table in a floppy',
      'platform=bios image=b/floppy.img emulation=floppy info-table=true',
      /info-table=true patches no-emulation images only/
    ],
    [
      'info table not a boolean',
      'platform=bios image=b/a.bin info-table=yes',
      /info-table=yes is not true or false/
    ],
    [
      'the same image twice',
      'platform=bios image=b/a.bin\nplatform=bios image=b/a.bin',
      /b\/a\.bin is given twice/
    ]
  ];
  test.each(bad)('%s: one line naming the entry, nothing written', async (_what, entry, re) => {
    const output = path.join(t.dir, 'bad.iso');
    const e = await buildWith({ ...base, output, boot: entry }).then(
      () => undefined,
      (x: unknown) => x
    );
    expect(e).toBeInstanceOf(IsoforgeError);
    const message = (e as Error).message;
    expect(message).toMatch(re);
    expect(message.startsWith(`--boot: '${entry.split('\n').pop()}': `)).toBe(true);
    expect(message).not.toContain('\n');
    expect(existsSync(output)).toBe(false);
  });

  test('the action input boot: one entry a line (spaces and commas stay inside an entry)', () => {
    const v = resolveOptions(
      optionsFor('build', 'action'),
      new Map([['boot', 'platform=bios image=a,b.img\r\n\n  platform=uefi partition=2  \n']])
    );
    expect(v.boot).toEqual(['platform=bios image=a,b.img', 'platform=uefi partition=2']);
  });

  test('the CLI: --boot repeated, a bad entry is one line and exit 1', async () => {
    const output = path.join(t.dir, 'cli.iso');
    const r = await cli([
      'build',
      '--source',
      src,
      '--output',
      output,
      '--boot',
      'platform=bios image=b/a.bin',
      '--boot',
      'platform=bios image=b/x',
      '--hybrid',
      'false'
    ]);
    expect([r.code, r.err.trim()]).toEqual([
      1,
      `isoforge: --boot: 'platform=bios image=b/x': b/x does not exist in the source ${src}`
    ]);
    expect(existsSync(output)).toBe(false);
  });
});

describeWith(
  ['qemu-system-x86_64', 'mkfs.fat', 'mcopy', 'syslinux'],
  'boot entries: a floppy-emulation entry boots',
  () => {
    const t = tempDir('isoforge-floppy-');
    afterAll(() => t.cleanup());

    test('syslinux on a 1.44 MB floppy image, in floppy emulation, boots under SeaBIOS from the CD', async () => {
      const src = path.join(t.dir, 'src');
      mkdirSync(path.join(src, 'boot'), { recursive: true });
      syslinuxFloppy(path.join(src, 'boot/floppy.img'), t.dir);
      const iso = path.join(t.dir, 'floppy.iso');
      await buildWith({
        source: src,
        output: iso,
        'source-date-epoch': '1700000000',
        boot: 'platform=bios image=boot/floppy.img emulation=floppy'
      });
      const r = await bootImage({
        image: iso,
        firmware: 'bios',
        media: 'cd',
        marker: FLOPPY_MARKER,
        timeoutMs: 60_000
      });
      if (!r.ok)
        throw new Error(`floppy boot: ${r.reason}\n${r.serial.slice(-1000)}\n${r.screen.slice(-1000)}`);
      console.log(
        `floppy emulation, SeaBIOS CD: ${r.elapsedMs} ms (${r.seenOn}); image ${readFileSync(iso).length} bytes`
      );
    }, 90_000);
  }
);

/** How many times `needle` occurs in `hay`. */
function occurrences(hay: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

/** sgdisk's partition table: number → [first sector, last sector, type code]. */
function sgdiskTable(iso: string): Map<number, [number, number, string]> {
  const out = new Map<number, [number, number, string]>();
  for (const m of sh('sgdisk', ['-p', iso]).matchAll(
    /^\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+ \S+\s+([0-9A-F]{4})\s/gm
  ))
    out.set(Number(m[1]), [Number(m[2]), Number(m[3]), m[4]]);
  return out;
}

describeWith(
  ['xorriso', 'sgdisk', 'mkfs.fat', 'mmd', 'mcopy', 'grub-mkstandalone', 'qemu-system-x86_64'],
  'appended partitions (--append-partition)',
  () => {
    const t = tempDir('isoforge-appended-');
    const src = path.join(t.dir, 'src');
    const efi = path.join(t.dir, 'outside/efi.img');
    const data = path.join(t.dir, 'outside/data part.bin');
    const base = { source: src, 'source-date-epoch': '1700000000', 'volume-id': 'APPENDED' };
    beforeAll(() => {
      const images = buildGrubImages(path.join(t.dir, 'grub'));
      mkdirSync(path.join(src, 'EFI/BOOT'), { recursive: true });
      writeFileSync(path.join(src, 'marker.txt'), `${MARKERS.grubEfi}\n`);
      writeFileSync(path.join(src, 'EFI/BOOT/BOOTX64.EFI'), readFileSync(images.efi));
      makeEfiFat(efi, images.efi);
      writeFileSync(data, bytes(100_000, 7));
    });
    afterAll(() => t.cleanup());

    test('the EFI image as appended partition 2 and the UEFI entry in it: stored once, as xorriso lays it out, boots CD and disk', async () => {
      const iso = path.join(t.dir, 'once.iso');
      const flags = { ...base, 'append-partition': `2 0xef ${efi}`, boot: 'platform=uefi partition=2' };
      const r = await buildWith({ ...flags, output: iso });
      const fat = readFileSync(efi);
      const image = readFileSync(iso);
      expect(occurrences(image, fat)).toBe(1);
      expect(sh('sgdisk', ['-v', iso])).toContain('No problems found');
      const gpt = sgdiskTable(iso);
      expect(gpt.get(2)?.[2]).toBe('EF00');
      const entry = parseBootCatalog(catalogOf(iso)).entries[0];
      expect(entry.lba * 4).toBe(gpt.get(2)?.[0]);
      expect(image.indexOf(fat)).toBe(entry.lba * SECTOR);
      // xorriso's layout for the same: -append_partition 2 0xef efi.img -e --interval:appended_partition_2:all::
      const theirs = path.join(t.dir, 'once-xorriso.iso');
      sh('xorriso', [
        ...[
          '-as',
          'mkisofs',
          '-quiet',
          '-o',
          theirs,
          '-R',
          '-J',
          '-c',
          'boot.catalog',
          '-partition_offset',
          '16'
        ],
        ...['-appended_part_as_gpt', '-append_partition', '2', '0xef', efi],
        ...['-e', '--interval:appended_partition_2:all::', '-no-emul-boot', src]
      ]);
      const ours = sh('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
      const xo = sh('xorriso', ['-indev', theirs, '-report_el_torito', 'plain']);
      const imgLine = (s: string) =>
        /El Torito boot img :\s+1\s+UEFI\s+y\s+none\s+\S+\s+\S+\s+(\d+)/.exec(s)?.[1];
      expect(imgLine(ours)).toBe(imgLine(xo));
      expect(imgLine(ours)).toBe(String(Math.ceil(fat.length / SECTOR) * 4));
      expect(maskedEntries(catalogOf(iso))).toEqual(maskedEntries(catalogOf(theirs)));
      expect(sgdiskTable(theirs).get(2)?.[2]).toBe('EF00');
      expect(r.sidecars.manifest.boot).toEqual([
        expect.objectContaining({ platform: 'uefi', path: 'partition:2', lba: entry.lba })
      ]);
      const v = await cli(['verify', '--image', iso, '--expect-boot', 'uefi:partition']);
      expect([v.code, row(v.out, 'expect-boot')]).toEqual([
        0,
        expect.stringMatching(/pass +uefi partition:2$/)
      ]);
      expect((await cli(['inspect', iso])).out).toMatch(
        /boot +uefi +partition:2 +block \d+, \d+ sectors, emulation none/
      );
      // reproducible
      const again = path.join(t.dir, 'again.iso');
      await buildWith({ ...flags, output: again });
      expect(readFileSync(again).equals(image)).toBe(true);
      for (const media of ['cd', 'disk'] as const) {
        const b = await bootImage({
          image: iso,
          firmware: 'uefi',
          media,
          marker: MARKERS.grubEfi,
          timeoutMs: 90_000,
          screen: false
        });
        if (!b.ok) throw new Error(`OVMF ${media}: ${b.reason}\n${b.serial.slice(-1500)}`);
        console.log(
          `appended ESP, OVMF ${media}: ${b.elapsedMs} ms; image ${image.length} bytes, xorriso's ${readFileSync(theirs).length}`
        );
      }
    }, 240_000);

    test('types as xorriso maps them; the ESP built from a folder takes the first number left free', async () => {
      const iso = path.join(t.dir, 'types.iso');
      const guid = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
      await buildWith({
        ...base,
        output: iso,
        'uefi-boot': 'EFI',
        'append-partition': `4 ${guid} ${data}\n2 0x83 ${data}`
      });
      expect(sh('sgdisk', ['-v', iso])).toContain('No problems found');
      const ours = sgdiskTable(iso);
      const theirs = path.join(t.dir, 'types-xorriso.iso');
      sh('xorriso', [
        ...['-as', 'mkisofs', '-quiet', '-o', theirs, '-partition_offset', '16', '-appended_part_as_gpt'],
        ...['-append_partition', '2', '0x83', data, '-append_partition', '3', '0xef', efi],
        ...['-append_partition', '4', guid, data, src]
      ]);
      const xo = sgdiskTable(theirs);
      expect([2, 3, 4].map(n => ours.get(n)?.[2])).toEqual([2, 3, 4].map(n => xo.get(n)?.[2]));
      expect([2, 3, 4].map(n => ours.get(n)?.[2])).toEqual(['0700', 'EF00', '8300']);
      // in the order of their numbers, one after the other
      expect(ours.get(2)![0]).toBeLessThan(ours.get(3)![0]);
      expect(ours.get(3)![0]).toBeLessThan(ours.get(4)![0]);
      const image = readFileSync(iso);
      expect(image.indexOf(readFileSync(data))).toBe(ours.get(2)![0] * 512);
      const entry = parseBootCatalog(catalogOf(iso)).entries[0];
      expect(entry.lba * 4).toBe(ours.get(3)![0]);
    });

    const bad: [string, Record<string, string>, RegExp][] = [
      [
        'partition 1',
        { 'append-partition': `1 0xef EFI` },
        /partition 1 is the ISO 9660 data partition of the hybrid layout's GPT; appended partitions are 2-4/
      ],
      ['partition 5', { 'append-partition': `5 0xef EFI` }, /partition number 5 is not 2-4/],
      ['no file', { 'append-partition': `2 0xef` }, /give N TYPE FILE/],
      ['bad type', { 'append-partition': `2 0x1ff x` }, /type 0x1ff is not an MBR type/],
      [
        'missing file',
        { 'append-partition': `2 0xef /nonexistent/efi.img` },
        /cannot read \/nonexistent\/efi\.img: does not exist/
      ],
      ['a folder', { 'append-partition': `2 0xef /tmp` }, /\/tmp: a directory/],
      ['twice', { 'append-partition': `2 0xef EFIIMG\n2 0x83 EFIIMG` }, /partition 2 is given twice/],
      [
        'without hybrid',
        { 'append-partition': `2 0xef EFIIMG`, hybrid: 'false' },
        /^--append-partition: appended partitions are part of the hybrid layout: give --hybrid true$/
      ],
      [
        'no room for the ESP',
        { 'uefi-boot': 'EFI', 'append-partition': `2 0x83 EFIIMG\n3 0x83 EFIIMG\n4 0x83 EFIIMG` },
        /partitions 2, 3, 4 leave no GPT entry for the ESP of --uefi-boot EFI/
      ]
    ];
    test.each(bad)('%s: one line naming the option, nothing written', async (_what, flags, re) => {
      const output = path.join(t.dir, 'bad.iso');
      const fixed = Object.fromEntries(
        Object.entries(flags).map(([k, v]) => [
          k,
          v.replace(/EFIIMG/g, efi).replace(/(\d \S+) EFI$/, `$1 ${efi}`)
        ])
      );
      const e = await buildWith({
        ...base,
        boot: 'platform=bios image=marker.txt load-size=1 info-table=false',
        ...fixed,
        output
      }).then(
        () => undefined,
        (x: unknown) => x
      );
      expect(e).toBeInstanceOf(IsoforgeError);
      expect((e as Error).message).toMatch(re);
      expect((e as Error).message).toMatch(/^--(append-partition|hybrid)/);
      expect((e as Error).message).not.toContain('\n');
      expect(existsSync(output)).toBe(false);
    });

    test('a --boot partition= naming a number no partition has, and an emulated partition, are refused', async () => {
      const output = path.join(t.dir, 'bad2.iso');
      const go = (boot: string) =>
        buildWith({ ...base, output, 'append-partition': `3 0xef ${efi}`, boot }).then(
          () => undefined,
          (x: unknown) => x
        );
      expect(((await go('platform=uefi partition=2')) as Error).message).toBe(
        "--boot: 'platform=uefi partition=2': partition=2 names no appended partition (there are 3)"
      );
      expect(((await go('platform=uefi partition=3 emulation=floppy')) as Error).message).toMatch(
        /booted without emulation/
      );
      expect(existsSync(output)).toBe(false);
    });
  }
);

describeWith(['xorriso'], 'verify --expect-boot reads the entry kinds of a third-party image', () => {
  const present = existsSync(MEMTEST) || process.env.ISOFORGE_REQUIRE_TOOLS === '1';
  (present ? test : test.skip)(
    `${MEMTEST} (package memtest86+): a floppy BIOS entry and a UEFI entry in appended partition 2`,
    async () => {
      const v = await cli(['verify', '--image', MEMTEST, '--expect-boot', 'bios:floppy,uefi:partition']);
      expect([v.code, row(v.out, 'expect-boot')]).toEqual([
        0,
        expect.stringMatching(/pass +bios boot\/floppy\.img \(floppy-1\.44M\), uefi partition:2$/)
      ]);
      const hd = await cli(['verify', '--image', MEMTEST, '--expect-boot', 'bios:hard-disk']);
      expect([hd.code, row(hd.out, 'expect-boot')]).toEqual([
        1,
        expect.stringMatching(/FAIL +no El Torito bios:hard-disk entry/)
      ]);
    }
  );
});
