import type { RawFinding, Recognizer } from "../../../types";
import { tokenRuns } from "../../runs";

/** Shannon entropy in bits per char; random keys sit near log2(alphabet), prose far lower. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * Unlabelled random-looking tokens: mixed-case alphanumerics (base62/base64 keys), or long
 * lower-case base32/base36 runs (the alphabet of many API keys, ours included). Hex is left
 * out on purpose: hashes, commit ids and UUIDs are everywhere in code and logs and are not
 * secrets; hex keys are caught when labelled.
 */
function randomLooking(s: string): boolean {
  const lower = /[a-z]/.test(s);
  const upper = /[A-Z]/.test(s);
  const digit = /\d/.test(s);
  if (!digit) return false;
  if (lower && upper) return entropy(s) >= 4;
  // Single-case: only unbroken [a-z0-9] runs with a fair share of digits (random base32/36),
  // never paths or slugs, whose words keep the digit share low.
  if (!/^(?:[a-z0-9]+|[A-Z0-9]+)$/.test(s) || /^[0-9a-fA-F]+$/.test(s)) return false;
  const digits = s.replace(/\D/g, "").length;
  return s.length >= 32 && digits >= s.length * 0.1 && entropy(s) >= 4.2;
}

export const highEntropyRecognizer: Recognizer = {
  name: "high-entropy",
  types: ["SECRET"],
  find(text) {
    const out: RawFinding[] = [];
    for (const [start, end] of tokenRuns(text, 24)) {
      if (end - start <= 256 && randomLooking(text.slice(start, end))) out.push({ type: "SECRET", start, end, score: 0.6 });
    }
    return out;
  },
};
