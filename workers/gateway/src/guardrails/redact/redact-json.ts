/**
 * Tool-call arguments are JSON text. Redacting the raw string could put a placeholder where a
 * number was and break the JSON, so string and number leaves are redacted one by one and the
 * document re-serialized. Unparseable or absurdly deep arguments fall back to raw-text
 * redaction: broken JSON is better than leaked PII.
 */
const MAX_DEPTH = 32;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

class TooDeep extends Error {}

/** Redacts one leaf; `key` is the property name, used as context ("ssn": "123456789"). */
export type LeafRedactor = (value: string, key: string) => string;

function walk(v: Json, depth: number, redact: LeafRedactor, key: string): Json {
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (typeof v === "string") return redact(v, key);
  if (typeof v === "number") {
    const s = String(v);
    const r = redact(s, key);
    return r === s ? v : r;
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, redact, key));
  if (v !== null && typeof v === "object") {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1, redact, k);
    return out;
  }
  return v;
}

export function redactJsonText(raw: string, redact: LeafRedactor): string {
  let parsed: Json;
  try {
    parsed = JSON.parse(raw) as Json;
  } catch {
    return redact(raw, "");
  }
  try {
    return JSON.stringify(walk(parsed, 0, redact, ""));
  } catch (e) {
    if (e instanceof TooDeep) return redact(raw, "");
    throw e;
  }
}
