/**
 * Within-task difficulty features: what makes one question of a set harder than another for a
 * small model, as opposed to which set it comes from. Chosen by leave-one-dataset-out validation
 * on the shared routing sets (docs/router.md): the number of quantities a problem carries, its
 * sentences, the conditions it states (negations, connectives) and how long its answer options
 * are. Each is squashed to about [0, 1] like the other numeric features.
 */
export const DIFFICULTY_FEATURES = ["log_sentences", "log_quantities", "number_words", "negations", "conjunctions", "log_option_len"] as const;

const squash = (x: number, scale: number): number => Math.min(1, Math.log1p(x) / scale);

// An answer option on its own line: "A. ...", "(b) ...", "C) ...", "D: ...".
const OPTION_LINE = /^[^\S\n]*\(?[A-Ea-e][.):][^\S\n]+\S.*$/gm;
const NUMBER = /\p{N}+(?:[.,]\p{N}+)*/gu;
const SENTENCE_END = /[.!?]\s+(?=\S)/g;

function meanOptionLength(raw: string): number {
  let n = 0;
  let chars = 0;
  for (const m of raw.matchAll(OPTION_LINE)) (n++, (chars += m[0].trim().length));
  return n ? chars / n : 0;
}

/** Token counts of the NUMBER_WORDS, NEGATION_WORDS and CONJUNCTION_WORDS lexicons (numeric.ts counts all lexicons in one pass). */
export interface DifficultyWordCounts {
  numberWords: number;
  negations: number;
  conjunctions: number;
}

export function difficultyFeatures(raw: string, { numberWords, negations, conjunctions }: DifficultyWordCounts): number[] {
  const sentences = raw.trim() ? (raw.match(SENTENCE_END) ?? []).length + 1 : 0;
  const distinctNumbers = new Set(raw.match(NUMBER) ?? []).size;
  return [
    squash(sentences, 5),
    squash(distinctNumbers + numberWords, 5),
    squash(numberWords, 4),
    squash(negations, 4),
    squash(conjunctions, 6),
    squash(meanOptionLength(raw), 7),
  ];
}
