/** A Joliet name longer than 103 UCS-2 units is cut with a warning that names the file, once. */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildWith } from './support/build.js';
import { LONG_103 } from './support/trees.js';
import { describeWith, sh, tempDir } from './support/tools.js';

const LONG_254 = 'n'.repeat(250) + '.txt';

describeWith(['xorriso', '7zz'], 'Joliet names past 103 units', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  test('each cut name is warned of once, naming the file and saying Rock Ridge keeps it', async () => {
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'sub', LONG_254), 'long\n');
    writeFileSync(path.join(src, LONG_103), 'fits exactly\n');
    writeFileSync(path.join(src, 'short.txt'), 'short\n');
    linkSync(path.join(src, 'sub', LONG_254), path.join(src, 'x'.repeat(120)));
    const iso = path.join(t.dir, 'out.iso');
    const r = await buildWith({ source: src, output: iso, 'source-date-epoch': '1700000000' });
    const warned = r.log.lines.filter(l => l.level === 'warn');
    expect(warned.map(l => l.subject).sort()).toEqual([`sub/${LONG_254}`, 'x'.repeat(120)]);
    for (const w of warned) {
      expect(w.message).toContain(w.subject);
      expect(w.message).toMatch(/103/);
      expect(w.message).toMatch(/Rock Ridge keeps the full name/);
    }
    // what the warning says is what the readers see: 7-Zip (Joliet) the cut name, xorriso (Rock Ridge) all of it
    const cut = 'n'.repeat(99) + '.txt';
    expect(warned.find(w => w.subject === `sub/${LONG_254}`)!.message).toContain(`"${cut}"`);
    expect(sh('7zz', ['l', '-slt', iso])).toContain(`Path = sub/${cut}`);
    expect(sh('xorriso', ['-indev', iso, '-find', '/sub', '-name', LONG_254])).toContain(LONG_254);
  });

  test('with rock-ridge off the warning does not promise the full name', async () => {
    const src = path.join(t.dir, 'src2');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, LONG_254), 'long\n');
    const r = await buildWith({
      source: src,
      output: path.join(t.dir, 'norr.iso'),
      'rock-ridge': 'false',
      'source-date-epoch': '1700000000'
    });
    expect(r.log.warnings).toHaveLength(1);
    expect(r.log.warnings[0]).toContain(LONG_254);
    expect(r.log.warnings[0]).not.toMatch(/Rock Ridge keeps/);
  });
});
