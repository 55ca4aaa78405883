/**
 * A tenant's (or one feature's) recent routed traffic, as the evaluator publishes it for the
 * quality-target band (derive-band.ts): a histogram of the router's complexity in fixed bins,
 * each bin with its request count and the sum of its complexities (a bin's mid-point would be
 * off by up to half a bin per request, as large as the whole loss budget of a strict target),
 * and the judged pass counts per tier (the frontier-quality estimate). Fixed bins make hourly
 * histograms addable: the evaluator stores one per hour and publishes the window's sum.
 */
import { z } from "zod";

/** 200 bins of 0.005 over [0, 1]: calibrated complexity sits in ~0.1-0.4, where a band step moves ~2-5% of traffic. */
export const BIN_WIDTH = 0.005;
export const BIN_COUNT = 200;

export const binOf = (complexity: number): number => Math.min(BIN_COUNT - 1, Math.max(0, Math.floor(complexity / BIN_WIDTH)));

/** [bin index, requests, sum of their complexities]; only non-empty bins, in index order. */
const BinSchema = z.tuple([z.number().int().min(0).max(BIN_COUNT - 1), z.number().int().positive(), z.number().nonnegative()]);
export type Bin = z.infer<typeof BinSchema>;

/**
 * [bin index, labelled requests, of which the small answer was bad (worse than the frontier's,
 * or failed where no frontier answer exists), of which it won (passed where the frontier
 * failed: shadow pairs only)]; only non-empty bins, in index order.
 */
const LabelBinSchema = z.tuple([z.number().int().min(0).max(BIN_COUNT - 1), z.number().int().positive(), z.number().int().nonnegative(), z.number().int().nonnegative()]);
export type LabelBin = z.infer<typeof LabelBinSchema>;

export const TrafficSummarySchema = z.object({
  version: z.literal(1),
  /** Window the histogram covers, ms since the epoch. */
  from: z.number(),
  to: z.number(),
  requests: z.number().int().nonnegative(),
  bins: z.array(BinSchema).max(BIN_COUNT),
  /** Judged answers per tier in the window, and how many scored at or above the pass mark. */
  judged: z.record(z.string(), z.object({ judged: z.number().int().nonnegative(), passed: z.number().int().nonnegative() })).default({}),
  /**
   * Judged small-tier outcomes of routed requests by complexity bin: [bin, labels, bad ones,
   * wins] (served small-tier answers and shadow pairs; the labelled band, labelled-band.ts).
   * Absent in values written before it existed.
   */
  labels: z.array(LabelBinSchema).max(BIN_COUNT).optional(),
});
export type TrafficSummary = z.infer<typeof TrafficSummarySchema>;

/** Column sums of [index, ...values] rows by index, in index order. */
function sumByIndex(parts: ReadonlyArray<ReadonlyArray<readonly number[]>>): number[][] {
  const acc = new Map<number, number[]>();
  for (const rows of parts) {
    for (const [i, ...values] of rows) {
      const a = acc.get(i!);
      if (a) values.forEach((v, k) => (a[k] = (a[k] ?? 0) + v));
      else acc.set(i!, [...values]);
    }
  }
  return [...acc.entries()].sort((a, b) => a[0] - b[0]).map(([i, a]) => [i, ...a]);
}

/** Sum of histograms (e.g. the hours of a window, or the features of a tenant). */
export const mergeBins = (parts: ReadonlyArray<readonly Bin[]>): Bin[] => sumByIndex(parts) as Bin[];

export function mergeJudged(parts: ReadonlyArray<TrafficSummary["judged"]>): TrafficSummary["judged"] {
  const out: TrafficSummary["judged"] = {};
  for (const judged of parts) {
    for (const [tier, j] of Object.entries(judged)) {
      const acc = out[tier] ?? { judged: 0, passed: 0 };
      out[tier] = { judged: acc.judged + j.judged, passed: acc.passed + j.passed };
    }
  }
  return out;
}

/** The summary of a list of complexities (tests, benchmarks and offline evaluation; the evaluator builds it in SQL). */
export function summaryOf(complexities: readonly number[], judged: TrafficSummary["judged"] = {}): TrafficSummary {
  return { version: 1, from: 0, to: 0, requests: complexities.length, judged, bins: mergeBins([complexities.map((c): Bin => [binOf(c), 1, c])]) };
}

/** Sum of label histograms (hours of a window, features of a tenant). */
export const mergeLabels = (parts: ReadonlyArray<readonly LabelBin[]>): LabelBin[] => sumByIndex(parts) as LabelBin[];
