import type { RawFinding, Recognizer } from "../../types";
import { MAX_PLACE_WORDS, PLACE_FIRST_WORDS, PLACES } from "../dictionaries";
import { adjacent, tokensOf, type Token } from "../tokens";
import { matches } from "../context";

const CONTEXT = /\b(?:in|at|from|to|near|into|via|based|located|lives?|living|moved|born|city of|visit(?:ing)?|travel(?:l?ing)?)\s+$/i;
const STREET =
  /\b\d{1,6}[A-Z]?\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Alley)\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[\w-]+)?(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?){0,2}(?:,?\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)?/g;

/** Longest dictionary place starting at token i, as a token count (0 = none). */
function placeAt(text: string, toks: readonly Token[], i: number): number {
  if (!PLACE_FIRST_WORDS.has((toks[i] as Token).word.toLowerCase())) return 0;
  for (let n = Math.min(MAX_PLACE_WORDS, toks.length - i); n >= 1; n--) {
    let ok = true;
    for (let k = i + 1; k < i + n; k++) if (!adjacent(text, toks[k - 1] as Token, toks[k] as Token)) ok = false;
    if (!ok) continue;
    const phrase = toks
      .slice(i, i + n)
      .map((t) => t.word)
      .join(" ")
      .toLowerCase();
    if (PLACES.has(phrase)) return n;
  }
  return 0;
}

export const locationRecognizer: Recognizer = {
  name: "location",
  types: ["LOCATION", "STREET_ADDRESS"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(STREET, text)) out.push({ type: "STREET_ADDRESS", start: m.index, end: m.index + m[0].trimEnd().length, score: 0.9 });
    const toks = tokensOf(text);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (!t.cap) continue;
      const n = placeAt(text, toks, i);
      if (n === 0) continue;
      const end = (toks[i + n - 1] as Token).end;
      const ctx = CONTEXT.test(text.slice(Math.max(0, t.start - 20), t.start));
      // A lone capitalized word that happens to be a city ("Bose", "Mobile") needs context.
      out.push({ type: "LOCATION", start: t.start, end, score: ctx ? 0.85 : n > 1 ? 0.6 : 0.45 });
      i += n - 1;
    }
    return out;
  },
};
