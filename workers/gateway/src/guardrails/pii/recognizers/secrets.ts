import type { PiiEntityType, RawFinding, Recognizer } from "../../types";
import { matches } from "../context";
import { tokenRuns } from "../runs";

// Vendor key shapes (gitleaks/trufflehog rule families), most specific first.
const KEYS: Array<[RegExp, PiiEntityType, number]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,8192}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g, "PRIVATE_KEY", 1],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, "JWT", 1],
  [/\bsk-(?:ant-|proj-|svcacct-|or-v1-)?[A-Za-z0-9_-]{20,}\b/g, "API_KEY", 1],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g, "API_KEY", 1],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/g, "API_KEY", 1],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, "API_KEY", 1],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, "API_KEY", 1],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/g, "API_KEY", 1],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g, "API_KEY", 1],
  [/\bhf_[A-Za-z0-9]{30,}\b/g, "API_KEY", 1],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, "API_KEY", 1],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, "API_KEY", 1],
  [/\b(?:xapp|xoxe)-[A-Za-z0-9-]{20,}\b/g, "API_KEY", 1],
];
// "password: X", "pwd=X", "secret 'X'": the value after a credential label.
const LABELLED = /\b(?:password|passwd|pwd|passcode|passphrase|secret|api[_ -]?key|token|access[_ -]?key|client[_ -]?secret|kennwort|passwort|mot de passe|contraseña)\b(?:\s+(?:is|was|attempt string revealed|of|for \w+))?\s*[:=]?\s*(['"]?)([^\s'",;]{6,128})\1/gi;
const CREDENTIAL_PAIR = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*(?:\/|:|\|)\s*([^\s'"]{6,64})/g;

/** Shannon entropy in bits per char; random keys sit near log2(alphabet), prose far lower. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function highEntropy(s: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(s)).length;
  return classes >= 3 && entropy(s) >= 4 && !/^[A-Za-z]+$/.test(s);
}

export const secretsRecognizer: Recognizer = {
  name: "secrets",
  types: ["API_KEY", "PRIVATE_KEY", "JWT", "SECRET"],
  find(text) {
    const out: RawFinding[] = [];
    for (const [re, type, score] of KEYS) {
      for (const m of matches(re, text)) out.push({ type, start: m.index, end: m.index + m[0].length, score });
    }
    for (const m of matches(LABELLED, text)) {
      const value = m[2] ?? "";
      if (/^(?:is|was|and|the|for|reset|required|field|policy|changed|expired)$/i.test(value)) continue;
      // An unquoted, unlabelled plain word after "password" is prose ("password manager"), not a value.
      if (!m[1] && !/[:=]/.test(m[0]) && /^[A-Za-z]+$/.test(value)) continue;
      const start = m.index + m[0].length - value.length - (m[1] ?? "").length;
      // A sentence-ending period is punctuation, not part of the password.
      const trimmed = !m[1] && /[.,]$/.test(value) ? value.length - 1 : value.length;
      out.push({ type: "SECRET", start, end: start + trimmed, score: 0.8 });
    }
    // "user@example.com / hunter2!" and "login: alice@x.io:Secr3t" - credential pairs.
    for (const m of text.includes("@") ? matches(CREDENTIAL_PAIR, text) : []) {
      const value = (m[1] ?? "").replace(/[.,]$/, "");
      if (!/[^A-Za-z]/.test(value)) continue;
      const start = m.index + m[0].length - (m[1] ?? "").length;
      out.push({ type: "SECRET", start, end: start + value.length, score: 0.7 });
    }
    for (const [start, end] of tokenRuns(text, 24)) {
      if (end - start <= 256 && highEntropy(text.slice(start, end))) out.push({ type: "SECRET", start, end, score: 0.6 });
    }
    return out;
  },
};
