/**
 * Could a better band calibration meet "auto keeps >= 95% of all-frontier quality at a >= 30%
 * cut" (issue 12) on a set the router never saw? Two ways of choosing the quality-target band,
 * both measured on each left-out Mixtral/GPT-4 set from its held-out complexities:
 *
 *  - within-set slope (label-free): the pooled Platt slope mixes "which set is harder" with "which
 *    prompt of a set is harder". Refitting the slope with one offset per set (fixed effects) gives
 *    the within-set slope; on the left-out set the offset is chosen so the mean predicted loss
 *    equals the pooled calibration's (no label read), and the band spends the budget on that.
 *  - per-tenant labelled band (an upper bound on what judged outcomes could buy): the set is split
 *    in two halves; on a sample of one half, where every answer's correctness is known (a perfect
 *    judge of both tiers), the largest complexity cut-off that keeps the target is read off and
 *    applied to the other half. This is what a tenant's own judged traffic could at best give.
 *
 * Exploratory (scripts/router/calibration-study.ts prints it); nothing here ships.
 */
import type { OutcomeRow } from "../outcomes/outcome-row";
import { applyPlatt, type Platt } from "./calibration";
import { fitComplexity } from "./complexity-model";
import { mulberry32 } from "./rng";

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Slope of y on z with one free offset per group (each group weighing the same), no penalty. */
export function withinGroupSlope(z: readonly number[], y: readonly number[], group: readonly string[]): number {
  const names = [...new Set(group)].sort();
  const size = new Map<string, number>();
  for (const g of group) size.set(g, (size.get(g) ?? 0) + 1);
  const rows = z.map((v, i) => ({ f: Float64Array.of(v), y: y[i]!, weight: 1 / size.get(group[i]!)!, group: names.indexOf(group[i]!) }));
  return fitComplexity(rows, names.length, 1e-9).coef[0]!;
}

/** Offset m with mean(sigmoid(slope·z + m)) = target (bisection; the mean is monotone in m). */
export function meanMatchedOffset(z: readonly number[], slope: number, target: number): number {
  let lo = -30;
  let hi = 30;
  for (let it = 0; it < 80; it++) {
    const m = (lo + hi) / 2;
    if (mean(z.map((v) => sigmoid(slope * v + m))) < target) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}

/** Rows sent to the small tier: the lowest `order` first while their summed loss fits the budget. */
export function budgetSmall(order: readonly number[], loss: readonly number[], budget: number): boolean[] {
  const idx = order.map((_, i) => i).sort((i, j) => order[i]! - order[j]!);
  const small = order.map(() => false);
  let spent = 0;
  for (const i of idx) {
    if (spent + loss[i]! > budget) break;
    spent += loss[i]!;
    small[i] = true;
  }
  return small;
}

/** Correct answers served / all-frontier correct answers. */
export function qualityKept(rows: readonly Pick<OutcomeRow, "weakOk" | "strongOk">[], small: readonly boolean[]): number {
  const frontier = rows.filter((r) => r.strongOk).length;
  const served = rows.reduce((n, r, i) => n + ((small[i] ? r.weakOk : r.strongOk) ? 1 : 0), 0);
  return served / Math.max(1, frontier);
}

export interface BandOutcome {
  smallShare: number;
  quality: number;
}

export interface SlopeInputs {
  /** Held-out raw logits of the left-out set's rows. */
  z: readonly number[];
  /** Pooled Platt calibrations fitted without the set: P(small worse) and P(small better). */
  loss: Platt;
  win: Platt;
  /** Within-set slopes fitted without the set, for the same two labels. */
  lossSlope: number;
  winSlope: number;
}

/** Per-row net loss under the pooled calibration ("pooled") or the mean-matched within-set slope ("within"). */
export function netLosses(s: SlopeInputs, mode: "pooled" | "within"): number[] {
  const c = s.z.map((v) => applyPlatt(s.loss, v));
  const w = s.z.map((v) => applyPlatt(s.win, v));
  if (mode === "pooled") return c.map((v, i) => Math.max(0, v - w[i]!));
  const mc = meanMatchedOffset(s.z, s.lossSlope, mean(c));
  const mw = meanMatchedOffset(s.z, s.winSlope, mean(w));
  return s.z.map((v) => Math.max(0, sigmoid(s.lossSlope * v + mc) - sigmoid(s.winSlope * v + mw)));
}

/** The label-free band on one set: budget (1 - target) · frontierQuality · rows, spent on the lowest logits. */
export function labelFreeBand(rows: readonly OutcomeRow[], s: SlopeInputs, mode: "pooled" | "within", target: number, frontierQuality: number): BandOutcome {
  const small = budgetSmall(s.z, netLosses(s, mode), (1 - target) * frontierQuality * rows.length);
  return { smallShare: small.filter(Boolean).length / rows.length, quality: qualityKept(rows, small) };
}

export interface LabelledBandSummary {
  quality: number;
  qualitySd: number;
  smallShare: number;
  /** Share of runs more than one point below the target. */
  missRate: number;
}

/** Largest logit cut-off whose rows, sent small, keep `target` of the sample's frontier quality (-Infinity: none). */
export function labelledCutoff(rows: readonly OutcomeRow[], z: readonly number[], target: number): number {
  const idx = z.map((_, i) => i).sort((i, j) => z[i]! - z[j]!);
  const frontier = rows.filter((r) => r.strongOk).length;
  let served = frontier;
  let cut = -Infinity;
  for (const i of idx) {
    served += (rows[i]!.weakOk ? 1 : 0) - (rows[i]!.strongOk ? 1 : 0);
    if (served >= target * frontier) cut = z[i]!;
  }
  return cut;
}

/** Two-fold by a seeded shuffle, `reps` times: the cut-off read on a `rate` sample of one half, measured on the other. */
export function labelledBand(rows: readonly OutcomeRow[], z: readonly number[], target: number, rate: number, reps: number, seed: number): LabelledBandSummary {
  const rng = mulberry32(seed);
  const runs: BandOutcome[] = [];
  for (let r = 0; r < reps; r++) {
    const keys = rows.map(() => rng());
    const order = rows.map((_, i) => i).sort((i, j) => keys[i]! - keys[j]!);
    const halves = [order.slice(0, order.length >> 1), order.slice(order.length >> 1)];
    for (const [cal, meas] of [[halves[0]!, halves[1]!], [halves[1]!, halves[0]!]] as const) {
      const sample = cal.filter(() => rng() < rate);
      const cut = labelledCutoff(sample.map((i) => rows[i]!), sample.map((i) => z[i]!), target);
      const small = meas.map((i) => z[i]! <= cut);
      runs.push({ smallShare: small.filter(Boolean).length / meas.length, quality: qualityKept(meas.map((i) => rows[i]!), small) });
    }
  }
  const q = runs.map((x) => x.quality);
  const mq = mean(q);
  return { quality: mq, qualitySd: Math.sqrt(mean(q.map((v) => (v - mq) ** 2))), smallShare: mean(runs.map((x) => x.smallShare)), missRate: q.filter((v) => v < target - 0.01).length / q.length };
}
