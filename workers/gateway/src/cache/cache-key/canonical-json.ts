/**
 * Deterministic JSON for hashing: object keys sorted, null/undefined members dropped (OpenAI
 * treats an explicit null like an absent field), arrays kept in order (message order matters).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== null && v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

