import type { RawFinding, Recognizer } from "../../types";
import { abaChecksum } from "../checksums";
import { matches, precededBy } from "../context";

// Digits, optionally with a short bank prefix or check letter (SBIN0123456789, 76983425K).
const ACCOUNT = /(?<![\w-])[A-Z]{0,4}\d{6,17}[A-Z]?(?![\w-])/g;
const ACCOUNT_CTX = /\b(?:account|acct|a\/c|checking|savings|bank|deposit|kontonummer|compte)\b[^.\n]{0,24}$/i;
const ROUTING = /(?<![\w-])\d{9}(?![\w-])/g;
const ROUTING_CTX = /\b(?:routing|aba|rtn|transit)\b[^.\n]{0,24}$/i;

export const usBankNumberRecognizer: Recognizer = {
  name: "us-bank-number",
  types: ["US_BANK_NUMBER", "ABA_ROUTING_NUMBER"],
  find(text) {
    const out: RawFinding[] = [];
    for (const m of matches(ROUTING, text)) {
      if (!precededBy(text, m.index, ROUTING_CTX, 40)) continue;
      out.push({ type: "ABA_ROUTING_NUMBER", start: m.index, end: m.index + 9, score: abaChecksum(m[0]) ? 0.95 : 0.6 });
    }
    // A long digit run is only an account number when a label says so.
    for (const m of matches(ACCOUNT, text)) {
      if (!precededBy(text, m.index, ACCOUNT_CTX, 48) || precededBy(text, m.index, ROUTING_CTX, 40)) continue;
      out.push({ type: "US_BANK_NUMBER", start: m.index, end: m.index + m[0].length, score: 0.8 });
    }
    return out;
  },
};
