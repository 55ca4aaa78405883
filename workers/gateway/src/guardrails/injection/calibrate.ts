/**
 * Calibration: the classifier's raw probability is not comparable across message sources (a
 * long tool result or a tenant's system prompt scores higher than a chat question of the same
 * innocence). Each source has a table, built at training time from HELD-OUT benign texts of that
 * source, mapping a raw score to its false-alarm rate: the share of benign texts scoring at
 * least that high. The verdict score is that rate on a log scale,
 *
 *     score = -log10(falseAlarmRate) / 4      (clamped to [0, 1])
 *
 * so a threshold means the same false-alarm rate for every source: 0.5 = 1%, 0.38 = 3%,
 * 0.25 = 10%, 0.75 = 0.1%.
 */
import { z } from "zod";

export const CalibrationTableSchema = z
  .object({
    /** Raw scores, strictly increasing. */
    raw: z.array(z.number().min(0).max(1)).min(1),
    /** False-alarm rate at each raw score, strictly decreasing, in (0, 1). */
    rate: z.array(z.number().gt(0).lt(1)).min(1),
  })
  .refine((t) => t.raw.length === t.rate.length, "raw and rate differ in length");
export type CalibrationTable = z.infer<typeof CalibrationTableSchema>;

/** Beyond the last point (rarer than the held-out set can measure) the rate keeps falling, 100x by raw = 1. */
const TAIL_FACTOR = 100;

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

/** Estimated false-alarm rate of a raw score: log-linear between table points. */
export function falseAlarmRate(table: CalibrationTable, raw: number): number {
  const { raw: xs, rate: ys } = table;
  const n = xs.length;
  const first = xs[0] ?? 0;
  if (raw <= first) {
    const t = first > 0 ? Math.max(0, raw) / first : 1;
    return Math.exp(lerp(0, Math.log(ys[0] ?? 1), t));
  }
  for (let i = 1; i < n; i++) {
    const x1 = xs[i] ?? 1;
    if (raw <= x1) {
      const x0 = xs[i - 1] ?? 0;
      const t = (raw - x0) / (x1 - x0 || 1);
      return Math.exp(lerp(Math.log(ys[i - 1] ?? 1), Math.log(ys[i] ?? 1), t));
    }
  }
  const last = xs[n - 1] ?? 0;
  const lastRate = ys[n - 1] ?? 1;
  const t = last < 1 ? Math.min(1, (raw - last) / (1 - last)) : 1;
  return Math.exp(lerp(Math.log(lastRate), Math.log(lastRate / TAIL_FACTOR), t));
}

export const scoreForRate = (rate: number): number => Math.min(1, Math.max(0, -Math.log10(rate) / 4));
export const rateForScore = (score: number): number => 10 ** (-4 * score);

/**
 * Default: 2% of benign look-alikes flagged (threshold 0.425). On held-out data this sits between
 * the 1% point (fewer false alarms, a few more jailbreaks missed) and the 3% point; ordinary
 * prompts are flagged far less (docs/benchmarks/guardrails.md).
 */
export const DEFAULT_FALSE_ALARM_RATE = 0.02;
export const DEFAULT_THRESHOLD = Math.round(scoreForRate(DEFAULT_FALSE_ALARM_RATE) * 1000) / 1000;

/** Calibrated verdict score of a raw classifier output. */
export const calibratedScore = (table: CalibrationTable, raw: number): number => scoreForRate(falseAlarmRate(table, raw));

/**
 * Builds a table from held-out benign raw scores: the raw score exceeded by each listed share of
 * them, down to the rarest share the sample can support (at least 3 texts above the point).
 */
export function buildTable(benignRaw: readonly number[]): CalibrationTable {
  const sorted = [...benignRaw].sort((a, b) => b - a);
  const n = sorted.length;
  const raw: number[] = [];
  const rate: number[] = [];
  for (const r of [0.5, 0.3, 0.2, 0.1, 0.07, 0.05, 0.03, 0.02, 0.015, 0.01, 0.007, 0.005, 0.003, 0.002, 0.001, 0.0005]) {
    if (r * n < 3) break;
    const x = sorted[Math.ceil(r * n) - 1] ?? 0;
    const prev = raw[raw.length - 1] ?? -1;
    // Ties (many texts at the same raw score) would make the table non-increasing: nudge up.
    raw.push(Math.min(1, x > prev ? x : prev + 1e-6));
    rate.push(r);
  }
  return { raw, rate };
}
