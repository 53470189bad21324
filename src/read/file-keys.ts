/** The files' keys of a tree (pushFileKey's pairs: each file's first block and size), compared across trees. */
/**
 * A file's index beside its block in one double: a tree has fewer files than 2^19 (tree.ts's
 * LIMITS.entries, 500,000 records in all trees together) and a block is below 2^32, so `block × 2^19 + index` is exact.
 */
const INDEX_SCALE = 2 ** 19;

/**
 * True when the (block, size) pairs of `fa` and of `fb` are the same pairs, in any order. Both are
 * sorted by block, as numbers (no comparator: a call per comparison was most of it); files that
 * share a block (hard links, or an image that stores equal files once) compare their sizes as
 * sorted lists.
 */
export function sameFiles(fa: readonly number[], fb: readonly number[]): boolean {
  if (fa.length !== fb.length) return false;
  const [oa, ob] = [byBlock(fa), byBlock(fb)];
  // one pass, the arithmetic inline: it runs once per image, mostly before V8 has compiled it
  for (let i = 0, j = 1; i < oa.length; i = j++) {
    const block = Math.floor(oa[i] / INDEX_SCALE);
    while (j < oa.length && Math.floor(oa[j] / INDEX_SCALE) === block) j++;
    for (let k = i; k < j; k++) if (Math.floor(ob[k] / INDEX_SCALE) !== block) return false;
    if (j - i === 1) {
      if (fa[2 * (oa[i] % INDEX_SCALE) + 1] !== fb[2 * (ob[i] % INDEX_SCALE) + 1]) return false;
    } else if (!sameSizes(fa, oa.subarray(i, j), fb, ob.subarray(i, j))) return false;
  }
  return true;
}

/** The sizes of the files `a` of `fa` and `b` of `fb` (byBlock's numbers) are the same list in some order. */
function sameSizes(fa: readonly number[], a: Float64Array, fb: readonly number[], b: Float64Array): boolean {
  const sa = Float64Array.from(a, x => fa[2 * (x % INDEX_SCALE) + 1]).sort();
  const sb = Float64Array.from(b, x => fb[2 * (x % INDEX_SCALE) + 1]).sort();
  return sa.every((v, k) => v === sb[k]);
}

/** The files of `keys` (pushFileKey's pairs) as `block × INDEX_SCALE + index`, sorted. */
function byBlock(keys: readonly number[]): Float64Array {
  const order = new Float64Array(keys.length / 2);
  for (let i = 0; i < order.length; i++) order[i] = keys[2 * i] * INDEX_SCALE + i;
  return order.sort();
}
