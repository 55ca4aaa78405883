/**
 * Words as the lexical index sees them: FTS5's unicode61 tokenizer splits on anything that is
 * not a letter or digit, lower-cases and drops diacritics; porter then stems. Query terms are
 * built the same way, so a query term and an indexed term are equal when FTS5 would match them.
 */
import { porterStem } from "./porter";

// Function words carry no evidence of relevance; dropping them keeps FTS5 OR-queries small.
const STOPWORDS = new Set(
  ("a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its " +
    "may might more most no nor not of on or our she should so such than that the their them then there these they this " +
    "those to too was we were what when where which while who whom why will with would you your also than very").split(" "),
);

const WORD = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  return (text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(WORD) ?? []);
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

// Stems memoised per isolate: reranking stems every word of ~50 chunks per query, and the same
// words recur across chunks and queries, so most lookups hit. Cleared whole when full: a bound
// on memory, not an LRU (a refill costs one query's worth of stemming).
const STEMS = new Map<string, string>();
const MAX_STEMS = 50_000;

export function stemWord(word: string): string {
  let s = STEMS.get(word);
  if (s === undefined) {
    if (STEMS.size >= MAX_STEMS) STEMS.clear();
    s = porterStem(word);
    STEMS.set(word, s);
  }
  return s;
}

/** Stemmed content terms in text order (repeats kept). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOPWORDS.has(w)) out.push(stemWord(w));
  return out;
}

/** Distinct stemmed content terms, in first-seen order. */
export function distinctTerms(text: string): string[] {
  return [...new Set(terms(text))];
}
