import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";

// PEM/OpenSSH/PGP private key blocks. A block pasted without its END line (truncated by a chat
// box or a copy) is still a key: the BEGIN line plus a base64 body is enough.
const BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,8192}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
// Body lines are base64 (or "Proc-Type: ..." headers); a chat box may have folded them onto one line.
const TRUNCATED = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\r?\n(?:[A-Za-z0-9+/=]{4,100}|[A-Za-z-]+: [^\n]{1,100})|[ \t]+[A-Za-z0-9+/=]{16,100}){1,200}/g;

export const privateKeyRecognizer: Recognizer = {
  name: "private-key",
  types: ["PRIVATE_KEY"],
  find(text) {
    if (!text.includes("PRIVATE KEY")) return [];
    const out: RawFinding[] = [];
    for (const m of matches(BLOCK, text)) out.push({ type: "PRIVATE_KEY", start: m.index, end: m.index + m[0].length, score: 1 });
    for (const m of matches(TRUNCATED, text)) {
      if (m[0].replace(/^-----[^\n]*-----/, "").replace(/\s/g, "").length >= 40) {
        out.push({ type: "PRIVATE_KEY", start: m.index, end: m.index + m[0].length, score: 0.95 });
      }
    }
    return out;
  },
};
