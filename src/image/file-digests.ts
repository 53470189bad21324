/**
 * The per-file SHA-256 of a build, kept for the manifest until the image is written: 32 raw bytes
 * per file in slabs, found by the file's first block. The writer goes front to back, so the files
 * finish in the order of their blocks and a lookup is a binary search; what a file costs is its
 * 32 bytes and 4 for its block. Keyed by the file's path (a Map of the strings the writer made for
 * the worker) it cost ~110 bytes per file more, and a Map of paths to hex strings ~180 more
 * before that (a million small files: 747 bytes of RSS per file against the 700 asked).
 */
import type { FileNode } from './tree.js';

export const SHA256_BYTES = 32;
/** digests per slab: 1 MiB each, so growing never copies what is held */
const PER_SLAB = 32768;

/** What the manifest asks of the files' digests: by the file node (its block). */
export interface DigestLookup {
  get(file: Pick<FileNode, 'lba'>): string | undefined;
}

export class FileDigests implements DigestLookup {
  private readonly blocks: Uint32Array[] = [];
  private readonly slabs: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * The digest of the file at `block`: the SHA256_BYTES of `from` at `offset`. Blocks come in
   * increasing order (the image is written front to back); anything else is a writer's bug.
   */
  add(block: number, from: Uint8Array, offset: number): void {
    const i = this.count;
    if (i > 0 && block <= this.blockAt(i - 1))
      throw new Error(`internal: the digest of block ${block} after that of ${this.blockAt(i - 1)}`);
    const s = Math.floor(i / PER_SLAB);
    if (s === this.slabs.length) {
      this.slabs.push(Buffer.allocUnsafe(PER_SLAB * SHA256_BYTES));
      this.blocks.push(new Uint32Array(PER_SLAB));
    }
    this.blocks[s][i % PER_SLAB] = block;
    this.slabs[s].set(from.subarray(offset, offset + SHA256_BYTES), (i % PER_SLAB) * SHA256_BYTES);
    this.count++;
  }

  private blockAt(i: number): number {
    return this.blocks[Math.floor(i / PER_SLAB)][i % PER_SLAB];
  }

  /** The place of `block` among the digests, or -1. */
  private find(block: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const b = this.blockAt(mid);
      if (b === block) return mid;
      if (b < block) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The digest of `file` (the file whose data start at its block) as lower-case hex. */
  get(file: Pick<FileNode, 'lba'>): string | undefined {
    const i = this.find(file.lba);
    if (i < 0) return undefined;
    const at = (i % PER_SLAB) * SHA256_BYTES;
    return this.slabs[Math.floor(i / PER_SLAB)].toString('hex', at, at + SHA256_BYTES);
  }
}
