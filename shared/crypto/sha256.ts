/**
 * SHA-256 as lowercase hex through WebCrypto (Workers and Node >= 20), the one implementation
 * the gateway, the trainer and the cache share. A pure-JS hash was measured as an alternative
 * for the short per-request inputs and was slower inside workerd (`npm run bench:profile`).
 *
 * Synchronous callers (redaction tokens and end-user pseudonyms per finding, the RAG store's
 * scope ids) cannot await WebCrypto: they use sha256Sync / hmacSha256 from @noble/hashes
 * (audited, no dependencies), which replaced a hand-written copy and ran 2-4x faster than it on
 * short strings (Node 22, same inputs and outputs, checked against node:crypto).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

const encoder = new TextEncoder();
const bytes = (data: string | Uint8Array): Uint8Array => (typeof data === "string" ? encoder.encode(data) : data);

export const sha256Sync = (data: string | Uint8Array): Uint8Array => sha256(bytes(data));

/** HMAC-SHA256 (RFC 2104) of UTF-8 `message` under UTF-8 `key`. */
export const hmacSha256 = (key: string | Uint8Array, message: string | Uint8Array): Uint8Array => hmac(sha256, bytes(key), bytes(message));

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes(data));
  return bytesToHex(new Uint8Array(digest));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}
