/** Namespaces switched off, special files skipped with a warning, dates with and without an epoch. */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { buildImage } from '../src/image/build.js';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import { describeWith, sh, tempDir } from './support/tools.js';

describeWith(['isoinfo', 'bsdtar', 'xorriso'], 'build options', () => {
  const t = tempDir();
  const src = path.join(t.dir, 'src');
  beforeAll(() => {
    mkdirSync(path.join(src, 'Sub Dir'), { recursive: true });
    writeFileSync(path.join(src, 'Sub Dir/Mixed Case Name.txt'), 'x');
    writeFileSync(path.join(src, 'plain.txt'), 'y');
  });
  afterAll(() => t.cleanup());

  test('--joliet false --rock-ridge false: plain ISO 9660 with level-2 names only', async () => {
    const iso = path.join(t.dir, 'plain.iso');
    await buildWith({ source: src, output: iso, joliet: 'false', 'rock-ridge': 'false' });
    const d = sh('isoinfo', ['-d', '-i', iso]);
    expect(d).toMatch(/NO Joliet present/);
    expect(d).toMatch(/NO Rock Ridge present/);
    expect(sh('isoinfo', ['-f', '-i', iso]).trim().split('\n').sort()).toEqual([
      '/PLAIN.TXT;1',
      '/SUB_DIR',
      '/SUB_DIR/MIXED_CASE_NAME.TXT;1'
    ]);
  });

  test('--rock-ridge false keeps exact names through Joliet', async () => {
    const iso = path.join(t.dir, 'joliet.iso');
    await buildWith({ source: src, output: iso, 'rock-ridge': 'false' });
    expect(sh('isoinfo', ['-J', '-f', '-i', iso])).toMatch(/\/Sub Dir\/Mixed Case Name\.txt/);
  });

  test('a FIFO is skipped with a warning naming it', async () => {
    const s2 = path.join(t.dir, 'with-fifo');
    mkdirSync(s2);
    writeFileSync(path.join(s2, 'a.txt'), 'a');
    sh('mkfifo', [path.join(s2, 'pipe')]);
    const r = await buildWith({ source: s2, output: path.join(t.dir, 'fifo.iso') });
    expect(r.log.warnings.join('\n')).toMatch(/skipping FIFO .*pipe/);
    expect(sh('bsdtar', ['-tf', path.join(t.dir, 'fifo.iso')]).split('\n')).not.toContain('pipe');
  });

  test('the epoch sets every date; without it the volume date is now', async () => {
    const a = path.join(t.dir, 'epoch.iso');
    await buildWith({ source: src, output: a }, { SOURCE_DATE_EPOCH: '946684800' });
    expect(sh('xorriso', ['-indev', a, '-pvd_info'])).toMatch(/Creation Time: 2000010100000000/);
    expect(sh('bsdtar', ['-tvf', a])).toMatch(/Jan +1 +2000 plain\.txt/);
    const b = path.join(t.dir, 'now.iso');
    await buildWith({ source: src, output: b });
    expect(sh('xorriso', ['-indev', b, '-pvd_info'])).toMatch(
      new RegExp(`Creation Time: ${new Date().getUTCFullYear()}`)
    );
  });

  test('partition offset: a second superblock and tree 16 blocks in, so the partition mounts on its own', async () => {
    const iso = path.join(t.dir, 'offset.iso');
    await buildImage({
      source: src,
      output: iso,
      volumeId: 'PO',
      joliet: true,
      rockRidge: true,
      epoch: 1,
      extensions: [{ name: 'offset', partitionOffset: 16 }]
    });
    const part = path.join(t.dir, 'part.iso');
    writeFileSync(part, readFileSync(iso).subarray(16 * 2048));
    const d = sh('isoinfo', ['-d', '-i', part]);
    expect(d).toMatch(/Joliet with UCS level 3 found/);
    expect(d).toMatch(/Rock Ridge signatures version 1 found/);
    expect(Number(/Volume size is: (\d+)/.exec(d)![1]) * 2048).toBe(statSync(part).size);
    const out = path.join(t.dir, 'part-out');
    mkdirSync(out);
    sh('bsdtar', ['-xf', part, '-C', out]);
    expect(readFileSync(path.join(out, 'Sub Dir/Mixed Case Name.txt'), 'utf8')).toBe('x');
    expect(sh('isoinfo', ['-J', '-f', '-i', part])).toMatch(/\/Sub Dir\/Mixed Case Name\.txt/);
  });
});
