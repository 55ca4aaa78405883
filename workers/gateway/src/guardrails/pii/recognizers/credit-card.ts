import type { RawFinding, Recognizer } from "../../types";
import { luhn } from "../checksums";
import { matches, precededBy } from "../context";

// 13-19 digits, optionally grouped by single spaces or dashes (how people type them).
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// Issuer prefixes (Visa, Mastercard incl. 2-series, Amex, Discover, Diners, JCB, UnionPay, Maestro).
const ISSUER = /^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6[0-9]|35|62|50|5[6-9])/;
const CONTEXT = /\b(?:card|credit|debit|visa|mastercard|amex|cc|pan|kreditkarte|tarjeta|carte)\b/i;

export const creditCardRecognizer: Recognizer = {
  name: "credit-card",
  types: ["CREDIT_CARD"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(CARD, text)) {
      const digits = m[0].replace(/[ -]/g, "");
      if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) continue;
      const issuer = ISSUER.test(digits);
      const ctx = precededBy(text, m.index, CONTEXT);
      const valid = luhn(digits);
      // Luhn failures are typos or test data; still a card when labelled as one and issuer-shaped.
      const score = valid ? (issuer ? 1 : ctx ? 0.8 : 0) : issuer && ctx && digits.length === 16 ? 0.55 : 0;
      if (score > 0) out.push({ type: "CREDIT_CARD", start: m.index, end: m.index + m[0].length, score });
    }
    return out;
  },
};
