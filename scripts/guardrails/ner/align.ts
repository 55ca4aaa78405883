/** Example (character spans) → the tagger's tokens with BIO label ids. */
import { ENTITY_TYPES, type TaggedType } from "../../../workers/gateway/src/guardrails/pii/tagger/decode";
import { tagTokens, type TagToken } from "../../../workers/gateway/src/guardrails/pii/tagger/tokenize";
import type { Example } from "./example";

const TAGGED = new Set<string>(ENTITY_TYPES);

export function alignLabels(ex: Example): { toks: TagToken[]; labels: Uint8Array } {
  const toks = tagTokens(ex.text);
  const labels = new Uint8Array(toks.length);
  const spans = ex.spans.filter((s) => TAGGED.has(s.type)).sort((a, b) => a.start - b.start);
  let si = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as TagToken;
    while (si < spans.length && (spans[si]?.end ?? 0) <= t.start) si++;
    const s = spans[si];
    if (!s || t.start < s.start || t.start >= s.end) continue;
    const k = ENTITY_TYPES.indexOf(s.type as TaggedType);
    const first = i === 0 || (toks[i - 1] as TagToken).start < s.start;
    labels[i] = first ? 1 + 2 * k : 2 + 2 * k;
  }
  return { toks, labels };
}
