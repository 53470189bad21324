/**
 * The reader's small reads (directories, path tables, descriptors) are made at once, not through
 * libuv's thread pool (src/read/source.ts READ_AT_ONCE): on a loaded 2-core machine a pool round
 * trip costs ~0.3 ms, and an image's tree walk makes one per directory per tree. Counted by Node:
 * the file system requests created (async_hooks FSREQ*) while readImage ran.
 */
import { createHook } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { forEachNode, readImage } from '../src/read/image.js';
import { buildWith } from './support/build.js';
import { tempDir } from './support/tools.js';

const t = tempDir();
afterAll(() => t.cleanup());
const DIRS = 120;

test('reading the trees of an image with 120 directories hands no directory read to the pool', async () => {
  const src = path.join(t.dir, 'src');
  for (let i = 0; i < DIRS; i++) {
    mkdirSync(path.join(src, `d${i}`), { recursive: true });
    writeFileSync(path.join(src, `d${i}`, 'f.txt'), `file ${i}\n`);
  }
  const image = path.join(t.dir, 'x.iso');
  await buildWith({ source: src, output: image, 'source-date-epoch': '1700000000' });

  let requests = 0;
  const hook = createHook({
    init(_id, type) {
      if (type.startsWith('FSREQ')) requests++;
    }
  });
  hook.enable();
  const img = await readImage(image).finally(() => hook.disable());
  try {
    let dirs = 0;
    forEachNode(img.tree.root, n => void (n.kind === 'dir' && dirs++));
    expect(dirs).toBe(DIRS + 1);
    expect(img.joliet).toBeDefined();
    // open and stat of the image: a constant, not one per directory (before: 254 here)
    expect(requests).toBeLessThan(10);
  } finally {
    await img.source.close();
  }
});
