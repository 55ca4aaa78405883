/**
 * The small-tier band that keeps a quality target on a tenant's own traffic, label-free.
 *
 * complexity c is a calibrated P(the small tier's answer is worse than the frontier's); the
 * model's win curve (win-curve.ts) gives P(the small tier is right where the frontier is wrong)
 * at the same c. Sending a set S of requests to the small tier loses in expectation
 * sum(c − win(c), S) correct answers (estimate "net", the default), or at most sum(c, S)
 * ("upper_bound": wins not credited, so the measured quality lands at or above the target where
 * the small tier often beats a wrong frontier answer). A target "keep >= q of all-frontier
 * quality" is the budget loss(S) / N <= (1 - q) * Qf, where Qf is the frontier's quality: the
 * tenant's setting, else the judged pass rate of its frontier answers, else
 * DEFAULT_FRONTIER_QUALITY. The cheapest S for a budget takes the lowest complexities first, so
 * the band is the largest threshold whose requests below it stay within the budget, read off
 * the published histogram (linear inside the boundary bin), then clamped to [min, max].
 */
import { BIN_WIDTH, type TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";
import { netLoss, type WinCurve } from "./win-curve";

/** GPT-4-1106's correct share over the 11,473 Mixtral/GPT-4 rows of the shared routing sets (docs/router.md). */
export const DEFAULT_FRONTIER_QUALITY = 0.85;
/** Judged frontier answers needed before their pass rate replaces the default (±~7 points at 95%). */
export const MIN_JUDGED_FOR_QUALITY = 100;

export interface QualityTargetOptions {
  /** Share of all-frontier quality to keep, e.g. 0.95. */
  target: number;
  /** The tenant's own estimate of the frontier's quality (0-1); wins over the judged one. */
  frontierQuality?: number;
  /** Tier whose judged pass rate estimates Qf (the strongest tier). */
  frontierTier: string;
  min: number;
  max: number;
  minRequests: number;
  /** "net" (default) needs the model's win curve; without one the bound is used (and reported). */
  estimate?: LossEstimate;
  winCurve?: WinCurve;
}

/** What the budget is spent on: expected net loss (worse − better) or its upper bound (worse only). */
export const LOSS_ESTIMATES = ["net", "upper_bound"] as const;
export type LossEstimate = (typeof LOSS_ESTIMATES)[number];

export type QualitySource = "setting" | "judged" | "default";

export interface QualityBand {
  below: number;
  /** Requests in the published window. */
  requests: number;
  frontierQuality: number;
  frontierQualitySource: QualitySource;
  /** Predicted at the band in force: share of requests below it, and the share of all-frontier quality kept. */
  smallShare: number;
  predictedQuality: number;
  /** The budget's band fell outside [min, max]. */
  clamped: boolean;
  /** The loss estimate the band was derived with ("net" falls back to "upper_bound" without a win curve). */
  estimate: LossEstimate;
}

/** One bin's expected loss on the small tier: its summed complexity, less its wins under "net". */
type BinLoss = (n: number, sum: number) => number;
const upperBound: BinLoss = (_n, sum) => sum;

/** Qf: the tenant's setting, else the judged pass rate of its frontier answers, else the default. */
export function frontierQualityOf(s: TrafficSummary, o: Pick<QualityTargetOptions, "frontierQuality" | "frontierTier">): { q: number; source: QualitySource } {
  if (o.frontierQuality !== undefined) return { q: o.frontierQuality, source: "setting" };
  const j = s.judged[o.frontierTier];
  if (j && j.judged >= MIN_JUDGED_FOR_QUALITY) return { q: j.passed / j.judged, source: "judged" };
  return { q: DEFAULT_FRONTIER_QUALITY, source: "default" };
}

/** Requests and expected loss below `band` (uniform inside the bin it cuts). */
export function massBelow(bins: TrafficSummary["bins"], band: number, binLoss: BinLoss = upperBound): { requests: number; loss: number } {
  let requests = 0;
  let loss = 0;
  for (const [i, n, sum] of bins) {
    const lo = i * BIN_WIDTH;
    if (band <= lo) break;
    const f = Math.min(1, (band - lo) / BIN_WIDTH);
    requests += f * n;
    loss += f * binLoss(n, sum);
  }
  return { requests, loss };
}

/** The largest band whose expected loss fits `budget` (total over the window), before clamping. */
export function budgetBand(bins: TrafficSummary["bins"], budget: number, binLoss: BinLoss = upperBound): number {
  let spent = 0;
  for (const [i, n, sum] of bins) {
    const loss = binLoss(n, sum);
    if (spent + loss > budget) return (i + (loss > 0 ? (budget - spent) / loss : 0)) * BIN_WIDTH;
    spent += loss;
  }
  return 1;
}

/** null = cold start (no summary, or fewer than minRequests): the caller keeps the static band. */
export function qualityTargetBand(summary: TrafficSummary | null, o: QualityTargetOptions): QualityBand | null {
  if (!summary || summary.requests < o.minRequests || summary.requests === 0) return null;
  const { q, source } = frontierQualityOf(summary, o);
  const wins = o.winCurve;
  const estimate: LossEstimate = (o.estimate ?? "net") === "net" && wins ? "net" : "upper_bound";
  const binLoss: BinLoss = estimate === "net" && wins ? (n, sum) => netLoss(wins, n, sum) : upperBound;
  const raw = budgetBand(summary.bins, Math.max(0, 1 - o.target) * q * summary.requests, binLoss);
  const below = Math.min(o.max, Math.max(o.min, raw));
  const at = massBelow(summary.bins, below, binLoss);
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    below: round(below),
    requests: summary.requests,
    frontierQuality: round(q),
    frontierQualitySource: source,
    smallShare: round(at.requests / summary.requests),
    predictedQuality: q > 0 ? round(1 - at.loss / summary.requests / q) : 0,
    clamped: below !== raw,
    estimate,
  };
}
