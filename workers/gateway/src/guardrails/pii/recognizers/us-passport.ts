import type { RawFinding, Recognizer } from "../../types";
import { matches, precededBy } from "../context";

// US books are 9 digits or a letter + 8 digits; other countries' shapes (1-2 letters, 6-9
// digits, optional trailing letter) are accepted when a "passport" label is present.
const STRICT = /(?<![\w-])(?:[A-Z]\d{8}|\d{9})(?![\w-])/g;
const LOOSE = /(?<![\w-])[A-Z]{0,2}\d{6,9}[A-Z]?(?![\w-])/g;
const CONTEXT = /\b(?:passport|passeport|reisepass|pasaporte|passaporto)\b[^.\n]{0,30}$/i;

const ANY_LABEL = /passport|passeport|reisepass|pasaporte|passaporto|\b[A-Z]\d{8}\b/i;

export const usPassportRecognizer: Recognizer = {
  name: "us-passport",
  types: ["US_PASSPORT"],
  find(text) {
    const out: RawFinding[] = [];
    // One pass for the label over the whole text before any per-candidate work.
    if (!ANY_LABEL.test(text)) return out;
    const seen = new Set<number>();
    for (const m of matches(LOOSE, text)) {
      if (!precededBy(text, m.index, CONTEXT, 60)) continue;
      seen.add(m.index);
      out.push({ type: "US_PASSPORT", start: m.index, end: m.index + m[0].length, score: 0.9 });
    }
    for (const m of matches(STRICT, text)) {
      // Without a label a letter+8 digits is a weak guess; bare 9 digits is not reported.
      if (seen.has(m.index) || /^\d/.test(m[0])) continue;
      out.push({ type: "US_PASSPORT", start: m.index, end: m.index + m[0].length, score: 0.35 });
    }
    return out;
  },
};
