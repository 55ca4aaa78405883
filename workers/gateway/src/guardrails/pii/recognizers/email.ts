import type { RawFinding, Recognizer } from "../../types";
import { matches } from "../context";

// RFC 5322 is far looser; this is the practical address shape (dot-atom local part, dotted domain).
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

const USERINFO_BEFORE = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:$/i;

export const emailRecognizer: Recognizer = {
  name: "email",
  types: ["EMAIL_ADDRESS"],
  find(text) {
    if (!text.includes("@")) return [];
    const out: RawFinding[] = [];
    // Match only around each "@": scanning the whole text with the lookbehind regex is the slow part.
    let from = 0;
    for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", Math.max(at + 1, from))) {
      const lo = Math.max(from, at - 80);
      const seg = text.slice(lo, Math.min(text.length, at + 260));
      for (const m of matches(EMAIL, seg)) {
        if (lo + m.index > at || lo + m.index + m[0].length < at) continue;
        // "postgres://app:pw@db.example.com": the part before "@" is a URL's password, not a mailbox.
        if (USERINFO_BEFORE.test(text.slice(Math.max(0, lo + m.index - 160), lo + m.index))) continue;
        out.push({ type: "EMAIL_ADDRESS", start: lo + m.index, end: lo + m.index + m[0].length, score: 1 });
        from = lo + m.index + m[0].length;
      }
    }
    return out;
  },
};
