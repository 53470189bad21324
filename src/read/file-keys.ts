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
  const block = (x: number) => Math.floor(x / INDEX_SCALE);
  const size = (keys: readonly number[], x: number) => keys[2 * (x - block(x) * INDEX_SCALE) + 1];
  for (let i = 0; i < oa.length; i++) if (block(oa[i]) !== block(ob[i])) return false;
  for (let i = 0, j = 1; i < oa.length; i = j++) {
    while (j < oa.length && block(oa[j]) === block(oa[i])) j++;
    if (j - i === 1) {
      if (size(fa, oa[i]) !== size(fb, ob[i])) return false;
      continue;
    }
    const sa = Float64Array.from(oa.subarray(i, j), x => size(fa, x)).sort();
    const sb = Float64Array.from(ob.subarray(i, j), x => size(fb, x)).sort();
    if (sa.some((v, k) => v !== sb[k])) return false;
  }
  return true;
}

/** The files of `keys` (pushFileKey's pairs) as `block × INDEX_SCALE + index`, sorted. */
function byBlock(keys: readonly number[]): Float64Array {
  const order = new Float64Array(keys.length / 2);
  for (let i = 0; i < order.length; i++) order[i] = keys[2 * i] * INDEX_SCALE + i;
  return order.sort();
}
