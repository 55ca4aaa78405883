import type { RawFinding, Recognizer } from "../../types";
import { ibanMod97 } from "../checksums";
import { matches, precededBy } from "../context";

const CONTEXT = /\b(?:iban|bank account|account|konto|compte|cuenta)\b[^.\n]{0,16}$/i;

// Country code, check digits, then BBAN in optional groups of up to 4 separated by one space.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/gi;

// ISO 13616 registry lengths for the common countries; others accept 15-34.
const LENGTHS: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22,
  GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15,
  PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, TR: 26, AE: 23, SA: 24, IL: 23, BR: 29, UA: 29,
};

export const ibanRecognizer: Recognizer = {
  name: "iban",
  types: ["IBAN_CODE"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(IBAN, text)) {
      // The greedy group may swallow a following word; trim back to the longest valid prefix.
      const found = longestValid(m[0], true);
      if (found > 0) out.push({ type: "IBAN_CODE", start: m.index, end: m.index + found, score: 1 });
      // Right length but wrong check digits: a mistyped IBAN is still an IBAN when labelled.
      else if (precededBy(text, m.index, CONTEXT, 30)) {
        const loose = longestValid(m[0], false);
        const named = precededBy(text, m.index, /\biban\b[^.\n]{0,16}$/i, 30);
        if (loose > 0) out.push({ type: "IBAN_CODE", start: m.index, end: m.index + loose, score: named ? 0.85 : 0.6 });
      }
    }
    return out;
  },
};

/** Length of the longest prefix ending at a group boundary that is a valid IBAN, or 0. */
function longestValid(raw: string, checksum: boolean): number {
  for (let end = raw.length; end >= 15; end--) {
    if (end < raw.length && raw[end] !== " ") continue;
    const compact = raw.slice(0, end).replace(/ /g, "").toUpperCase();
    const want = LENGTHS[compact.slice(0, 2)];
    if (want !== undefined ? compact.length !== want : compact.length < 15 || compact.length > 34) continue;
    if (!checksum || ibanMod97(compact)) return end;
  }
  return 0;
}
