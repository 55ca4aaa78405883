/**
 * Handcrafted numeric features, each squashed to about [0, 1] so the trainer needs no
 * per-feature scaling state. They carry the signals that generalise beyond our corpus:
 * size, arithmetic load, code, number of asks, constraints, multi-step cues, script, turns.
 */
import { DIFFICULTY_FEATURES, difficultyFeatures } from "./difficulty";
import { CODE_PATTERNS, CONJUNCTION_WORDS, CONSTRAINT_WORDS, EASY_WORDS, HARD_WORDS, MULTISTEP_WORDS, NEGATION_WORDS, NUMBER_WORDS, STOPWORDS } from "./lexicons";

export const NUMERIC_FEATURES = [
  "log_chars",
  "log_words",
  "digit_ratio",
  "number_count",
  "operator_count",
  "code_markers",
  "question_marks",
  "constraint_words",
  "multistep_words",
  "hard_words",
  "easy_words",
  "enumerated_lines",
  "multiple_choice",
  "log_lines",
  "avg_word_len",
  "non_ascii_ratio",
  "non_latin_ratio",
  "lang_en",
  "lang_es",
  "lang_fr",
  "lang_de",
  "log_turns",
  "log_context_chars",
  "quoted_ratio",
  "very_short",
  ...DIFFICULTY_FEATURES,
] as const;

const sq = (x: number, scale: number): number => 1 - Math.exp(-x / scale);
const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

// One pass over the tokens for all lexicons: bit i set = token is in LEXICONS[i].
const LEXICONS = [CONSTRAINT_WORDS, MULTISTEP_WORDS, HARD_WORDS, EASY_WORDS, STOPWORDS.en, STOPWORDS.es, STOPWORDS.fr, STOPWORDS.de, NUMBER_WORDS, NEGATION_WORDS, CONJUNCTION_WORDS] as const;
const MASKS = new Map<string, number>();
LEXICONS.forEach((set, i) => set.forEach((w) => MASKS.set(w, (MASKS.get(w) ?? 0) | (1 << i))));

function allLexiconHits(tokens: readonly string[]): number[] {
  const hits = new Array<number>(LEXICONS.length).fill(0);
  for (const t of tokens) {
    const m = MASKS.get(t);
    if (m) for (let i = 0; i < LEXICONS.length; i++) if (m & (1 << i)) hits[i]!++;
  }
  return hits;
}

function languageShares(hits: readonly number[]): [number, number, number, number] {
  const total = hits.reduce((a, b) => a + b, 0) || 1;
  return [hits[0]! / total, hits[1]! / total, hits[2]! / total, hits[3]! / total];
}

/**
 * Share of characters inside quotes or code fences: long quoted input is often an easy task on
 * long text. An opening curly quote or guillemet ends a quote's body too: with `[^”]` an
 * unclosed run of “ made the scan quadratic (40k characters: 0.6 s).
 */
function quotedRatio(raw: string): number {
  let quoted = 0;
  for (const m of raw.matchAll(/"[^"]{20,}"|“[^“”]{20,}”|«[^«»]{20,}»|```[\s\S]*?```|:\s*\n[\s\S]{80,}$/g)) quoted += m[0].length;
  return raw.length ? Math.min(1, quoted / raw.length) : 0;
}

export interface NumericInput {
  raw: string;
  tokens: readonly string[];
  context: string;
  turns: number;
}

export function numericFeatures({ raw, tokens, context, turns }: NumericInput): number[] {
  const chars = raw.length || 1;
  const codeMarkers = CODE_PATTERNS.reduce((n, re) => n + count(raw, re), 0);
  const avgLen = tokens.length ? tokens.reduce((n, t) => n + t.length, 0) / tokens.length : 0;
  const lex = allLexiconHits(tokens);
  const [en, es, fr, de] = languageShares(lex.slice(4, 8));
  return [
    Math.min(1, Math.log1p(raw.length) / 10),
    Math.min(1, Math.log1p(tokens.length) / 8),
    Math.min(1, (count(raw, /\p{N}/gu) / chars) * 5),
    sq(count(raw, /\p{N}+(?:[.,]\p{N}+)?/gu), 4),
    sq(count(raw, /[+*/=^%<>×÷√∑∫]|(?<=\s)-(?=\s)|\b(times|plus|minus|percent|divided|sum|product)\b/gi), 4),
    sq(codeMarkers, 4),
    sq(count(raw, /[?¿]/g), 2),
    sq(lex[0]!, 3),
    sq(lex[1]!, 3),
    sq(lex[2]!, 2),
    sq(lex[3]!, 2),
    sq(count(raw, /^[^\S\n]*(?:[-*•]|\d+[.)])\s+/gm), 3),
    count(raw, /(^|\n)[^\S\n]*\(?[A-Da-d][).:]\s+\S/g) >= 3 ? 1 : 0,
    Math.min(1, Math.log1p(count(raw, /\n/g)) / 5),
    Math.min(1, avgLen / 12),
    Math.min(1, count(raw, /[^\x00-\x7f]/g) / chars),
    Math.min(1, count(raw, /[^\p{Script=Latin}\p{N}\p{P}\p{S}\s]/gu) / chars),
    en,
    es,
    fr,
    de,
    Math.min(1, Math.log1p(Math.max(0, turns - 1)) / 3),
    Math.min(1, Math.log1p(context.length) / 12),
    quotedRatio(raw),
    tokens.length <= 6 ? 1 : 0,
    ...difficultyFeatures(raw, { numberWords: lex[8]!, negations: lex[9]!, conjunctions: lex[10]! }),
  ];
}
