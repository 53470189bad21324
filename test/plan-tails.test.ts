/**
 * The image's end is ordered by the plan: the zero padding an extension asks for comes before the
 * tail that must end the image (a backup GPT), whatever the order of the extensions.
 */
import { SECTOR } from '../src/image/bytes.js';
import type { ImageExtension } from '../src/image/extension.js';
import { DEFAULT_IDS } from '../src/image/labels.js';
import { makePlan } from '../src/image/plan.js';
import { S_IFDIR, S_IFREG, type DirNode } from '../src/image/tree.js';

function tree(): DirNode {
  const root: DirNode = {
    kind: 'dir',
    name: '',
    path: '',
    mode: S_IFDIR | 0o755,
    mtime: 0,
    uid: 0,
    gid: 0,
    serial: 0,
    children: []
  };
  root.children.push({
    kind: 'file',
    name: 'a',
    path: 'a',
    mode: S_IFREG | 0o644,
    mtime: 0,
    uid: 0,
    gid: 0,
    serial: 0,
    size: 3,
    lba: 0,
    data: { type: 'memory', bytes: Buffer.from('abc') }
  });
  return root;
}

const plan = (extensions: ImageExtension[]) =>
  makePlan(tree(), {
    labels: { ...DEFAULT_IDS, volumeId: 'T', applicationId: 'T' },
    joliet: false,
    rockRidge: false,
    epoch: 0,
    extensions,
    order: new Map()
  });

const END = Buffer.from('the end');
const ender: ImageExtension = { name: 'ender', tail: () => ({ bytes: END.length, produce: () => END }) };
const padder: ImageExtension = { name: 'padder', padding: { bytes: 10 * SECTOR, align: 32 * 1024 } };

test('the padding comes before the tail that ends the image, in either order of the extensions', () => {
  for (const exts of [
    [ender, padder],
    [padder, ender]
  ]) {
    const p = plan(exts);
    const tails = p.pieces.filter(x => x.kind === 'tail');
    expect(tails.map(t => t.bytes)).toEqual([expect.any(Number), END.length]);
    const [pad, end] = tails as { offset: number; bytes: number; produce: () => Buffer }[];
    expect(pad.bytes).toBeGreaterThanOrEqual(10 * SECTOR);
    expect((pad.offset + pad.bytes) % (32 * 1024)).toBe(0);
    expect(end.offset).toBe(pad.offset + pad.bytes);
    expect(p.imageSize).toBe(end.offset + END.length);
    expect(end.produce()).toEqual(END);
  }
});

test('two tails that both end the image are refused when planning', () => {
  expect(() => plan([ender, { ...ender, name: 'other' }])).toThrow(/ender and other both end the image/);
});
