/**
 * FNV-1a 32-bit over UTF-16 code units, and the murmur3 finaliser: the one non-cryptographic
 * string hash of the project (feature hashing in the router and the guardrails' models,
 * sampling and rollout buckets, fold splits, simulator seeds, archive names). Models shipped as
 * files were trained on these exact values: changing them invalidates every hashed feature.
 */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Continues an FNV-1a hash `h` over `text[from, to)`, without building the substring (hot
 * paths hash n-grams in place). `fnv1aStep(fnv1aStep(FNV_OFFSET, a), b) === fnv1a(a + b)`.
 */
export function fnv1aStep(h: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** FNV-1a of `text`, unsigned 32-bit; `basis` seeds a family of independent hashes. */
export const fnv1a = (text: string, basis = FNV_OFFSET): number => fnv1aStep(basis, text);

/** murmur3's fmix32: spreads every input bit over the output (FNV alone leaves the last characters in the low bits). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
