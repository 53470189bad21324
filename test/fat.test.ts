/**
 * The FAT builder against the real peers: fsck.fat checks the file system, mtools (mcopy, minfo,
 * mlabel) reads every name and byte back. Trees are generated here; big files are sparse.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync
} from 'node:fs';
import * as path from 'node:path';
import { buildFat, type FatImage } from '../src/boot/fat.js';
import { IsoforgeError } from '../src/errors.js';
import { scanTree } from '../src/image/scan.js';
import { lookup, type DirNode, type TreeNode } from '../src/image/tree.js';
import { MemoryLogger, silentLogger } from '../src/log.js';
import { describeWith, run, sh, tempDir } from './support/tools.js';

const EPOCH = 1700000000;
const MTOOLS_ENV = { ...process.env, LC_ALL: 'C.UTF-8', MTOOLS_NO_VFAT: '' };

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Write the image to `file`, leaving all-zero chunks as holes. */
async function writeImage(img: FatImage, file: string): Promise<string> {
  const fd = openSync(file, 'w');
  const hash = createHash('sha256');
  let pos = 0;
  try {
    for await (const chunk of img.produce()) {
      hash.update(chunk);
      if (!chunk.equals(Buffer.alloc(chunk.length))) writeSync(fd, chunk, 0, chunk.length, pos);
      pos += chunk.length;
    }
    ftruncateSync(fd, pos);
  } finally {
    closeSync(fd);
  }
  expect(pos).toBe(img.size);
  return hash.digest('hex');
}

async function sha(img: FatImage): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of img.produce()) hash.update(chunk);
  return hash.digest('hex');
}

function fsckClean(file: string): string {
  const r = run('fsck.fat', ['-n', '-V', '-v', file]);
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 || /differ|error|wrong|invalid|bad |corrupt|mismatch/i.test(out))
    throw new Error(`fsck.fat -n ${file} (exit ${r.status}):\n${out}`);
  return out;
}

/** Every file under `dir` as relative path → sha256, and every directory as path → 'dir'. */
function listing(dir: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.set(p, 'dir');
      for (const [k, v] of listing(dir, p)) out.set(k, v);
    } else if (e.isFile()) {
      out.set(
        p,
        createHash('sha256')
          .update(readFileSync(path.join(dir, p)))
          .digest('hex')
      );
    }
  }
  return out;
}

function mcopyAll(img: string, out: string): void {
  mkdirSync(out, { recursive: true });
  const r = run('mcopy', ['-s', '-n', '-i', img, '::*', out], { env: MTOOLS_ENV });
  if (r.status !== 0) throw new Error(`mcopy: ${r.stderr}`);
}

async function scan(source: string, log = new MemoryLogger()): Promise<DirNode> {
  return (await scanTree({ source, epoch: EPOCH, log })).root;
}

describeWith(['fsck.fat', 'mcopy', 'minfo', 'mlabel', '7zz'], 'FAT builder', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => (t = tempDir('isoforge-fat-')));
  afterAll(() => t.cleanup());

  test('ESP tree: long, unicode and case-twin names, empty and multi-cluster files (FAT12)', async () => {
    const src = path.join(t.dir, 'esp');
    const efi = path.join(src, 'EFI');
    mkdirSync(path.join(efi, 'BOOT'), { recursive: true });
    mkdirSync(path.join(efi, 'ubuntu', 'deeply', 'nested', 'dir with spaces'), { recursive: true });
    writeFileSync(path.join(efi, 'BOOT', 'BOOTX64.EFI'), bytes(70000, 1));
    writeFileSync(path.join(efi, 'BOOT', 'grub.cfg'), 'search --file /marker\n');
    writeFileSync(path.join(efi, 'BOOT', 'empty'), '');
    writeFileSync(path.join(efi, 'ubuntu', 'README.TXT'), 'upper');
    writeFileSync(path.join(efi, 'ubuntu', 'Readme.txt'), 'mixed');
    writeFileSync(
      path.join(efi, 'ubuntu', 'a very long file name indeed, more than 13 chars.conf'),
      bytes(1234, 2)
    );
    writeFileSync(path.join(efi, 'ubuntu', 'Grüße — 日本語.efi'), bytes(513, 3));
    writeFileSync(path.join(efi, 'ubuntu', 'emoji 😀.cfg'), bytes(77, 3));
    writeFileSync(path.join(efi, 'ubuntu', '.hidden.tar.gz'), bytes(10, 4));
    writeFileSync(path.join(efi, 'ubuntu', 'name+with;odd=chars[1].x'), 'odd');
    writeFileSync(
      path.join(efi, 'ubuntu', 'thirteen.char'),
      '13 UTF-16 units: one full LFN entry, no terminator'
    );
    writeFileSync(path.join(efi, 'ubuntu', 'twenty-six characters.txt'), '26');
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(efi, 'ubuntu', `shimx64-version-${i}.efi`), bytes(i * 100, 5 + i));
    writeFileSync(path.join(efi, 'ubuntu', 'deeply', 'nested', 'dir with spaces', 'leaf'), bytes(4097, 9));
    symlinkSync('BOOT/BOOTX64.EFI', path.join(efi, 'link.efi'));

    const log = new MemoryLogger();
    const root = await scan(src);
    const img = await buildFat([lookup(root, 'EFI') as TreeNode], { epoch: EPOCH, log });
    expect(img.fatType).toBe(12);
    expect(img.size % 2048).toBe(0);
    expect(img.size).toBe(1 << 20); // 90 KiB of content + slack, rounded to a MiB
    const file = path.join(t.dir, 'esp.img');
    await writeImage(img, file);
    fsckClean(file);

    const want = listing(src);
    want.delete('EFI/link.efi');
    const out = path.join(t.dir, 'esp-out');
    sh('7zz', ['x', '-y', `-o${out}`, file]);
    expect(listing(out)).toEqual(want);
    // mtools 4.0.32 decodes long names one UTF-16 unit at a time, so it cannot spell the emoji
    const bmp = (m: Map<string, string>) =>
      new Map([...m].filter(([k]) => !k.startsWith('EFI/ubuntu/emoji ')));
    const mout = path.join(t.dir, 'esp-mcopy');
    mcopyAll(file, mout);
    expect(bmp(listing(mout))).toEqual(bmp(want));
    expect(log.warnings.join('\n')).toMatch(/EFI\/link\.efi is a symbolic link/);
    expect(log.warnings.join('\n')).toMatch(/Readme\.txt differs from README\.TXT only in case/);

    expect(sh('mlabel', ['-s', '-i', file, '::'], { env: MTOOLS_ENV })).toMatch(/Volume label is EFIBOOT/);
    const info = sh('minfo', ['-i', file, '::'], { env: MTOOLS_ENV });
    expect(info).toMatch(/media descriptor byte: 0xf8/i);
    expect(info).toMatch(/disk type="FAT12 {3}"/);
    // the exact 8.3 names keep themselves; mdir shows the short names next to the long ones
    const mdir = sh('mdir', ['-i', file, '::/EFI/ubuntu'], { env: MTOOLS_ENV });
    expect(mdir).toMatch(/^README\s+TXT\s+5 /m);
    expect(mdir).toMatch(/^README~1\s+TXT\s+5 .* Readme\.txt$/m);
    expect(sh('mdir', ['-i', file, '::/EFI/BOOT'], { env: MTOOLS_ENV })).toMatch(
      /^BOOTX64\s+EFI\s+70000 2023-11-14/m
    );

    // deterministic: same input and epoch → same bytes; another epoch changes dates and serial
    const again = await buildFat([lookup(await scan(src), 'EFI') as TreeNode], { epoch: EPOCH });
    expect(await sha(again)).toBe(await sha(img));
    const other = await buildFat([lookup(root, 'EFI') as TreeNode], { epoch: EPOCH + 86400 });
    expect(await sha(other)).not.toBe(await sha(img));
  });

  test('content big enough for FAT16, with a directory spanning many clusters', async () => {
    const src = path.join(t.dir, 'f16');
    mkdirSync(path.join(src, 'EFI', 'many'), { recursive: true });
    writeFileSync(path.join(src, 'EFI', 'big.bin'), bytes(4096, 7));
    truncateSync(path.join(src, 'EFI', 'big.bin'), 6 * 2 ** 20 + 123); // sparse tail
    for (let i = 0; i < 300; i++)
      writeFileSync(
        path.join(src, 'EFI', 'many', `module number ${String(i).padStart(3, '0')}.mod`),
        bytes(i, i + 1)
      );
    const root = await scan(src);
    const img = await buildFat(root.children, { epoch: EPOCH, label: 'isoforge' });
    expect(img.fatType).toBe(16);
    const file = path.join(t.dir, 'f16.img');
    await writeImage(img, file);
    fsckClean(file);
    const out = path.join(t.dir, 'f16-out');
    mcopyAll(file, out);
    expect(listing(out)).toEqual(listing(src));
    expect(sh('mlabel', ['-s', '-i', file, '::'], { env: MTOOLS_ENV })).toMatch(/Volume label is ISOFORGE/);
    expect(sh('minfo', ['-i', file, '::'], { env: MTOOLS_ENV })).toMatch(/disk type="FAT16 {3}"/);
  });

  test('FAT32 when the given size asks for it: FSInfo and backup boot sector', async () => {
    const src = path.join(t.dir, 'f32');
    mkdirSync(path.join(src, 'EFI', 'BOOT'), { recursive: true });
    writeFileSync(path.join(src, 'EFI', 'BOOT', 'BOOTIA32.EFI'), bytes(9000, 11));
    writeFileSync(path.join(src, 'EFI', 'BOOT', 'zero'), '');
    const root = await scan(src);
    const img = await buildFat(root.children, { epoch: EPOCH, size: 300 * 2 ** 20 });
    expect(img.fatType).toBe(32);
    expect(img.size).toBe(300 * 2 ** 20);
    const file = path.join(t.dir, 'f32.img');
    await writeImage(img, file);
    const report = fsckClean(file);
    expect(report).toMatch(/32 bit entries/);
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(8 * 512);
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    expect(head.subarray(6 * 512, 7 * 512)).toEqual(head.subarray(0, 512)); // backup boot sector
    expect(head.subarray(7 * 512, 8 * 512)).toEqual(head.subarray(512, 1024)); // backup FSInfo
    expect(head.readUInt32LE(512)).toBe(0x41615252);
    const out = path.join(t.dir, 'f32-out');
    mcopyAll(file, out);
    expect(listing(out)).toEqual(listing(src));
    expect(sh('minfo', ['-i', file, '::'], { env: MTOOLS_ENV })).toMatch(/disk type="FAT32 {3}"/);
    // a size that is not a whole number of 2048-byte blocks is rounded up
    const odd = await buildFat(root.children, { epoch: EPOCH, size: 10e6, log: silentLogger });
    expect(odd.size).toBe(Math.ceil(10e6 / 2048) * 2048);
  });

  test('bad input: a size too small, a name FAT cannot hold, a file that changed', async () => {
    const src = path.join(t.dir, 'bad');
    mkdirSync(path.join(src, 'EFI'), { recursive: true });
    writeFileSync(path.join(src, 'EFI', 'big'), '');
    truncateSync(path.join(src, 'EFI', 'big'), 3 * 2 ** 20);
    const root = await scan(src);
    const tooSmall = await buildFat(root.children, { epoch: EPOCH, size: 2 ** 20 }).catch((e: unknown) => e);
    expect(tooSmall).toBeInstanceOf(IsoforgeError);
    const m =
      /^--uefi-boot-size: a FAT image of 1048576 bytes cannot hold the 1 file and 1 folder of --uefi-boot; they need at least (\d+) bytes \(or leave --uefi-boot-size unset\)$/.exec(
        (tooSmall as Error).message
      );
    expect(m).not.toBeNull();
    const least = Number(m?.[1]);
    expect((await buildFat(root.children, { epoch: EPOCH, size: least })).size).toBe(least);
    await expect(buildFat(root.children, { epoch: EPOCH, size: least - 2048 })).rejects.toThrow(
      IsoforgeError
    );
    const colon: TreeNode = { ...(lookup(root, 'EFI/big') as TreeNode), name: 'a:b', path: 'EFI/a:b' };
    await expect(buildFat([colon], { epoch: EPOCH })).rejects.toThrow(
      new IsoforgeError('--uefi-boot: EFI/a:b: a FAT name cannot hold the character ":"')
    );
    const img = await buildFat(root.children, { epoch: EPOCH });
    truncateSync(path.join(src, 'EFI', 'big'), 1000);
    await expect(sha(img)).rejects.toThrow(
      /^--uefi-boot: .*\/EFI\/big changed while the FAT image was written/
    );
    expect(statSync(path.join(src, 'EFI', 'big')).size).toBe(1000);
  });
});

describeWith(['qemu-system-x86_64', 'grub-mkstandalone'], 'FAT builder under UEFI firmware (OVMF)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => (t = tempDir('isoforge-fat-ovmf-')));
  afterAll(() => t.cleanup());

  test('OVMF boots \\EFI\\BOOT\\BOOTX64.EFI from the FAT12 and FAT32 images, and GRUB reads a file back', async () => {
    const src = path.join(t.dir, 'esp');
    mkdirSync(path.join(src, 'EFI', 'BOOT'), { recursive: true });
    const cfg = path.join(t.dir, 'grub.cfg');
    writeFileSync(
      cfg,
      [
        'serial --unit=0 --speed=115200',
        'terminal_output serial',
        'search --no-floppy --file /EFI/BOOT/marker.txt --set=esp',
        'cat ($esp)/EFI/BOOT/marker.txt',
        'halt'
      ].join('\n')
    );
    writeFileSync(path.join(src, 'EFI', 'BOOT', 'marker.txt'), 'isoforge-fat-marker: read through the FAT\n');
    const mods = 'search search_fs_file fat cat serial terminal halt';
    sh('grub-mkstandalone', [
      '-O', 'x86_64-efi',
      `--install-modules=${mods} normal`,
      `--modules=${mods}`,
      '--locales=', '--themes=', '--fonts=',
      '-o', path.join(src, 'EFI', 'BOOT', 'BOOTX64.EFI'),
      `boot/grub/grub.cfg=${cfg}`
    ]); // prettier-ignore
    const root = await scan(src);
    for (const size of [undefined, 300 * 2 ** 20]) {
      const img = await buildFat(root.children, { epoch: EPOCH, size });
      expect(img.fatType).toBe(size ? 32 : 12);
      const file = path.join(t.dir, `esp${img.fatType}.img`);
      await writeImage(img, file);
      const r = run(
        'qemu-system-x86_64',
        ['-nodefaults', '-nographic', '-m', '256', '-bios', '/usr/share/ovmf/OVMF.fd', '-net', 'none'].concat(
          ['-drive', `file=${file},format=raw,if=ide`, '-serial', 'stdio', '-monitor', 'none']
        ),
        { timeout: 90000 }
      );
      expect(r.stdout).toContain('isoforge-fat-marker: read through the FAT');
    }
  });
});
