/**
 * A remaster reads its source image with `joliet: 'unused'`: with Rock Ridge, the Joliet tree is not
 * walked at all (the output's Joliet names are made anew; reading and comparing it took ~70 ms of a
 * 20,000-file image's ~210). Without Rock Ridge the Joliet tree is still the one read, for its names.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { forEachNode, readImage, type IsoImage } from '../src/read/image.js';
import { buildWith } from './support/build.js';
import { tempDir } from './support/tools.js';

const t = tempDir();
afterAll(() => t.cleanup());

function src(): string {
  const dir = path.join(t.dir, 'src');
  mkdirSync(path.join(dir, 'Mixed Case Folder'), { recursive: true });
  writeFileSync(path.join(dir, 'Mixed Case Folder', 'a rather long file name.txt'), 'one\n');
  writeFileSync(path.join(dir, 'short.TXT'), 'two\n');
  return dir;
}

const paths = (img: IsoImage) => {
  const out: string[] = [];
  forEachNode(img.tree.root, n => void out.push(`${n.kind} ${n.path}`));
  return out.sort();
};

async function both(image: string): Promise<[IsoImage, IsoImage]> {
  const whole = await readImage(image);
  await whole.source.close();
  const one = await readImage(image, undefined, { joliet: 'unused' });
  await one.source.close();
  return [whole, one];
}

test('with Rock Ridge, the Joliet tree is not read, and the tree is the same', async () => {
  const image = path.join(t.dir, 'rr.iso');
  await buildWith({ source: src(), output: image, 'source-date-epoch': '1700000000' });
  const [whole, one] = await both(image);
  expect(whole.joliet).toBeDefined();
  expect(one.joliet).toBeUndefined();
  expect(one.jolietVd).toBeDefined(); // its descriptor (ids) is still read
  expect(one.tree.namespace).toBe('rockridge');
  expect(paths(one)).toEqual(paths(whole));
  expect(paths(one)).toContain('file Mixed Case Folder/a rather long file name.txt');
});

test('without Rock Ridge, the Joliet tree is read: its names are the tree', async () => {
  const image = path.join(t.dir, 'joliet.iso');
  await buildWith({ source: src(), output: image, 'source-date-epoch': '1700000000', 'rock-ridge': 'false' });
  const [whole, one] = await both(image);
  expect(one.joliet).toBeDefined();
  expect(one.tree.namespace).toBe('joliet');
  expect(paths(one)).toEqual(paths(whole));
  expect(paths(one)).toContain('file Mixed Case Folder/a rather long file name.txt');
});
