/**
 * The bytes of eight representative images, pinned: each is built with a fixed epoch from a
 * generated tree and its SHA-256 compared with the value recorded here. A refactor of the planner
 * or the writer keeps every one; a change that must move one says which and why in its commit.
 * Boot files are synthetic (fixed bytes), so the digests do not follow Debian's package versions.
 * The image's SHA-256 is checked twice: as the writer reported it and as openssl reads the file.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import { bytes, makeTree } from './support/trees.js';
import { describeWith, needDisk, sh, tempDir } from './support/tools.js';

const EPOCH = '1700000000';
const BIG = 5_000_000_000;

/** A boot sector as the FAT check wants it (bytes per sector 512 at 11, 0x55AA at 510). */
function fatLike(size: number, seed: number): Buffer {
  const b = bytes(size, seed);
  b.writeUInt16LE(512, 11);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

function bootFiles(root: string): void {
  mkdirSync(path.join(root, 'boot'), { recursive: true });
  writeFileSync(path.join(root, 'boot/bios.bin'), bytes(4 * 2048 + 100, 11));
  writeFileSync(path.join(root, 'boot/efi.img'), fatLike(1024 * 1024, 12));
  mkdirSync(path.join(root, 'EFI/BOOT'), { recursive: true });
  writeFileSync(path.join(root, 'EFI/BOOT/BOOTX64.EFI'), bytes(70_000, 13));
}

interface Pinned {
  name: string;
  sha256: string;
  make: (src: string, work: string) => Record<string, string>;
}

const PINNED: Pinned[] = [
  {
    name: 'plain ISO 9660 (no Joliet, no Rock Ridge)',
    sha256: '6fb923b604ab32b59e9074637562b924914b4ae00c64b650a07f2ad1fe6fd79f',
    make: src => {
      makeTree(src, { symlinks: false });
      return { joliet: 'false', 'rock-ridge': 'false' };
    }
  },
  {
    name: 'Rock Ridge + Joliet, long names and link targets (CE areas)',
    sha256: '456ecb90530c52f501822c855663df5ff1577a08160e7a3ee79e3c6161bfec07',
    make: src => {
      makeTree(src);
      writeFileSync(path.join(src, 'n'.repeat(240) + '.txt'), 'a name of 244 bytes\n');
      return {};
    }
  },
  {
    name: 'hard links',
    sha256: '58e1affa4ff0aad41d3d78774368d9cc3f00bccee1cc53eef6d4804b3945dc91',
    make: src => {
      makeTree(src, { hardlinks: true });
      return {};
    }
  },
  {
    name: 'El Torito BIOS + UEFI, hybrid MBR/GPT, appended ESP',
    sha256: 'b2e345063209676b424b8147db5b0b957691613bf11ada64d8187b799e714a76',
    make: (src, work) => {
      makeTree(src, { symlinks: false });
      bootFiles(src);
      const mbr = path.join(work, 'mbr.bin');
      writeFileSync(mbr, bytes(512, 14));
      return { 'bios-boot': 'boot/bios.bin', 'uefi-boot': 'boot/efi.img', 'mbr-template': mbr };
    }
  },
  {
    name: 'FAT image built from a folder, GRUB2 boot info',
    sha256: '4106b67fc41df4c7f6ae98682ab25a9cf461af42d60dc2c9fc8fe971fa603089',
    make: src => {
      bootFiles(src);
      writeFileSync(path.join(src, 'EFI/BOOT/grub.cfg'), 'set timeout=1\n');
      writeFileSync(path.join(src, 'EFI/a-long-file-name-for-vfat.txt'), 'long name\n');
      return { 'bios-boot': 'boot/bios.bin', 'uefi-boot': 'EFI', 'grub2-boot-info': 'true' };
    }
  },
  {
    name: 'implant-md5',
    sha256: '7028ce925eff2d34ed70f37bf05bfba5be7646f8106bbdced0451f4162eb42bb',
    make: src => {
      makeTree(src, { symlinks: false });
      return { 'implant-md5': 'true' };
    }
  },
  {
    name: 'boot-catalog-hide, not hybrid',
    sha256: '11c3c870eb859f7eacdf6021fd086fda2b4c00ceb64cf2b861c68dc0bf685c7e',
    make: src => {
      bootFiles(src);
      return { 'bios-boot': 'boot/bios.bin', 'boot-catalog-hide': 'true', hybrid: 'false' };
    }
  },
  {
    name: 'a 5 GB sparse file (multi-extent)',
    sha256: 'b1fddd7d1dcc66e5777e0470fdaf2c67cc97fc7e1a7a0e605e1b754ef1e5d1ff',
    make: (src, work) => {
      needDisk(work, 512 * 2 ** 20, 'the pinned 5 GB sparse image');
      mkdirSync(src, { recursive: true });
      const fd = openSync(path.join(src, 'big.img'), 'w');
      writeSync(fd, Buffer.from('HEAD-of-the-big-file'), 0, 20, 0);
      writeSync(fd, Buffer.from('the-END-of-5GB!'), 0, 15, BIG - 15);
      closeSync(fd);
      writeFileSync(path.join(src, 'small.txt'), 'beside the big one\n');
      return {};
    }
  }
];

describeWith(['openssl'], 'pinned image digests', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  test.each(PINNED.map((p, i) => [p.name, i] as const))(
    '%s',
    async (_name, i) => {
      const p = PINNED[i];
      const work = path.join(t.dir, String(i));
      const src = path.join(work, 'src');
      mkdirSync(src, { recursive: true });
      const flags = p.make(src, work);
      const output = path.join(work, 'out.iso');
      const r = await buildWith({
        source: src,
        output,
        'volume-id': 'PINNED',
        'source-date-epoch': EPOCH,
        checksums: 'none',
        manifest: 'false',
        ...flags
      });
      const onDisk = sh('openssl', ['dgst', '-sha256', '-r', output]).split(' ')[0];
      expect(r.image.digests.sha256).toBe(onDisk);
      expect(`${p.name}: ${onDisk}`).toBe(`${p.name}: ${p.sha256}`);
      sh('rm', ['-rf', work]);
    },
    120_000
  );
});
