import type { RawFinding } from "../types";
import { tokenRuns } from "./runs";

// Base64 blobs long enough to carry an email or a card number.
const BASE64 = /^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
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
  for (const [start, end] of tokenRuns(text, 16)) {
    const blob = text.slice(start, end);
    if (!BASE64.test(blob)) continue;
    if (++n > MAX_BLOBS) break;
    const decoded = decodeBase64Text(blob);
    if (decoded === null) continue;
    const best = detectInner(decoded).sort((a, b) => b.score - a.score)[0];
    if (best) out.push({ type: best.type, start, end, score: best.score * 0.95 });
  }
  return out;
}
