/**
 * The path tables of a built image (ISO 9660 and Joliet, L and M): in ECMA-119 6.9.1 order (level,
 * parent number, then the identifier of that hierarchy) and each entry naming its directory's extent.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SECTOR, decodeUtf16BE } from '../src/image/bytes.js';
import { FLAG_DIRECTORY, parseDirRecord } from '../src/image/dirrec.js';
import { parsePathTable, type PathTableEntry } from '../src/image/pathtable.js';
import { VD_TYPE_PRIMARY, VD_TYPE_SUPPLEMENTARY, parseVolumeDescriptor } from '../src/image/voldesc.js';
import { buildWith } from './support/build.js';
import { tempDir } from './support/tools.js';

/** Folders whose ISO 9660 (upper case, numbered on collision) and Joliet orders differ. */
const FOLDERS = ['EFI/BOOT', 'EFI/Boot', 'boot/grub', 'boot/GRUB', 'isolinux', 'Zeta/a', 'alpha/b/c', '_x'];

/** ECMA-119 6.9.1: the shorter identifier compares as if padded with spaces (UCS-2 0x0020 in Joliet). */
function compareIds(a: Buffer, b: Buffer, unit: 1 | 2): number {
  const space = unit === 1 ? Buffer.from(' ') : Buffer.from([0, 0x20]);
  const n = Math.max(a.length, b.length);
  const pad = (x: Buffer) => Buffer.concat([x, ...Array<Buffer>((n - x.length) / unit).fill(space)]);
  return Buffer.compare(pad(a), pad(b));
}

const nameOf = (id: Buffer, unit: 1 | 2) => (unit === 1 ? id.toString('latin1') : decodeUtf16BE(id));

/** Path → extent of every directory, walking the directory records down from the root record. */
function directoryExtents(img: Buffer, rootRecord: Buffer, unit: 1 | 2): Map<string, number> {
  const out = new Map<string, number>();
  const root = parseDirRecord(rootRecord, 0)!.record;
  const queue: { p: string; extent: number; size: number }[] = [
    { p: '', extent: root.extent, size: root.size }
  ];
  out.set('', root.extent);
  while (queue.length) {
    const d = queue.shift()!;
    const ext = img.subarray(d.extent * SECTOR, d.extent * SECTOR + d.size);
    for (let off = 0; off < ext.length;) {
      const r = parseDirRecord(ext, off);
      if (!r) {
        off = (Math.floor(off / SECTOR) + 1) * SECTOR; // records never cross a sector (6.8.1.1)
        continue;
      }
      off += r.length;
      const id = r.record.fileId;
      if (!(r.record.flags & FLAG_DIRECTORY) || (id.length === 1 && id[0] <= 1)) continue;
      const p = `${d.p}/${nameOf(id, unit)}`;
      out.set(p, r.record.extent);
      queue.push({ p, extent: r.record.extent, size: r.record.size });
    }
  }
  return out;
}

/** Checks one path table against 6.9.1 and the directory records; returns its entries' paths. */
function checkTable(entries: PathTableEntry[], dirs: Map<string, number>, unit: 1 | 2): string[] {
  const level: number[] = [];
  const paths: string[] = [];
  entries.forEach((e, i) => {
    if (i === 0) {
      expect([e.id.length, e.id[0], e.parent]).toEqual([1, 0, 1]); // the root (9.4.5)
      level.push(1);
      paths.push('');
      return;
    }
    expect(e.parent).toBeGreaterThanOrEqual(1);
    expect(e.parent).toBeLessThanOrEqual(i); // a parent comes before its children
    level.push(level[e.parent - 1] + 1);
    paths.push(`${paths[e.parent - 1]}/${nameOf(e.id, unit)}`);
    if (i > 1) {
      const p = entries[i - 1];
      const order = level[i - 1] - level[i] || p.parent - e.parent || compareIds(p.id, e.id, unit) || 0;
      if (order >= 0) throw new Error(`entry ${i + 1} (${paths[i]}) is not after ${paths[i - 1]}`);
    }
  });
  // each entry names its directory's extent, and every directory has an entry
  expect(new Map(paths.map((p, i) => [p, entries[i].extent]))).toEqual(dirs);
  return paths;
}

test('ISO 9660 and Joliet path tables, L and M, are in ECMA-119 6.9.1 order and match the records', async () => {
  const t = tempDir();
  try {
    const src = path.join(t.dir, 'src');
    for (const d of FOLDERS) {
      mkdirSync(path.join(src, d), { recursive: true });
      writeFileSync(path.join(src, d, 'f.txt'), d);
    }
    const iso = path.join(t.dir, 'x.iso');
    await buildWith({ source: src, output: iso, 'source-date-epoch': '1700000000' });
    const img = readFileSync(iso);
    const seen: Record<string, string[]> = {};
    for (let lba = 16; img[lba * SECTOR] !== 255; lba++) {
      const vd = parseVolumeDescriptor(img.subarray(lba * SECTOR, (lba + 1) * SECTOR));
      if (vd.type !== VD_TYPE_PRIMARY && !(vd.type === VD_TYPE_SUPPLEMENTARY && vd.joliet)) continue;
      const unit = vd.joliet ? 2 : 1;
      const table = (at: number) => img.subarray(at * SECTOR, at * SECTOR + vd.pathTableSize);
      const l = parsePathTable(table(vd.lPathTable), false);
      const m = parsePathTable(table(vd.mPathTable), true);
      expect(m).toEqual(l);
      const dirs = directoryExtents(img, vd.rootRecord, unit);
      seen[vd.joliet ? 'joliet' : 'iso'] = checkTable(l, dirs, unit);
    }
    // both hierarchies are there, in their own orders
    expect(seen.iso.slice(1, 7)).toEqual(['/ALPHA', '/BOOT', '/EFI', '/ISOLINUX', '/ZETA', '/_X']);
    expect(seen.joliet.slice(1, 7)).toEqual(['/EFI', '/Zeta', '/_x', '/alpha', '/boot', '/isolinux']);
    expect(seen.iso).toContain('/BOOT/GRUB0');
    expect(seen.joliet.filter(p => p.startsWith('/boot/'))).toEqual(['/boot/GRUB', '/boot/grub']);
  } finally {
    t.cleanup();
  }
});
