import type { RawFinding, Recognizer } from "../../types";
import { luhn } from "../checksums";
import { matches, precededBy } from "../context";
import { matchesIssuer } from "./card-issuers";

// 12-19 digits, optionally grouped by single spaces or dashes (how people type them).
const CARD = /(?<![\d+-])\d(?:[ -]?\d){11,18}(?![\d-])/g;
const CONTEXT = /\b(?:card|credit|debit|visa|mastercard|maestro|amex|discover|jcb|diners|unionpay|cc|pan|kreditkarte|tarjeta|carte|carta|cartão)\b/i;
// A 16-digit number typed with an issuer prefix but a Luhn typo is still a card when labelled.
const LABELLED_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|6)/;

export const creditCardRecognizer: Recognizer = {
  name: "credit-card",
  types: ["CREDIT_CARD"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(CARD, text)) {
      const digits = m[0].replace(/[ -]/g, "");
      if (digits.length < 12 || digits.length > 19 || /^(\d)\1+$/.test(digits)) continue;
      const ctx = precededBy(text, m.index, CONTEXT);
      const valid = luhn(digits);
      const issuer = matchesIssuer(digits);
      // 12-digit Maestro numbers collide with other ids more often than 16-digit ones.
      let score = 0;
      if (valid && issuer) score = digits.length === 12 && !ctx ? 0.85 : 1;
      else if (valid && ctx && digits.length >= 13) score = 0.8;
      else if (!valid && ctx && digits.length === 16 && LABELLED_PREFIX.test(digits)) score = 0.55;
      if (score > 0) out.push({ type: "CREDIT_CARD", start: m.index, end: m.index + m[0].length, score });
    }
    return out;
  },
};
