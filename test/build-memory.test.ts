/**
 * What a build holds per file until its manifest is written (issue 17: a million small files in
 * ~700 bytes of RSS each): the build's result (the tree, the plan, the files' digests) for 20,000
 * files, measured in-process as the live heap it keeps after a full collection. 288 bytes per file
 * when the digests were found through a Map from a path string per file, 193 with them found by
 * block, 145 with one plan piece for all the files' data instead of one per file: what is left is
 * the tree's node (80), its name (32), its place in two lists and 36 bytes of digest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildImage, type ImageResult } from '../src/image/build.js';
import { tempDir } from './support/tools.js';

const FILES = 20000;
const PER_DIR = 100;
/** bytes of live heap per file the build's result may keep */
const BOUND = 175;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The live heap after full collections (a second one frees what the first's finalizers let go). */
function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const t = tempDir();
afterAll(() => t.cleanup());

/** `files` small files, 100 to a folder in two levels (the benchmark's small trees' shape). */
function tree(name: string, files: number): string {
  const root = path.join(t.dir, name);
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `s${Math.floor(i / PER_DIR / 100)}`, `d${Math.floor(i / PER_DIR) % 100}`);
    if (i % PER_DIR === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `f${String(i).padStart(6, '0')}.txt`), `file ${i}\n`);
  }
  return root;
}

test(`a build's result keeps under ${BOUND} bytes of heap per file (${FILES.toLocaleString('en-US')} files)`, async () => {
  const src = tree('src', FILES);
  const opts = { volumeId: 'MANY', joliet: true, rockRidge: true, epoch: 1700000000 };
  // a small build first warms the code (its compiled functions are not the tree's bytes)
  await buildImage({ ...opts, source: tree('warm', 1000), output: path.join(t.dir, 'warm.iso') });
  const before = liveHeap();
  const result: ImageResult = await buildImage({
    ...opts,
    source: src,
    output: path.join(t.dir, 'out.iso')
  });
  const perFile = (liveHeap() - before) / FILES;
  console.log(`a build's result: ${perFile.toFixed(0)} bytes of heap per file`);
  // the digests are all there, and found by their files
  expect(result.scan.files).toBe(FILES);
  expect(result.fileDigests.get(result.plan.file('s1/d99/f019999.txt')!)).toMatch(/^[0-9a-f]{64}$/);
  expect(perFile).toBeLessThan(BOUND);
  expect(perFile).toBeGreaterThan(80); // a node and its name at least: the measure measures
}, 120_000);
