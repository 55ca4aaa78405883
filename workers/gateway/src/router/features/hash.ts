/**
 * FNV-1a 32-bit: a stable, dependency-free string hash. The trainer (Node) and the Worker must
 * map every n-gram to the same bucket, so the hash is part of the feature spec: changing it
 * changes FEATURE_SPEC and invalidates shipped models (the manifest's spec hash check fails).
 */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

