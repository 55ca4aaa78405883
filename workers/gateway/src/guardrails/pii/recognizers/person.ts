import type { RawFinding, Recognizer } from "../../types";
import { ENGLISH_WORDS, FIRST_NAMES, LAST_NAMES, STOPWORDS } from "../dictionaries";
import { ORG_SUFFIXES } from "./organization";
import { adjacent, tokensOf, type Token } from "../tokens";

// Honorifics and roles that precede a surname ("Officer Barnes", "Dr. Shaw"); not part of the span.
const TITLES = new Set(
  "Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Professor Officer Detective Sgt Sgt. Sergeant Captain Capt. Judge Senator Agent Nurse Sir Dame Lord Lady Herr Frau Monsieur Madame Señor Señora".split(
    " ",
  ),
);
const CONTEXT = /\b(?:name(?:d|s)?|called|dear|hi|hello|patient|client|customer|employee|applicant|user|contact|signed|regards|by|from|with|for|to|mr|mrs|ms|miss|holder|member|suspect|victim|candidate|student|tenant|policyholder)\W{0,3}$/i;

/** Dictionary lookup that also accepts ALL-CAPS spellings ("JOHN SMITH"). */
const titleCase = (w: string): string => (w.length > 1 && w === w.toUpperCase() ? w[0] + w.slice(1).toLowerCase() : w);
const isFirst = (w: string): boolean => FIRST_NAMES.has(w) || FIRST_NAMES.has(titleCase(w));
const isLast = (w: string): boolean => LAST_NAMES.has(w) || LAST_NAMES.has(titleCase(w));

const isInitial = (t: Token): boolean => /^\p{Lu}\.$/u.test(t.word);
const lower = (t: Token): string => t.word.toLowerCase();
const nameLike = (t: Token): boolean =>
  t.cap && !STOPWORDS.has(lower(t)) && !ORG_SUFFIXES.has(t.word) && (isInitial(t) || /^\p{Lu}[\p{L}'’-]+$/u.test(t.word));

/** Adjacent name-like capitalized tokens starting at i, at most 4. */
function runFrom(text: string, toks: readonly Token[], i: number): Token[] {
  const run: Token[] = [];
  for (let j = i; j < toks.length && run.length < 4; j++) {
    const t = toks[j];
    if (!t || !nameLike(t)) break;
    const prev = run[run.length - 1];
    if (prev && !adjacent(text, prev, t)) break;
    run.push(t);
    if (/['’]s$/.test(text.slice(t.end, t.end + 2))) break; // possessive ends the name
  }
  while (run.length > 0 && isInitial(run[run.length - 1] as Token)) run.pop();
  return run;
}

function scoreRun(run: readonly Token[]): number {
  const first = run[0];
  const last = run[run.length - 1];
  if (!first || !last || run.length < 2) return 0;
  const firstKnown = isFirst(first.word);
  const lastKnown = isLast(last.word);
  const firstWord = ENGLISH_WORDS.has(lower(first));
  const lastWord = ENGLISH_WORDS.has(lower(last));
  if (firstKnown && lastKnown) return firstWord && lastWord ? 0.5 : 0.9;
  if (firstKnown && !lastWord) return firstWord ? 0.55 : 0.8;
  if (lastKnown && !firstWord && !lastWord) return 0.6;
  return 0;
}

export const personRecognizer: Recognizer = {
  name: "person",
  types: ["PERSON"],
  find(text) {
    const toks = tokensOf(text);
    const out: RawFinding[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (!t.cap) continue;
      const titled = TITLES.has(t.word);
      const run = runFrom(text, toks, titled ? i + 1 : i);
      const first = run[0];
      const last = run[run.length - 1];
      if (!first || !last) continue;
      let score = titled ? 0.85 : scoreRun(run);
      // Two unknown capitalized words right after a person word ("applicant Saira Mendez").
      if (score === 0 && run.length >= 2 && CONTEXT.test(text.slice(Math.max(0, first.start - 24), first.start))) {
        score = run.every((x) => !ENGLISH_WORDS.has(lower(x))) ? 0.6 : 0;
      }
      if (score === 0 && run.length === 1 && (isFirst(first.word) || isLast(first.word))) {
        score = CONTEXT.test(text.slice(Math.max(0, first.start - 24), first.start)) && !ENGLISH_WORDS.has(lower(first)) ? 0.6 : 0;
      }
      if (score === 0) continue;
      out.push({ type: "PERSON", start: first.start, end: last.end, score });
      i += (titled ? 1 : 0) + run.length - 1;
    }
    return out;
  },
};
