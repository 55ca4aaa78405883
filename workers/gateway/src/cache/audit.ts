/**
 * Deterministic audit sampling: the same request id always gets the same answer (retries and
 * replays agree), and ids spread evenly over [0, 1) via FNV-1a so the rate holds.
 */
export function shouldAudit(rate: number, requestId: string): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < requestId.length; i++) h = Math.imul(h ^ requestId.charCodeAt(i), 0x01000193);
  // Final avalanche (murmur3 fmix32) so ids differing only in the last character still spread.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 < rate;
}
