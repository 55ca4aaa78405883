import type { RawFinding, Recognizer } from "../../types";
import { matches } from "../context";

const V4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/\d{1,2})?(?![\d.]*\d)/g;
// Candidate v6 runs; validated by isIpv6 below (a regex for all RFC 4291 forms is unreadable).
const V6 = /(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[\w]+)?(?:\/\d{1,3})?(?![\w:])/g;

export function isIpv6(raw: string): boolean {
  const s = raw.replace(/(?:%\w+)?(?:\/\d{1,3})?$/, "");
  const dbl = s.split("::");
  if (dbl.length > 2) return false;
  const groups = (part: string): string[] => (part === "" ? [] : part.split(":"));
  const head = groups(dbl[0] ?? "");
  const tail = dbl.length === 2 ? groups(dbl[1] ?? "") : [];
  const all = [...head, ...tail];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? all.length <= 7 : all.length === 8;
}

export const ipAddressRecognizer: Recognizer = {
  name: "ip-address",
  types: ["IP_ADDRESS"],
  find(text) {
    const out: RawFinding[] = [];
    if (text.includes(".")) {
      for (const m of matches(V4, text)) out.push({ type: "IP_ADDRESS", start: m.index, end: m.index + m[0].length, score: 0.95 });
    }
    if (text.includes(":")) {
      for (const m of matches(V6, text)) {
        // "::" alone or times like 10:30 are not addresses; require a hex digit and validity.
        if (!/[0-9A-Fa-f]/.test(m[0]) || !isIpv6(m[0])) continue;
        const score = m[0].includes("::") && m[0].replace(/[^:]/g, "").length < 3 ? 0.6 : 0.95;
        out.push({ type: "IP_ADDRESS", start: m.index, end: m.index + m[0].length, score });
      }
    }
    return out;
  },
};
