/**
 * Guard rules by cross-validation: each rule switched off alone (guards/rules.ts), measured on
 * the two disjoint halves of the development pairs. Only pairs the index can return count (cosine
 * at or above the floor): a rule's effect below it never reaches a lookup. For a check, the pairs
 * it refuses; for an equivalence, the pairs it lets through. The production choice (stated in
 * guards/rules.ts) keeps every check, and an equivalence only where it gains paraphrases on both
 * halves without letting a non-paraphrase through on either, or where it only repairs form.
 */
import { GUARD_CHECKS, GUARD_EQUIVALENCES, DEFAULT_GUARD_RULES, withRules, type GuardRules } from "../workers/gateway/src/cache/guards/rules";
import { guardsPass, hitScore, type Decision, type ScoredPair } from "./cache-quality";

export interface RuleEffect {
  rule: string;
  kind: "check" | "equivalence";
  inProduction: boolean;
  /** Per half: paraphrases and non-paraphrases whose guard verdict the rule changes, and those of them at or above `threshold`. */
  halves: Array<{ paraphrases: number; nonParaphrases: number; paraphrasesAtThreshold: number; nonParaphrasesAtThreshold: number }>;
}

/** Effect of one rule: compared with the rule flipped from its production setting. */
function effect(halves: ScoredPair[][], rule: keyof GuardRules, d: Decision, threshold: number): RuleEffect["halves"] {
  const flipped = withRules({ [rule]: !DEFAULT_GUARD_RULES[rule] });
  const on = DEFAULT_GUARD_RULES[rule] ? DEFAULT_GUARD_RULES : flipped;
  const off = DEFAULT_GUARD_RULES[rule] ? flipped : DEFAULT_GUARD_RULES;
  return halves.map((half) => {
    const r = { paraphrases: 0, nonParaphrases: 0, paraphrasesAtThreshold: 0, nonParaphrasesAtThreshold: 0 };
    for (const p of half) {
      if (p.cos < d.minCosine || (p.score > 2 && p.score < 4)) continue;
      if (guardsPass(p, on) === guardsPass(p, off)) continue;
      const above = hitScore(p, d) >= threshold;
      if (p.score >= 4) (r.paraphrases++, above && r.paraphrasesAtThreshold++);
      else (r.nonParaphrases++, above && r.nonParaphrasesAtThreshold++);
    }
    return r;
  });
}

export function guardAblation(halves: ScoredPair[][], d: Decision, threshold: number): RuleEffect[] {
  return [
    ...GUARD_CHECKS.map((rule) => ({ rule, kind: "check" as const, inProduction: DEFAULT_GUARD_RULES[rule], halves: effect(halves, rule, d, threshold) })),
    ...GUARD_EQUIVALENCES.map((rule) => ({ rule, kind: "equivalence" as const, inProduction: DEFAULT_GUARD_RULES[rule], halves: effect(halves, rule, d, threshold) })),
  ];
}

export function guardAblationTable(effects: RuleEffect[], threshold: number): string {
  const cell = (h: RuleEffect["halves"][number]): string => `${h.paraphrases} / ${h.nonParaphrases} (${h.paraphrasesAtThreshold} / ${h.nonParaphrasesAtThreshold})`;
  const rows = effects.map((e) => `| ${e.rule} | ${e.kind} | ${e.inProduction ? "on" : "**off**"} | ${e.halves.map(cell).join(" | ")} |`);
  return [
    `| rule | kind | production | half 1: paraphrases / non-paraphrases it changes (of them at >= ${threshold}) | half 2: same |`,
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
