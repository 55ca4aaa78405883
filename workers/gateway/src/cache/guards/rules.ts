/**
 * The guard rules by name, so the benchmark can switch each one off and measure what it does on
 * two disjoint halves of the development pairs (bench/cache-guards.ts). Two kinds:
 *
 * - checks (meaning guards): a fact two questions must share (negation, numbers, dates, entities,
 *   units...). Switching one off can only let more pairs through.
 * - equivalences: a spelling of the same fact that should not refuse ("Peruvian" = "Peru", a
 *   headline's capitalised common words). Switching one off can only refuse more.
 *
 * Production uses DEFAULT_GUARD_RULES; the others exist for the ablation.
 */
export const GUARD_CHECKS = [
  "negation", "polarity", "numbers", "dates", "currency", "placeholders", "entities",
  /** Refines `entities`: a capitalised non-word at a sentence start is a name ("Obama visits China"). */
  "sentenceStartNames",
  "units", "category", "wordOrder",
] as const;
export const GUARD_EQUIVALENCES = [
  /** UTF-8 punctuation mis-decoded as Windows-1252 / Mac Roman is repaired before comparing. */
  "mojibake",
  /** In a Title Case headline, capitalised common English words are not names. */
  "titleCase",
  /** Countries, demonyms and short names fold to one key ("Peruvian" = "Peru"). */
  "entityAliases",
  /** An acronym matches its spelled-out words in the other text ("FBI"). */
  "acronyms",
  /** A person named by surname only matches the full name ("Ada Lovelace" = "Lovelace"). */
  "surnameOnly",
  /** A middle initial is not a name of its own ("Grace B. Hopper" = "Grace Hopper"). */
  "middleInitial",
  /** More than a few words changing sides of an anchor is a clause moved, not a role swap. */
  "clauseMove",
  /** ALL-CAPS emphasis words ("do NOT", "is it OK") are not names. */
  "shoutedWords",
] as const;

export type GuardCheck = (typeof GUARD_CHECKS)[number];
export type GuardEquivalence = (typeof GUARD_EQUIVALENCES)[number];
export type GuardRules = Readonly<Record<GuardCheck | GuardEquivalence, boolean>>;

export const ALL_GUARD_RULES: GuardRules = Object.fromEntries([...GUARD_CHECKS, ...GUARD_EQUIVALENCES].map((r) => [r, true])) as Record<GuardCheck | GuardEquivalence, boolean>;

/**
 * What production runs (docs/benchmarks/cache.md, "Guard rules"): every check, and an
 * equivalence only if the ablation over the two halves of the development pairs shows it gains
 * paraphrases on both halves without letting a non-paraphrase through on either (titleCase), or
 * if it only repairs the form of a text and cannot make two different facts equal (mojibake,
 * shoutedWords). Equivalences that equate different strings which may name different things
 * ("SC" = "Supreme Court" or South Carolina, "Clinton" = "Bill Clinton" or another Clinton) and
 * gained on one half only, or on neither, are off: each was written for one development pair.
 */
export const DEFAULT_GUARD_RULES: GuardRules = {
  ...ALL_GUARD_RULES,
  entityAliases: false,
  acronyms: false,
  surnameOnly: false,
  middleInitial: false,
  clauseMove: false,
};

export function withRules(over: Partial<GuardRules>): GuardRules {
  return { ...DEFAULT_GUARD_RULES, ...over };
}
