import type { RawFinding } from "../types";
import { matches } from "./context";

// Base64 blobs long enough to carry an email or a card number.
const BASE64 = /(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])/g;
const MAX_BLOBS = 64;

/** Decodes base64 to text when the result is printable UTF-8; otherwise null. */
export function decodeBase64Text(blob: string): string | null {
  try {
    const bin = atob(blob);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return /^[\P{C}\n\r\t]*$/u.test(text) && /[A-Za-z0-9]{3}/.test(text) ? text : null;
  } catch {
    return null;
  }
}

/**
 * PII smuggled inside base64 ("am9obkBleGFtcGxlLmNvbQ==") is reported on the whole blob with
 * the inner entity's type, so redaction removes the encoded value too.
 */
export function findEncoded(text: string, detectInner: (decoded: string) => RawFinding[]): RawFinding[] {
  const out: RawFinding[] = [];
  let n = 0;
  for (const m of matches(BASE64, text)) {
    if (++n > MAX_BLOBS) break;
    if (!/[0-9+/=]/.test(m[0]) && !/[a-z]/.test(m[0])) continue;
    const decoded = decodeBase64Text(m[0]);
    if (decoded === null) continue;
    const best = detectInner(decoded).sort((a, b) => b.score - a.score)[0];
    if (best) out.push({ type: best.type, start: m.index, end: m.index + m[0].length, score: best.score * 0.95 });
  }
  return out;
}
