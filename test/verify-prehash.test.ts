/**
 * verify's checksum digests made in a worker thread while the other checks run (prehashForChecksums):
 * the same digests as hashing on the main thread, only for the algorithms the checksum file lists for
 * the image, and nothing when there is nothing to hash or verify has ended.
 */
import { createHash } from 'node:crypto';
import { truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkChecksums, prehashForChecksums } from '../src/read/checks.js';
import { ImageSource } from '../src/read/source.js';
import { tempDir } from './support/tools.js';
import { bytes } from './support/trees.js';

const t = tempDir();
afterAll(() => t.cleanup());

test('the digests the checksum file asks for, made in a worker; undefined when none or aborted', async () => {
  const image = path.join(t.dir, 'x.iso');
  const data = bytes(9 * 1024 * 1024 + 123, 5); // more than one 8 MiB read
  writeFileSync(image, data);
  const hex = (a: string) => createHash(a).update(data).digest('hex');
  const both = path.join(t.dir, 'SUMS');
  writeFileSync(
    both,
    `${hex('sha256')}  x.iso\nSHA512 (x.iso) = ${hex('sha512')}\n${'0'.repeat(64)}  other.iso\n`
  );
  const src = await ImageSource.open(image);
  try {
    const made = await prehashForChecksums(src, both);
    expect(made).toEqual({ sha256: hex('sha256'), sha512: hex('sha512') });
    await expect(checkChecksums(src, both, undefined, made)).resolves.toEqual({
      ok: true,
      detail: 'SHA256 and SHA512 of x.iso match SUMS'
    });
    // a wrong digest handed in fails the check as a wrong image would
    const wrong = { sha256: '1'.repeat(64) };
    expect((await checkChecksums(src, both, undefined, wrong)).ok).toBe(false);

    const other = path.join(t.dir, 'OTHER');
    writeFileSync(other, `${hex('sha256')}  y.iso\n`);
    expect(await prehashForChecksums(src, other)).toBeUndefined();
    expect(await prehashForChecksums(src, path.join(t.dir, 'missing'))).toBeUndefined();
    const stop = new AbortController();
    const aborted = prehashForChecksums(src, both, stop.signal);
    stop.abort();
    expect(await aborted).toBeUndefined();
  } finally {
    await src.close();
  }
});

test('verify ending while the worker hashes stops it', async () => {
  const image = path.join(t.dir, 'big.iso');
  writeFileSync(image, '');
  truncateSync(image, 1024 * 1024 * 1024); // sparse: ~0.6 s of SHA-256, no disk
  const sums = path.join(t.dir, 'BIG.SUMS');
  writeFileSync(sums, `${'0'.repeat(64)}  big.iso\n`);
  const src = await ImageSource.open(image);
  try {
    const stop = new AbortController();
    const made = prehashForChecksums(src, sums, stop.signal);
    setTimeout(() => stop.abort(), 50);
    // run to its end, it would have resolved to the digest
    expect(await made).toBeUndefined();
  } finally {
    await src.close();
  }
});
