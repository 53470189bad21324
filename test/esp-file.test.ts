/**
 * An ESP given as a FAT image file (a file of the tree, written once as the appended partition)
 * and an --append-partition file are checked against the size the scan recorded: a file that grew
 * after the scan is an error naming it, not an ESP silently cut to its old size.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createBootExtensions } from '../src/boot/index.js';
import { toBuildConfig } from '../src/config.js';
import { IsoforgeError } from '../src/errors.js';
import { buildImage } from '../src/image/build.js';
import { silentLogger } from '../src/log.js';
import { optionsFor, resolveOptions } from '../src/options.js';
import { bytes } from './support/trees.js';
import { tempDir } from './support/tools.js';

const t = tempDir();
afterAll(() => t.cleanup());

const WINDOW = 64 * 1024;

/** A boot sector as the FAT check wants it (bytes per sector 512 at 11, 0x55AA at 510). */
function fatLike(size: number): Buffer {
  const b = bytes(size, 3);
  b.writeUInt16LE(512, 11);
  b.writeUInt16LE(0xaa55, 510);
  return b;
}

async function build(
  output: string,
  onProgress?: (done: number) => void,
  flags: Record<string, string> = {}
) {
  const src = path.join(t.dir, 'src');
  const config = toBuildConfig(
    resolveOptions(
      optionsFor('build', 'cli'),
      new Map(
        Object.entries({ source: src, output, 'uefi-boot': 'boot/efi.img', epoch: '1700000000', ...flags })
      ),
      {}
    )
  );
  const extensions = await createBootExtensions(config, silentLogger);
  return buildImage({
    source: src,
    output,
    volumeId: 'ESP',
    joliet: false,
    rockRidge: false,
    epoch: 1700000000,
    extensions,
    windowSize: WINDOW,
    onProgress: onProgress && (e => e.phase === 'write' && onProgress(e.done))
  });
}

test('an ESP image file that grows during the build fails the build, naming it', async () => {
  const src = path.join(t.dir, 'src');
  mkdirSync(path.join(src, 'boot'), { recursive: true });
  const efi = path.join(src, 'boot/efi.img');
  writeFileSync(efi, fatLike(256 * 1024));
  // the tree's other data first, so the ESP region (efi.img itself, stored once) is read late
  writeFileSync(path.join(src, 'filler.bin'), bytes(2 * 1024 * 1024, 4));
  const first = await build(path.join(t.dir, 'first.iso'));
  const region = first.plan.region('partition-2');
  const regionStart = region.lba * 2048;
  expect(first.plan.file('boot/efi.img')!.lba).toBe(region.lba);
  expect(regionStart).toBeGreaterThan(2 * 1024 * 1024);

  let grown = false;
  const out = path.join(t.dir, 'grown.iso');
  const failed = await build(out, done => {
    // windows fill at most three ahead of the one flushed: the region is not read yet
    if (!grown && done >= regionStart - 6 * WINDOW) {
      grown = true;
      appendFileSync(efi, Buffer.alloc(4096, 1));
    }
  }).catch((e: unknown) => e);
  expect(grown).toBe(true);
  expect(failed).toBeInstanceOf(IsoforgeError);
  // efi.img is a file of the tree, written once as the ESP: the tree's files' check names it
  expect((failed as Error).message).toMatch(/boot\/efi\.img: grew beyond 262144 bytes during the build$/);
  expect(existsSync(out)).toBe(false);
});

test('an --append-partition file that grows during the build fails the build, naming it', async () => {
  // after the test above: src holds boot/efi.img and filler.bin
  const part = path.join(t.dir, 'part.bin');
  writeFileSync(part, bytes(256 * 1024, 5));
  const flags = { 'append-partition': `3 0x83 ${part}` };
  const first = await build(path.join(t.dir, 'first-part.iso'), undefined, flags);
  const regionStart = first.plan.region('partition-3').lba * 2048;
  let grown = false;
  const out = path.join(t.dir, 'grown-part.iso');
  const failed = await build(
    out,
    done => {
      if (!grown && done >= regionStart - 6 * WINDOW) {
        grown = true;
        appendFileSync(part, Buffer.alloc(4096, 1));
      }
    },
    flags
  ).catch((e: unknown) => e);
  expect(grown).toBe(true);
  expect(failed).toBeInstanceOf(IsoforgeError);
  expect((failed as Error).message).toMatch(
    /^--append-partition: .*part\.bin changed while the image was written \(262144 bytes when scanned, more now\)/
  );
  expect(existsSync(out)).toBe(false);
});
