/**
 * Boot: the hybrid system area (MBR + GPT + appended ESP). The encoders reproduce xorriso's bytes
 * for the same layout; an image built with the extension passes sgdisk -v, its ISO 9660 partition
 * reads as ISO 9660 when cut at the partition start, its ESP is the FAT image byte for byte, and
 * the parsers read back what was written (and survive hostile bytes).
 */
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync
} from 'node:fs';
import * as path from 'node:path';
import {
  GPT_ENTRY_COUNT,
  GPT_TYPE_BASIC_DATA,
  GPT_TYPE_ESP,
  crc32,
  decodeGuid,
  encodeGptEntries,
  encodeGptHeader,
  encodeGuid,
  parseGpt
} from '../src/boot/gpt.js';
import {
  ESP_PARTITION_NAME,
  createHybridExtension,
  derivedGuid,
  type HybridOptions
} from '../src/boot/hybrid.js';
import { MBR_BOOT_ADDRESS_OFFSET, encodeMbr, mbrBootAddress, parseMbr } from '../src/boot/mbr.js';
import { buildImage } from '../src/image/build.js';
import { silentLogger } from '../src/log.js';
import { GRUB_BOOT_HYBRID, ISOHDPFX } from './support/boottrees.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const EPOCH = 1700000000;

function readAt(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(length);
    const n = readSync(fd, b, 0, length, offset);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
const reader = (file: string) => (offset: number, length: number) => readAt(file, offset, length);

describe('GUIDs and CRC32', () => {
  test('mixed-endian GUID encoding (UEFI Appendix A) as libisofs documents the ESP type', () => {
    expect(encodeGuid(GPT_TYPE_ESP).toString('hex')).toBe('28732ac11ff8d211ba4b00a0c93ec93b');
    expect(decodeGuid(encodeGuid(GPT_TYPE_BASIC_DATA))).toBe(GPT_TYPE_BASIC_DATA);
    expect(() => encodeGuid('not-a-guid')).toThrow(RangeError);
  });
  test('CRC-32 check value and derived GUIDs', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
    const g = derivedGuid(EPOCH, 'disk');
    expect(g).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(derivedGuid(EPOCH, 'disk')).toBe(g);
    expect(derivedGuid(EPOCH + 1, 'disk')).not.toBe(g);
  });
  test('hostile GPT bytes: bounded, problems reported, no throw', () => {
    const size = 64 * 1024;
    const img = Buffer.alloc(size);
    const entries = encodeGptEntries([]);
    encodeGptHeader(
      {
        myLba: 1,
        alternateLba: 127,
        firstUsableLba: 64,
        lastUsableLba: 60,
        diskGuid: derivedGuid(1, 'd'),
        entriesLba: 2
      },
      entries
    ).copy(img, 512);
    img.writeUInt32LE(0xffffffff, 512 + 80); // entry count
    const r = parseGpt((o, l) => img.subarray(o, o + l), size);
    expect(r.problems.join('\n')).toMatch(/more than isoforge reads/);
    expect(r.problems.join('\n')).toMatch(/CRC32 mismatch/);
    expect(r.problems.join('\n')).toMatch(/backup header: no "EFI PART"/);
    expect(parseGpt(() => Buffer.alloc(0), 0).problems.length).toBeGreaterThan(0);
    expect(parseMbr(Buffer.alloc(10)).signatureOk).toBe(false);
  });
});

describeWith(['xorriso', 'mkfs.fat', 'sgdisk', 'isoinfo', 'mdir'], 'hybrid system area', () => {
  let t: { dir: string; cleanup: () => void };
  let efi: string;
  let tree: string;
  beforeAll(() => {
    t = tempDir('isoforge-hybrid-');
    tree = path.join(t.dir, 'tree');
    mkdirSync(path.join(tree, 'isolinux'), { recursive: true });
    mkdirSync(path.join(tree, 'docs', 'deep'), { recursive: true });
    copyFileSync('/usr/lib/ISOLINUX/isolinux.bin', path.join(tree, 'isolinux', 'isolinux.bin'));
    writeFileSync(path.join(tree, 'docs', 'deep', 'hello.txt'), 'hello from the ISO partition\n');
    efi = path.join(t.dir, 'efi.img');
    sh('mkfs.fat', ['-C', '-i', '12345678', '-n', 'ESP', efi, '1440']);
    sh('mmd', ['-i', efi, '::/EFI', '::/EFI/BOOT']);
    writeFileSync(path.join(t.dir, 'BOOTX64.EFI'), 'not really an EFI program\n');
    sh('mcopy', ['-i', efi, path.join(t.dir, 'BOOTX64.EFI'), '::/EFI/BOOT/BOOTX64.EFI']);
  });
  afterAll(() => t.cleanup());

  const xorrisoImage = (name: string, mbr: string[]): string => {
    const out = path.join(t.dir, name);
    sh(
      'xorriso',
      [
        '-as',
        'mkisofs',
        '-R',
        '-J',
        '-partition_offset',
        '16',
        '-appended_part_as_gpt',
        '-append_partition',
        '2',
        '0xef',
        efi,
        '--mbr-force-bootable',
        ...mbr,
        '-b',
        'isolinux/isolinux.bin',
        '-c',
        'boot.cat',
        '-no-emul-boot',
        '-boot-load-size',
        '4',
        '-boot-info-table',
        '-eltorito-alt-boot',
        '-e',
        '--interval:appended_partition_2:all::',
        '-no-emul-boot',
        '-o',
        out,
        tree
      ],
      { env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) } }
    );
    return out;
  };

  test("encoders reproduce xorriso's MBR, GPT header and entry array byte for byte", () => {
    const iso = xorrisoImage('x.iso', ['-isohybrid-mbr', ISOHDPFX]);
    const size = statSync(iso).size;
    const sector0 = readAt(iso, 0, 512);
    const mbr = parseMbr(sector0);
    expect(mbr.signatureOk).toBe(true);
    expect(mbr.partitions.map(p => [p.index, p.bootable, p.type, p.startLba, p.sectors])).toEqual([
      [1, false, 0xee, 1, size / 512 - 1],
      [2, true, 0, 0, 1]
    ]);
    const again = encodeMbr({
      code: sector0.subarray(0, 432),
      bootAddress: sector0.readBigUInt64LE(MBR_BOOT_ADDRESS_OFFSET),
      diskId: mbr.diskId,
      partitions: mbr.partitions
    });
    expect(again.equals(sector0)).toBe(true); // CHS values included

    const g = parseGpt(reader(iso), size);
    expect(g.problems).toEqual([]);
    const h = g.header!;
    expect(h.entryCount).toBe(GPT_ENTRY_COUNT);
    expect(g.partitions.map(p => [p.name, p.typeGuid])).toEqual([
      ['ISO9660', GPT_TYPE_BASIC_DATA],
      ['Appended2', GPT_TYPE_ESP],
      ['Gap1', GPT_TYPE_BASIC_DATA]
    ]);
    expect(g.partitions[0].firstLba).toBe(64);
    const rawArray = readAt(iso, 1024, GPT_ENTRY_COUNT * 128);
    expect(encodeGptEntries(g.partitions).equals(rawArray)).toBe(true);
    const header = encodeGptHeader(h, rawArray);
    expect(header.equals(readAt(iso, 512, 512))).toBe(true);
    const backup = encodeGptHeader(g.backupHeader!, rawArray);
    expect(backup.equals(readAt(iso, size - 512, 512))).toBe(true);
  });

  test('the boot address each MBR template expects, as xorriso patches it', () => {
    const lbaOf = (iso: string, p: string) =>
      Number(
        /El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+\S+\s+\S+\s+\d+\s+(\d+)/.exec(
          sh('xorriso', ['-indev', iso, '-report_el_torito', 'plain'], { input: '' })
        )?.[1] ?? p
      );
    const iso = path.join(t.dir, 'x.iso');
    expect(readAt(iso, 432, 8).readBigUInt64LE()).toBe(mbrBootAddress('isohybrid', lbaOf(iso, '')));
    const grub = xorrisoImage('g.iso', ['--grub2-mbr', GRUB_BOOT_HYBRID]);
    expect(readAt(grub, 432, 8).readBigUInt64LE()).toBe(mbrBootAddress('grub2', lbaOf(grub, '')));
  });

  const buildHybrid = async (name: string, o: Partial<HybridOptions>) => {
    const output = path.join(t.dir, name);
    const fat = readFileSync(efi);
    const ext = createHybridExtension({
      appended: [
        {
          number: 2,
          gptType: GPT_TYPE_ESP,
          mbrType: 0xef,
          name: ESP_PARTITION_NAME,
          region: 'esp',
          bytes: fat.length,
          produce: () => fat
        }
      ],
      mbrTemplate: { code: readFileSync(ISOHDPFX), path: ISOHDPFX, kind: 'isohybrid' },
      biosBootPath: 'isolinux/isolinux.bin',
      epoch: EPOCH,
      log: silentLogger,
      ...o
    });
    const r = await buildImage({
      source: tree,
      output,
      volumeId: 'HYBRID_TEST',
      joliet: true,
      rockRidge: true,
      epoch: EPOCH,
      extensions: [ext],
      digests: []
    });
    return { output, r, ext, fat };
  };

  test('an image built with the extension: sgdisk -v, partitions, ISO partition, ESP bytes, round trip', async () => {
    const { output, r, ext, fat } = await buildHybrid('ours.iso', {});
    const size = statSync(output).size;
    expect(size % 2048).toBe(0);
    expect(size).toBe(r.plan.imageSize);

    const v = sh('sgdisk', ['-v', output]);
    expect(v).toMatch(/No problems found/);
    const p = sh('sgdisk', ['-p', output]);
    expect(p).toMatch(/^\s+1\s+64\s+\d+\s+.*0700\s+ISO9660$/m);
    expect(p).toMatch(/^\s+2\s+\d+\s+\d+\s+.*EF00\s+EFI system partition$/m);

    const sa = sh('xorriso', ['-indev', output, '-report_system_area', 'plain'], { input: '' });
    expect(sa).toMatch(/Partition offset\s*:\s*16/);
    expect(sa).toMatch(/MBR partition\s*:\s+1\s+0x00\s+0xee\s+1\s+/);
    expect(sa).toMatch(/MBR partition\s*:\s+2\s+0x80\s+0x00\s+0\s+1/);
    expect(sa).toMatch(/GPT type GUID\s*:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
    expect(sa).not.toMatch(/overlapping|mismatch|damaged/i);

    // the ISO 9660 partition read on its own, as a system that mounts partition 1 sees it
    const g = parseGpt(reader(output), size);
    expect(g.problems).toEqual([]);
    const [isoPart, espPart] = g.partitions;
    expect(isoPart.firstLba).toBe(64);
    const cut = path.join(t.dir, 'part1.iso');
    writeFileSync(
      cut,
      readAt(output, isoPart.firstLba * 512, (isoPart.lastLba - isoPart.firstLba + 1) * 512)
    );
    expect(sh('isoinfo', ['-d', '-i', cut])).toMatch(/Volume id: HYBRID_TEST/);
    expect(sh('isoinfo', ['-R', '-f', '-i', cut])).toMatch(/^\/docs\/deep\/hello\.txt$/m);
    expect(sh('isoinfo', ['-R', '-i', cut, '-x', '/docs/deep/hello.txt'])).toBe(
      'hello from the ISO partition\n'
    );

    // the ESP: its bytes are the FAT image, and mtools reads it in place
    const espStart = espPart.firstLba * 512;
    expect(espPart.typeGuid).toBe(GPT_TYPE_ESP);
    expect((espPart.lastLba - espPart.firstLba + 1) * 512).toBe(fat.length);
    expect(readAt(output, espStart, fat.length).equals(fat)).toBe(true);
    expect(espStart).toBe(r.plan.region('esp').lba * 2048);
    expect(sh('mdir', ['-i', `${output}@@${espStart}`, '-b', '::/EFI/BOOT'])).toMatch(/BOOTX64\.EFI/);

    // MBR: template code, boot address of isolinux.bin, round trip
    const sector0 = readAt(output, 0, 512);
    expect(sector0.subarray(0, 432).equals(readFileSync(ISOHDPFX).subarray(0, 432))).toBe(true);
    const lba = r.plan.file('isolinux/isolinux.bin')!.lba;
    expect(sector0.readBigUInt64LE(432)).toBe(BigInt(lba * 4));
    const mbr = parseMbr(sector0);
    const parts = ext.describe!(r.plan).partitions!;
    expect(mbr.partitions.map(q => [q.index, q.type, q.startLba, q.sectors, q.bootable])).toEqual(
      parts
        .filter(q => q.table === 'mbr')
        .map(q => [q.number, parseInt(q.type, 16), q.start, q.sectors, q.bootable])
    );
    expect(
      g.partitions.map(q => [q.index, q.typeGuid, q.name, q.firstLba, q.lastLba - q.firstLba + 1])
    ).toEqual(parts.filter(q => q.table === 'gpt').map(q => [q.number, q.type, q.name, q.start, q.sectors]));
    expect(g.header!.diskGuid).toBe(derivedGuid(EPOCH, 'disk'));

    // reproducible, and a damaged array is caught by the parser
    const second = await buildHybrid('ours2.iso', {});
    expect(readFileSync(second.output).equals(readFileSync(output))).toBe(true);
    const bad = Buffer.from(readFileSync(output));
    bad[1024 + 200] ^= 1;
    expect(parseGpt((o, l) => bad.subarray(o, o + l), size).problems).toContain(
      'primary entry array: CRC32 mismatch'
    );
  });

  test('GRUB template, and no template and no ESP: UEFI-only layout still valid', async () => {
    const grub = await buildHybrid('grub.iso', {
      mbrTemplate: { code: readFileSync(GRUB_BOOT_HYBRID), path: GRUB_BOOT_HYBRID, kind: 'grub2' }
    });
    const lba = grub.r.plan.file('isolinux/isolinux.bin')!.lba;
    expect(readAt(grub.output, 432, 8).readBigUInt64LE()).toBe(BigInt(lba * 4 + 4));
    expect(sh('sgdisk', ['-v', grub.output])).toMatch(/No problems found/);

    const bare = await buildHybrid('bare.iso', {
      appended: [],
      mbrTemplate: undefined,
      biosBootPath: undefined
    });
    expect(sh('sgdisk', ['-v', bare.output])).toMatch(/No problems found/);
    const sector0 = readAt(bare.output, 0, 512);
    expect(sector0.subarray(0, 440).every(b => b === 0)).toBe(true);
    const mbr = parseMbr(sector0);
    expect(mbr.partitions.map(q => q.type)).toEqual([0xee]);
    const g = parseGpt(reader(bare.output), statSync(bare.output).size);
    expect(g.problems).toEqual([]);
    expect(g.partitions).toHaveLength(1);
    expect(g.partitions[0].lastLba).toBe(bare.r.plan.volumeBlocks * 4 - 1);
  });
});
