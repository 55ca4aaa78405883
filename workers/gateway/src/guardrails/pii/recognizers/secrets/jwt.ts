import type { RawFinding, Recognizer } from "../../../types";
import { matches } from "../../context";

// A JWS in compact form: base64url header and payload, both JSON objects ("eyJ" = '{"'), and a signature.
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g;

export const jwtRecognizer: Recognizer = {
  name: "jwt",
  types: ["JWT"],
  find(text) {
    if (!text.includes("eyJ")) return [];
    const out: RawFinding[] = [];
    for (const m of matches(JWT, text)) out.push({ type: "JWT", start: m.index, end: m.index + m[0].length, score: 1 });
    return out;
  },
};
