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

/** SHA-256 hex via WebCrypto (present in Workers and Node >= 20). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
