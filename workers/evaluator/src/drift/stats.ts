/**
 * Population stability index and KL divergence between a baseline and a current sample,
 * over fixed bins (numeric) or categories. Additive smoothing keeps empty bins from making
 * ln(0) infinite: p_i = (c_i + alpha) / (n + alpha k). Common reading of PSI: < 0.1 stable,
 * 0.1-0.2 moderate shift, > 0.2 significant shift.
 */
import { INTENTS } from "../../../../shared/schemas/router-training-example";

export const SMOOTHING_ALPHA = 0.5;

export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let i = 0;
    while (i < edges.length && v >= (edges[i] as number)) i++;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

export function categoryCounts(values: readonly string[], categories: readonly string[]): number[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length + 1).fill(0);
  for (const v of values) {
    const i = index.get(v) ?? categories.length;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

export function smoothed(counts: readonly number[], alpha = SMOOTHING_ALPHA): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (c + alpha) / (n + alpha * counts.length));
}

/** PSI = sum (a - e) ln(a / e): symmetric in the two distributions. */
export function psi(baseline: readonly number[], current: readonly number[]): number {
  const e = smoothed(baseline);
  const a = smoothed(current);
  return a.reduce((s, ai, i) => s + (ai - (e[i] as number)) * Math.log(ai / (e[i] as number)), 0);
}

/** KL(current || baseline) = sum a ln(a / e), in nats. */
export function klDivergence(baseline: readonly number[], current: readonly number[]): number {
  const e = smoothed(baseline);
  const a = smoothed(current);
  return a.reduce((s, ai, i) => s + ai * Math.log(ai / (e[i] as number)), 0);
}

export interface Samples {
  complexity: number[];
  intent: string[];
  judgeScore: number[];
  costPerRequest: number[];
}

export const DRIFT_METRICS = ["complexity", "intent", "judge_score", "cost_per_request"] as const;
export type DriftMetric = (typeof DRIFT_METRICS)[number];

const COMPLEXITY_EDGES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const SCORE_EDGES = [1.5, 2.5, 3.5, 4.5];
const COST_EDGES = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

export interface DriftResult {
  metric: DriftMetric;
  psi: number;
  kl: number;
  baselineN: number;
  currentN: number;
}

function counts(metric: DriftMetric, s: Samples): number[] {
  if (metric === "complexity") return binCounts(s.complexity, COMPLEXITY_EDGES);
  if (metric === "intent") return categoryCounts(s.intent, INTENTS);
  if (metric === "judge_score") return binCounts(s.judgeScore, SCORE_EDGES);
  return binCounts(s.costPerRequest, COST_EDGES);
}

/** Metrics with fewer than `minSamples` on either side are skipped (too noisy to call drift). */
export function driftReport(baseline: Samples, current: Samples, minSamples = 30): DriftResult[] {
  const out: DriftResult[] = [];
  for (const metric of DRIFT_METRICS) {
    const b = counts(metric, baseline);
    const c = counts(metric, current);
    const baselineN = b.reduce((x, y) => x + y, 0);
    const currentN = c.reduce((x, y) => x + y, 0);
    if (baselineN < minSamples || currentN < minSamples) continue;
    const r = (x: number): number => Math.round(x * 1e6) / 1e6;
    out.push({ metric, psi: r(psi(b, c)), kl: r(klDivergence(b, c)), baselineN, currentN });
  }
  return out;
}
