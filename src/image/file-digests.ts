/**
 * The per-file SHA-256 of a build, kept for the manifest until the image is written: 32 raw bytes
 * per file in slabs, found by the file's path (the tree node's own string, so no second copy of
 * it). A Map of paths to 64-character hex strings cost ~180 bytes per file more (a million small
 * files: 747 bytes of RSS per file against the 700 asked).
 */
export const SHA256_BYTES = 32;
/** digests per slab: 1 MiB each, so growing never copies what is held */
const PER_SLAB = 32768;

/** What the manifest asks of the files' digests (a ReadonlyMap<string, string> of hex fits). */
export interface DigestLookup {
  get(path: string): string | undefined;
  has(path: string): boolean;
}

export class FileDigests implements DigestLookup {
  private readonly slot = new Map<string, number>();
  private readonly slabs: Buffer[] = [];

  get size(): number {
    return this.slot.size;
  }

  /** The digest of `path`: the SHA256_BYTES of `from` at `offset`. */
  add(path: string, from: Uint8Array, offset: number): void {
    let i = this.slot.get(path);
    if (i === undefined) {
      i = this.slot.size;
      this.slot.set(path, i);
    }
    const s = Math.floor(i / PER_SLAB);
    if (s === this.slabs.length) this.slabs.push(Buffer.allocUnsafe(PER_SLAB * SHA256_BYTES));
    this.slabs[s].set(from.subarray(offset, offset + SHA256_BYTES), (i % PER_SLAB) * SHA256_BYTES);
  }

  has(path: string): boolean {
    return this.slot.has(path);
  }

  /** The digest of `path` as lower-case hex. */
  get(path: string): string | undefined {
    const i = this.slot.get(path);
    if (i === undefined) return undefined;
    const at = (i % PER_SLAB) * SHA256_BYTES;
    return this.slabs[Math.floor(i / PER_SLAB)].toString('hex', at, at + SHA256_BYTES);
  }

  *entries(): Generator<[string, string]> {
    for (const p of this.slot.keys()) yield [p, this.get(p)!];
  }
}
