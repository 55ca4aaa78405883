/**
 * The fixed rules that pick the cache's static thresholds, and their 2-fold check: each rule is
 * applied to one half of the development pairs and measured on the other (the held-out half),
 * and the shipped value is the strictest of the rule's picks on the whole set and on each half
 * (the critical points rest on a handful of non-paraphrases, so one sample's pick can sit where
 * another sample sees twice the false hits).
 *
 * - static default (maxFalseHitRate null): lowest 0.005-grid threshold whose false-hit rate is
 *   <= 0.75% (the 1% target less a quarter for sampling), plus one step;
 * - cold threshold (the strict start under a false-hit bound): lowest threshold with no
 *   non-paraphrase at or above it, plus one 0.02 similarity band.
 */
import { hitScore, rates, type Decision, type Rates, type ScoredPair } from "./cache-quality";

export interface ThresholdRule {
  name: string;
  pick(scored: ScoredPair[], d: Decision): number;
}

const GRID = 0.005;

/** Lowest grid threshold from which the false-hit rate stays within `budget` (scanning down from 1). */
function lowestWithin(scored: ScoredPair[], d: Decision, budget: number): number {
  let best = 1;
  for (let t = 1; t >= 0.5 - 1e-9; t -= GRID) {
    const r = rates(scored, Number(t.toFixed(3)), true, d);
    if (r.falseHitRate > budget) break;
    best = Number(t.toFixed(3));
  }
  return best;
}

export const STATIC_RULE: ThresholdRule = {
  name: "lowest threshold with <= 0.75% false hits, + 0.005",
  pick: (scored, d) => Number((lowestWithin(scored, d, 0.0075) + GRID).toFixed(3)),
};

export const COLD_RULE: ThresholdRule = {
  name: "lowest threshold with no false hit, + 0.02",
  pick: (scored, d) => Number((lowestWithin(scored, d, 0) + 0.02).toFixed(3)),
};

/**
 * The cold threshold for a sparse tail: "max + 0.02" is a maximum statistic, and for two samples
 * of equal size the other one's maximum is the higher half of the time, so its margin alone
 * decides whether it transfers. This rule sizes the margin from the tail itself: an exponential
 * tail (peaks over threshold, shape 0) fitted to the k = 10 highest hit scores of guard-passing
 * non-paraphrases the index can return (u = the (k+1)-th, scale = mean excess over u); the pick is
 * the lowest grid value at which an unseen sample of the same size expects <= 0.05 of them above
 * it, and never under max + 0.02. Above 1 (or too few pairs to fit: k < 3): exact hits only,
 * returned as Infinity. Constants fixed before the rule was measured on a held-out half.
 */
export const TAIL_K = 10;
export const TAIL_EXPECTED_ABOVE = 0.05;

export function tailColdPick(scored: ScoredPair[], d: Decision): number {
  const tail = scored
    .filter((p) => p.score <= 2 && p.guardOk && p.cos >= d.minCosine)
    .map((p) => hitScore(p, d))
    .sort((a, b) => b - a);
  const k = Math.min(TAIL_K, tail.length - 1);
  if (k < 3) return Infinity;
  const u = tail[k] as number;
  const scale = tail.slice(0, k).reduce((s, x) => s + (x - u), 0) / k;
  const target = Math.max((tail[0] as number) + 0.02, u + scale * Math.log(k / TAIL_EXPECTED_ABOVE));
  const t = Math.ceil(target / GRID - 1e-9) * GRID;
  return t > 1 ? Infinity : Number(t.toFixed(3));
}

export const TAIL_COLD_RULE: ThresholdRule = {
  name: `exponential tail of the ${TAIL_K} highest guard-passing non-paraphrases: expected <= ${TAIL_EXPECTED_ABOVE} above it in an unseen sample of the same size, and >= max + 0.02 (Infinity = exact hits only)`,
  pick: tailColdPick,
};

export const halvesOf = (scored: ScoredPair[]): ScoredPair[][] => [scored.filter((_, i) => i % 2 === 0), scored.filter((_, i) => i % 2 === 1)];

/** The shipped value: the strictest of the rule's picks on the whole set and on each half. */
export function shippedThreshold(rule: ThresholdRule, scored: ScoredPair[], d: Decision): number {
  return Math.max(rule.pick(scored, d), ...halvesOf(scored).map((h) => rule.pick(h, d)));
}

export interface FoldResult {
  pickedOn: string;
  threshold: number;
  heldOut: Rates;
}

/** The rule picked on each half, measured on the other; then the shipped value on each half. */
export function twoFold(rule: ThresholdRule, scored: ScoredPair[], d: Decision): { folds: FoldResult[]; shipped: number; onHalves: Rates[] } {
  const halves = halvesOf(scored);
  const folds = halves.map((pick, k) => {
    const threshold = rule.pick(pick, d);
    return { pickedOn: `half ${k + 1}`, threshold, heldOut: rates(halves[1 - k] as ScoredPair[], threshold, true, d) };
  });
  const shipped = shippedThreshold(rule, scored, d);
  return { folds, shipped, onHalves: halves.map((h) => rates(h, shipped, true, d)) };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const pct2 = (x: number): string => `${(100 * x).toFixed(2)}%`;

export function twoFoldTable(rule: ThresholdRule, result: ReturnType<typeof twoFold>): string {
  return [
    `Rule: ${rule.name}.`,
    "",
    "| picked on | threshold | measured on | recall | false hits |",
    "|---|---|---|---|---|",
    ...result.folds.map((f, k) => `| ${f.pickedOn} | ${f.threshold.toFixed(3)} | half ${2 - k} (held out) | ${pct(f.heldOut.hitRate)} | ${pct2(f.heldOut.falseHitRate)} |`),
    ...result.onHalves.map((r, k) => `| shipped (strictest pick) | **${result.shipped.toFixed(3)}** | half ${k + 1} | ${pct(r.hitRate)} | ${pct2(r.falseHitRate)} |`),
  ].join("\n");
}

/**
 * The static rule's budget varied: each budget's pick on one half measured on the other, so the
 * trade-off between recall and false hits is read on held-out pairs only.
 */
export function budgetSweepTable(scored: ScoredPair[], d: Decision, budgets: readonly number[]): string {
  const rows = ["| false-hit budget of the rule | picked on half 1 -> half 2: threshold, recall / false hits | picked on half 2 -> half 1: same |", "|---|---|---|"];
  for (const budget of budgets) {
    const rule: ThresholdRule = { name: `budget ${budget}`, pick: (s, dd) => Number((lowestWithin(s, dd, budget) + GRID).toFixed(3)) };
    const cells = twoFold(rule, scored, d).folds.map((f) => `${f.threshold.toFixed(3)}: ${pct(f.heldOut.hitRate)} / ${pct2(f.heldOut.falseHitRate)}`);
    rows.push(`| ${pct2(budget)} | ${cells.join(" | ")} |`);
  }
  return rows.join("\n");
}

/**
 * The shipped procedure itself held out: for each of k folds (rows i mod k), the strictest of the
 * rule's picks on the other folds together and on each half of them, measured on the fold left out.
 * Pooled over the folds, every pair is measured once by a threshold that never saw it.
 */
export function heldOutShippedProcedure(rule: ThresholdRule, scored: ScoredPair[], d: Decision, k = 4): { folds: (Rates & { positives: number; negatives: number })[]; pooled: Rates } {
  const folds = Array.from({ length: k }, (_, f) => {
    const train = scored.filter((_, i) => i % k !== f);
    const test = scored.filter((_, i) => i % k === f);
    const threshold = shippedThreshold(rule, train, d);
    return { ...rates(test, threshold, true, d), positives: test.filter((p) => p.score >= 4).length, negatives: test.filter((p) => p.score <= 2).length };
  });
  const sum = (f: (x: (typeof folds)[number]) => number): number => folds.reduce((s, x) => s + f(x), 0);
  const pooled: Rates = {
    threshold: NaN,
    hitRate: sum((x) => x.hitRate * x.positives) / sum((x) => x.positives),
    falseHitRate: sum((x) => x.falseHitRate * x.negatives) / sum((x) => x.negatives),
  };
  return { folds, pooled };
}

export function heldOutShippedTable(result: ReturnType<typeof heldOutShippedProcedure>): string {
  return [
    "| fold left out | threshold (picked without it) | recall | false hits |",
    "|---|---|---|---|",
    ...result.folds.map((f, i) => `| ${i + 1} | ${f.threshold.toFixed(3)} | ${pct(f.hitRate)} | ${pct2(f.falseHitRate)} (of ${f.negatives}) |`),
    `| pooled | — | ${pct(result.pooled.hitRate)} | ${pct2(result.pooled.falseHitRate)} |`,
  ].join("\n");
}
