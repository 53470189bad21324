/** A file of 5 GB (over 4 GiB: several extents) reads back with the right size and end bytes. */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import { describeWith, needDisk, run, sh, tempDir } from './support/tools.js';

const SIZE = 5_000_000_000;

describeWith(['xorriso', 'bsdtar', 'isoinfo'], 'multi-extent file of 5 GB (sparse input and output)', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  const iso = path.join(t.dir, 'big.iso');
  afterAll(() => t.cleanup());

  test('builds, and xorriso and bsdtar read the size and the last bytes', async () => {
    // the input is sparse and all-zero blocks of the output are holes: little real disk is used
    needDisk(t.dir, 512 * 2 ** 20, 'the 5 GB sparse test');
    sh('mkdir', ['-p', src]);
    const big = path.join(src, 'big.img');
    const fd = openSync(big, 'w');
    writeSync(fd, Buffer.from('HEAD-of-the-big-file'), 0, 20, 0);
    writeSync(fd, Buffer.from('the-END-of-5GB!'), 0, 15, SIZE - 15);
    closeSync(fd);
    expect(statSync(big).size).toBe(SIZE);
    const r = await buildWith({ source: src, output: iso, 'source-date-epoch': '1700000000' });
    expect(r.image.size).toBeGreaterThan(SIZE);
    // two extents: 4 GiB - 2 KiB, then the rest, as xorriso reports them
    const lba = sh('xorriso', ['-indev', iso, '-find', '/big.img', '-exec', 'report_lba', '--']);
    expect([...lba.matchAll(/File data lba:/g)].length).toBe(2);
    const ls = sh('xorriso', ['-indev', iso, '-find', '/big.img', '-exec', 'lsdl', '--']);
    expect(ls).toMatch(/5000000000/);
    const tv = sh('bsdtar', ['-tvf', iso]);
    expect(tv).toMatch(/5000000000 .* big\.img/);
    // the last and first bytes through bsdtar (streams the whole file: a few seconds)
    const tail = run('sh', ['-c', `bsdtar -xOf '${iso}' big.img | tail -c 15`]);
    expect(tail.stdout).toBe('the-END-of-5GB!');
    const head = run('sh', ['-c', `bsdtar -xOf '${iso}' big.img | head -c 20`]);
    expect(head.stdout).toBe('HEAD-of-the-big-file');
    // the output is sparse: far fewer blocks allocated than its size
    const st = statSync(iso);
    expect(st.blocks * 512).toBeLessThan(64 * 2 ** 20);
  });
});
