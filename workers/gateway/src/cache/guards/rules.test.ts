/**
 * The switchable guard rules: the equivalences production leaves off (docs/benchmarks/cache.md,
 * "Guard rules") refuse by default and accept only when switched on; every check can be switched
 * off for the ablation and then lets its pair through.
 */
import { describe, expect, it } from "vitest";
import { guardCompatible } from "./guard-compatible";
import { DEFAULT_GUARD_RULES, GUARD_CHECKS, withRules, type GuardEquivalence } from "./rules";

describe("equivalences left off in production", () => {
  const offByDefault: Array<[GuardEquivalence, string, string]> = [
    ["entityAliases", "Storm warnings for the Peruvian coast", "Storm warnings for the Peru coast"],
    ["entityAliases", "Import rules in the U.S.", "Import rules in the United States"],
    ["acronyms", "What does the NTSB investigate?", "What does the National Transportation Safety Board investigate?"],
    ["surnameOnly", "Ada Lovelace wrote the first program", "Lovelace wrote the first program"],
    ["middleInitial", "What did Ada R. Lovelace write?", "What did Ada Lovelace write?"],
    [
      "clauseMove",
      "Before the vote the mayor said the new bridge plan was too costly",
      "The new bridge plan was too costly, the mayor said before the vote",
    ],
  ];
  it.each(offByDefault)("%s: refused by default, accepted with the rule on", (rule, a, b) => {
    expect(DEFAULT_GUARD_RULES[rule]).toBe(false);
    expect(guardCompatible(a, b).ok).toBe(false);
    expect(guardCompatible(a, b, withRules({ [rule]: true })).ok).toBe(true);
  });
});

describe("checks", () => {
  const pairs: Record<(typeof GUARD_CHECKS)[number], [string, string]> = {
    negation: ["Is the API rate limited?", "Is the API not rate limited?"],
    polarity: ["How do I enable two-factor login?", "How do I disable two-factor login?"],
    numbers: ["Summarize the report for three teams", "Summarize the report for two teams"],
    dates: ["what is the weather on monday?", "what is the weather on tuesday?"],
    currency: ["Convert 100 dollars to yen", "Convert 100 dollars to euros"],
    placeholders: ["Email <PERSON_1> the invoice", "Email <EMAIL_1> the invoice"],
    entities: ["Book flights to Paris on May 3", "Book flights to London on May 3"],
    sentenceStartNames: ["Obama visits China next week", "Biden visits China next week"],
    units: ["Convert 5 kg to grams", "Convert 5 lb to grams"],
    category: ["write a poem about cats", "write a poem about dogs"],
    wordOrder: ["Does the dog chase the cat?", "Does the cat chase the dog?"],
  };
  it.each(GUARD_CHECKS)("%s refuses its pair, and lets it through when switched off", (check) => {
    const [a, b] = pairs[check];
    expect(guardCompatible(a, b).ok).toBe(false);
    expect(guardCompatible(a, b, withRules({ [check]: false })).ok).toBe(true);
  });
});
