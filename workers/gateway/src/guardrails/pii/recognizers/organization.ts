import type { RawFinding, Recognizer } from "../../types";
import { STOPWORDS } from "../dictionaries";
import { adjacent, tokensOf, type Token } from "../tokens";

/** Words that end an organisation's name ("Acme Bank", "Sterling & Associates"). */
export const ORG_SUFFIXES: ReadonlySet<string> = new Set(
  `Inc Inc. Corp Corp. Corporation Co Co. Company LLC LLP Ltd Ltd. Limited PLC GmbH AG SA SAS NV BV Bank Hospital Clinic
University College Institute School Academy Group Associates Partners Analytics Technologies Technology Systems Solutions
Software Labs Laboratories Holdings Capital Insurance Health Healthcare Providers Services Foundation Agency Department
Ministry Bureau Council Commission Authority Association Society Trust Dynamics Industries Enterprises Consulting
Networks Media Pharmaceuticals Motors Airlines Bancorp Federal Credit Union Management Office Center Centre Fund
Ventures Studios Logistics Energy Telecom Communications Securities Investments Financial Finance Records
Cooperative Co-op Exchange Union Church Club Firm Press`.split(/\s+/),
);
// Organisations named by a prefix: "University of Texas", "Bank of America".
const PREFIX_ORGS = new Set(["University", "Bank", "Department", "Ministry", "Office", "Bureau", "Institute", "College", "Board"]);
// Widely known names and acronyms that carry no suffix.
const KNOWN = new Set(
  `FBI CIA NSA IRS SEC FTC FDA CDC NHS NASA NATO UN UNICEF WHO EU IMF OECD Interpol Europol Google Microsoft Apple Amazon
Meta Facebook OpenAI Anthropic Netflix Tesla IBM Oracle Intel Nvidia Samsung Sony Toyota Walmart PayPal
Stripe Salesforce Adobe Cisco Uber Airbnb Twitter LinkedIn Deloitte Accenture Siemens SAP Cloudflare`.split(/\s+/),
);

const orgWord = (t: Token): boolean => (t.cap && !STOPWORDS.has(t.word.toLowerCase())) || t.word === "&";

function extendLeft(text: string, toks: readonly Token[], i: number): number {
  let s = i;
  while (s > 0 && i - s < 5) {
    const prev = toks[s - 1] as Token;
    if (!orgWord(prev) || !adjacent(text, prev, toks[s] as Token)) break;
    s--;
  }
  return toks[s]?.word === "&" ? s + 1 : s;
}

function extendRight(text: string, toks: readonly Token[], i: number): number {
  // "University of Texas at Austin": take "of" + up to 3 capitalized words.
  const of = toks[i + 1];
  if (!of || of.word !== "of" || !adjacent(text, toks[i] as Token, of)) return i;
  let e = i + 1;
  while (e + 1 < toks.length && e - i < 4 && (toks[e + 1] as Token).cap && adjacent(text, toks[e] as Token, toks[e + 1] as Token)) e++;
  return e > i + 1 ? e : i;
}

export const organizationRecognizer: Recognizer = {
  name: "organization",
  types: ["ORGANIZATION"],
  find(text) {
    const toks = tokensOf(text);
    const out: RawFinding[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (!t.cap) continue;
      if (KNOWN.has(t.word)) {
        out.push({ type: "ORGANIZATION", start: t.start, end: t.end, score: 0.6 });
        continue;
      }
      if (PREFIX_ORGS.has(t.word)) {
        const e = extendRight(text, toks, i);
        if (e > i) {
          out.push({ type: "ORGANIZATION", start: t.start, end: (toks[e] as Token).end, score: 0.85 });
          i = e;
          continue;
        }
      }
      if (!ORG_SUFFIXES.has(t.word)) continue;
      const s = extendLeft(text, toks, i);
      if (s === i) continue;
      // Chains of suffixes ("Healthcare Cooperative", "Credit Union") and "of India" tails.
      let e = i;
      while (e + 1 < toks.length && ORG_SUFFIXES.has((toks[e + 1] as Token).word) && adjacent(text, toks[e] as Token, toks[e + 1] as Token)) e++;
      e = extendRight(text, toks, e);
      out.push({ type: "ORGANIZATION", start: (toks[s] as Token).start, end: (toks[e] as Token).end, score: 0.85 });
      i = e;
    }
    return out;
  },
};
