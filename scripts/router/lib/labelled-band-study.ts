/**
 * The labelled quality-target band (workers/gateway/src/router/quality-target/labelled-band.ts)
 * measured held out, next to the label-free band (derive-band.ts), on the real outcome sets:
 *
 *  - a tenant's traffic is one set, or a mix of the five Mixtral/GPT-4 sets; complexities are
 *    leave-one-dataset-out (model and calibration fitted without the row's set);
 *  - each split halves the traffic by a seeded shuffle. On the first half (the window the
 *    evaluator publishes): the label-free band from its complexities, the frontier quality Qf
 *    from its judged frontier answers, and n labels drawn uniformly from it, labelled twice by
 *    the product's rules from the SAME verdicts: "unpaired" (no frontier shadow: a request below
 *    the label-free band in force was served small, bad = the small answer wrong) and "paired"
 *    (the frontier shadow, chat/shadow-tier.ts: that served answer is paired with the frontier's,
 *    bad = small wrong where the frontier was right, win = the reverse). A request above the band
 *    is a small-shadow pair in both. A noisy judge flips each verdict (small and frontier, and the
 *    frontier verdicts behind Qf) with the given probability. The labelled band is computed from
 *    each label set with the shipped bound and its shipped δ;
 *  - both bands are then measured on the second half, never read while setting them.
 *
 * Nothing here is tuned: the bound, δ and the candidate grid are the product's.
 */
import { qualityTargetBand } from "../../../workers/gateway/src/router/quality-target/derive-band";
import { labelledBand } from "../../../workers/gateway/src/router/quality-target/labelled-band";
import type { WinCurve } from "../../../workers/gateway/src/router/quality-target/win-curve";
import { DEFAULT_ROUTER_SETTINGS } from "../../../workers/gateway/src/router/settings";
import { binOf, mergeLabels, summaryOf, type LabelBin } from "../../../shared/router-traffic/traffic-summary";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { qualityKept } from "./calibration-study";
import { mulberry32, shuffle } from "./rng";

export interface StudyTenant {
  name: string;
  rows: readonly OutcomeRow[];
  /** Held-out calibrated complexity per row. */
  c: readonly number[];
  winCurve: WinCurve;
}

export interface SplitOptions {
  labels: number;
  judgeNoise: number;
  target: number;
  seed: number;
}

export interface BandMeasure {
  below: number;
  smallShare: number;
  quality: number;
}

export type LabelledMeasure = BandMeasure & { certified: boolean };

export interface SplitResult {
  labelFree: BandMeasure;
  /** Served small answers unpaired (no frontier shadow), and paired with the frontier's verdict. */
  unpaired: LabelledMeasure;
  paired: LabelledMeasure;
}

function measure(t: StudyTenant, meas: readonly number[], below: number): BandMeasure {
  const small = meas.map((i) => t.c[i]! < below);
  return { below, smallShare: small.filter(Boolean).length / Math.max(1, meas.length), quality: qualityKept(meas.map((i) => t.rows[i]!), small) };
}

/** One seeded split: the label-free band and both labelled ones set on one half, measured on the other. */
export function labelledSplit(t: StudyTenant, o: SplitOptions): SplitResult {
  const rng = mulberry32(o.seed);
  const order = shuffle(rng, t.rows.map((_, i) => i));
  const [seen, meas] = [order.slice(0, order.length >> 1), order.slice(order.length >> 1)];
  const judge = (truth: boolean): boolean => (rng() < o.judgeNoise ? !truth : truth);
  const s = DEFAULT_ROUTER_SETTINGS;
  // Qf as the product estimates it: the judged pass rate of the window's frontier answers.
  const qf = seen.filter((i) => judge(t.rows[i]!.strongOk)).length / seen.length;
  const free = qualityTargetBand(summaryOf(seen.map((i) => t.c[i]!)), { target: o.target, frontierQuality: qf, frontierTier: "frontier", min: s.qualityBandMin, max: s.qualityBandMax, minRequests: 1, winCurve: t.winCurve });
  const inForce = free?.below ?? s.bands[0]!.below;
  const verdicts = shuffle(rng, [...seen]).slice(0, o.labels).map((i) => ({ i, small: judge(t.rows[i]!.weakOk), frontier: judge(t.rows[i]!.strongOk) }));
  const pair = (v: { i: number; small: boolean; frontier: boolean }): LabelBin => [binOf(t.c[v.i]!), 1, !v.small && v.frontier ? 1 : 0, v.small && !v.frontier ? 1 : 0];
  // Served small without a frontier shadow: no frontier answer to compare with, every failure a loss.
  const unpaired = verdicts.map((v): LabelBin => (t.c[v.i]! < inForce ? [binOf(t.c[v.i]!), 1, v.small ? 0 : 1, 0] : pair(v)));
  const histogram = summaryOf(seen.map((i) => t.c[i]!));
  const banded = (bins: LabelBin[]): LabelledMeasure => {
    const band = labelledBand({ ...histogram, labels: mergeLabels([bins]) }, { target: o.target, frontierQuality: qf, min: s.qualityBandMin, max: s.qualityBandMax });
    return { ...measure(t, meas, band?.below ?? inForce), certified: band?.certified ?? false };
  };
  return { labelFree: measure(t, meas, inForce), unpaired: banded(unpaired), paired: banded(verdicts.map(pair)) };
}

export interface Aggregate {
  quality: number;
  qualitySd: number;
  /** Share of splits whose measured quality reached the target. */
  held: number;
  smallShare: number;
}

export function aggregate(xs: readonly BandMeasure[], target: number): Aggregate {
  const mean = (f: (x: BandMeasure) => number): number => xs.reduce((a, x) => a + f(x), 0) / Math.max(1, xs.length);
  const quality = mean((x) => x.quality);
  return {
    quality,
    qualitySd: Math.sqrt(mean((x) => (x.quality - quality) ** 2)),
    held: xs.filter((x) => x.quality >= target - 1e-9).length / Math.max(1, xs.length),
    smallShare: mean((x) => x.smallShare),
  };
}

/**
 * GSM8K's ledger cost cut by small-tier share, read off bench:replay's held-out router curve
 * (docs/benchmarks/replay.md: frontier calls 90/80/70/60/50% → cut 7/14/23/32/41%): the replay
 * prices and token counts, so only an estimate for the study's shares.
 */
const GSM8K_CUT: ReadonlyArray<[number, number]> = [[0, 0], [0.1, 0.07], [0.2, 0.14], [0.3, 0.23], [0.4, 0.32], [0.5, 0.41], [0.6, 0.51], [0.7, 0.61], [0.8, 0.73], [0.9, 0.85], [1, 0.99]];

export function gsm8kCut(smallShare: number): number {
  for (let k = 1; k < GSM8K_CUT.length; k++) {
    const [[x0, y0], [x1, y1]] = [GSM8K_CUT[k - 1]!, GSM8K_CUT[k]!];
    if (smallShare <= x1) return y0 + ((smallShare - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 0.99;
}
