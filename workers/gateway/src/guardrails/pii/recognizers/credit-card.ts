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

/**
 * A grouped run that is no card as a whole may be a card typed with a stray digit or two after it
 * ("4111 1111 1111 1111 0"): the run without its short last group, when that is a 15-19 digit
 * number passing Luhn and an issuer range. One candidate per run, at the lengths cards mostly
 * have, so ordinary grouped numbers gain little chance of being taken for a card.
 */
function cardBeforeStrayDigits(run: string, start: number): RawFinding | null {
  const tail = /[ -](\d{1,2})$/.exec(run);
  if (!tail) return null;
  const head = run.slice(0, tail.index);
  const digits = head.replace(/[ -]/g, "");
  if (digits.length < 15 || !luhn(digits) || !matchesIssuer(digits)) return null;
  return { type: "CREDIT_CARD", start, end: start + head.length, score: 1 };
}

export const creditCardRecognizer: Recognizer = {
  name: "credit-card",
  types: ["CREDIT_CARD"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(CARD, text)) {
      const score = cardScore(m[0].replace(/[ -]/g, ""), precededBy(text, m.index, CONTEXT));
      if (score > 0) out.push({ type: "CREDIT_CARD", start: m.index, end: m.index + m[0].length, score });
      else {
        const inner = cardBeforeStrayDigits(m[0], m.index);
        if (inner) out.push(inner);
      }
    }
    return out;
  },
};
