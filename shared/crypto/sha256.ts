/**
 * SHA-256 as lowercase hex through WebCrypto (Workers and Node >= 20), the one implementation
 * the gateway, the trainer and the cache share. A pure-JS hash was measured as an alternative
 * for the short per-request inputs and was slower inside workerd (`npm run bench:profile`).
 */
const encoder = new TextEncoder();

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data);
  return bytesToHex(new Uint8Array(digest));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}
