import type { RawFinding, Recognizer } from "../../types";
import { luhn } from "../checksums";
import { matches, precededBy } from "../context";
import { matchesIssuer } from "./card-issuers";

// 12-19 digits, optionally grouped by single spaces or dashes (how people type them).
const CARD = /(?<![\d+-])\d(?:[ -]?\d){11,18}(?![\d-])/g;
const CONTEXT = /\b(?:card|credit|debit|visa|mastercard|maestro|amex|discover|jcb|diners|unionpay|cc|pan|kreditkarte|tarjeta|carte|carta|cartão)\b/i;
// A 16-digit number typed with an issuer prefix but a Luhn typo is still a card when labelled.
const LABELLED_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|6)/;

/** How sure a run of digits is a card (0 = not one), given whether a card word precedes it. */
function cardScore(digits: string, ctx: boolean): number {
  if (digits.length < 12 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return 0;
  const valid = luhn(digits);
  // 12-digit Maestro numbers collide with other ids more often than 16-digit ones.
  if (valid && matchesIssuer(digits)) return digits.length === 12 && !ctx ? 0.85 : 1;
  if (valid && ctx && digits.length >= 13) return 0.8;
  if (!valid && ctx && digits.length === 16 && LABELLED_PREFIX.test(digits)) return 0.55;
  return 0;
}

// How cards are printed: 4-4-4-4 (most issuers) and 4-6-5 (Amex, Diners 14 as 4-6-4).
const PRINTED = /^(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}|\d{4}([ -])\d{6}\2\d{4,5})$/;

/** `part` of the run at `offset` as a card finding, when it is a 15-19 digit Luhn-valid issuer number. */
function cardPart(part: string, offset: number): RawFinding | null {
  const digits = part.replace(/[ -]/g, "");
  if (digits.length < 15 || digits.length > 19 || !luhn(digits) || !matchesIssuer(digits)) return null;
  return { type: "CREDIT_CARD", start: offset, end: offset + part.length, score: 1 };
}

/**
 * A grouped run that is no card as a whole may be a card typed next to other digits: a stray
 * digit or two after or before it ("4111 1111 1111 1111 0", "call 0 4111 ..."), or its security
 * code after it ("... 1111 123"). The run is checked again without that group; a 3-4 digit code
 * is dropped only after a card word or from a card printed the way cards are (4-4-4-4, 4-6-5),
 * so ordinary grouped numbers gain little chance of being taken for a card.
 */
function cardBesideDigits(run: string, start: number, ctx: boolean): RawFinding | null {
  const tail = /[ -](\d{1,4})$/.exec(run);
  if (tail) {
    const head = run.slice(0, tail.index);
    const short = (tail[1] ?? "").length <= 2;
    const found = short || ctx || PRINTED.test(head) ? cardPart(head, start) : null;
    if (found) return found;
  }
  const lead = /^(\d{1,2})[ -]/.exec(run);
  return lead ? cardPart(run.slice(lead[0].length), start + lead[0].length) : null;
}

export const creditCardRecognizer: Recognizer = {
  name: "credit-card",
  types: ["CREDIT_CARD"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(CARD, text)) {
      const ctx = precededBy(text, m.index, CONTEXT);
      const score = cardScore(m[0].replace(/[ -]/g, ""), ctx);
      if (score > 0) out.push({ type: "CREDIT_CARD", start: m.index, end: m.index + m[0].length, score });
      else {
        const inner = cardBesideDigits(m[0], m.index, ctx);
        if (inner) out.push(inner);
      }
    }
    return out;
  },
};
