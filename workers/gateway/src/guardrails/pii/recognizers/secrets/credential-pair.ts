import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";

// "user@example.com / hunter2!" and "login: alice@x.io:Secr3t": a login followed by its password.
const CREDENTIAL_PAIR = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*(?:\/|:|\|)\s*([^\s'"]{6,64})/g;

export const credentialPairRecognizer: Recognizer = {
  name: "credential-pair",
  types: ["SECRET"],
  find(text) {
    if (!text.includes("@")) return [];
    const out: RawFinding[] = [];
    for (const m of matches(CREDENTIAL_PAIR, text)) {
      const value = (m[1] ?? "").replace(/[.,]$/, "");
      // A path or port after an address ("x@host.io/docs", "x@host.io:8080") is not a password.
      if (!/[^A-Za-z]/.test(value) || /^\d{1,5}(?:\/|$)/.test(value) || value.startsWith("/")) continue;
      if (/:\/\/[^\s]*$/.test(text.slice(Math.max(0, m.index - 64), m.index))) continue;
      const start = m.index + m[0].length - (m[1] ?? "").length;
      out.push({ type: "SECRET", start, end: start + value.length, score: 0.7 });
    }
    return out;
  },
};
