/**
 * The files of a tree by their data, each file's first block and size, for comparing trees: 8 bytes
 * a file in one typed array as the walk adds them; two trees hold the same files when the sorted
 * arrays are byte for byte the same (a native sort and a memcmp, where a sort with a comparator and a
 * loop over every file ran mostly uncompiled: 10-40 ms for the bench image's 20,001 files).
 */

/** The size a key holds for a file of 4 GiB - 1 or more (a multi-extent file), whose size is then in `wide`. */
const WIDE = 0xffffffff;

export class FileKeys {
  /** per file its key, two 32-bit words: the size (or WIDE) and the block, one BigUint64 to sort */
  private words = new Uint32Array(2 * 1024);
  /** files with data */
  count = 0;
  /** (block, size) of each file of WIDE bytes or more */
  private readonly wide: number[] = [];

  add(block: number, size: number): void {
    if (2 * this.count === this.words.length) {
      const more = new Uint32Array(2 * this.words.length);
      more.set(this.words);
      this.words = more;
    }
    const narrow = size < WIDE;
    this.words[2 * this.count] = narrow ? size : WIDE;
    this.words[2 * this.count + 1] = block;
    this.count++;
    if (!narrow) this.wide.push(block, size);
  }

  /**
   * True when `other` holds the same (block, size) pairs, in any order. The keys of the smaller files
   * are exact; those of WIDE bytes or more share the key (block, WIDE) and are compared by their pairs.
   */
  same(other: FileKeys): boolean {
    return (
      this.count === other.count && this.sorted().equals(other.sorted()) && samePairs(this.wide, other.wide)
    );
  }

  /** The keys sorted (as one unsigned 64-bit number each), as bytes. */
  private sorted(): Buffer {
    const keys = new BigUint64Array(this.words.buffer, 0, this.count).slice().sort();
    return Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);
  }
}

/** (block, size) pairs, the same in any order. */
function samePairs(a: readonly number[], b: readonly number[]): boolean {
  const pairs = (k: readonly number[]) =>
    Array.from({ length: k.length / 2 }, (_, i) => [k[2 * i], k[2 * i + 1]]).sort(
      (x, y) => x[0] - y[0] || x[1] - y[1]
    );
  const [pa, pb] = [pairs(a), pairs(b)];
  return pa.length === pb.length && pa.every((p, i) => p[0] === pb[i][0] && p[1] === pb[i][1]);
}
