import type { RawFinding, Recognizer } from "../../types";
import { matches } from "../context";

// RFC 5322 is far looser; this is the practical address shape (dot-atom local part, dotted domain).
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export const emailRecognizer: Recognizer = {
  name: "email",
  types: ["EMAIL_ADDRESS"],
  find(text) {
    if (!text.includes("@")) return [];
    const out: RawFinding[] = [];
    for (const m of matches(EMAIL, text)) out.push({ type: "EMAIL_ADDRESS", start: m.index, end: m.index + m[0].length, score: 1 });
    return out;
  },
};
