/**
 * The quality-target band set from a tenant's judged outcomes, with a statistical guarantee
 * (docs/router.md, "Labelled band").
 *
 * A label is one routed request whose small-tier answer was judged: a served small-tier answer
 * (bad = it failed the pass mark) or a shadow small-tier answer paired with the served frontier
 * one (bad = it scored below min(pass mark, the frontier's score): the retraining export's
 * `small_ok` rule; win = it passed where the frontier failed). bad − win bounds the quality lost
 * by serving that request small from above (a failed served small answer counts even where the
 * frontier would have failed too).
 *
 * The net risk of a band b is R(b) = P(complexity < b and bad) − P(complexity < b and win) over
 * the tenant's routed traffic; serving small below b keeps ≥ 1 − R(b) / Qf of all-frontier
 * quality, so the target q holds when R(b) ≤ α = (1 − q) · Qf. With m labels drawn uniformly from
 * the traffic (the evaluator thins them to one rate, hour-labels.ts), the bad ones below b are
 * Binomial(m, ·) and so are the wins: R(b) ≤ the exact one-sided Clopper–Pearson upper bound on
 * P(bad) at δ/2 minus the lower bound on P(win) at δ/2 (a union bound over the two), and b is
 * certified when that is ≤ α.
 *
 * Choosing among many bands needs a correction: the candidates (the histogram's bin edges in
 * [min, max], fixed before any label is read) are tested in a fixed sequence from the strictest
 * upward and the first refusal stops the scan (Learn-Then-Test's fixed-sequence procedure): the
 * family-wise error stays ≤ δ with no penalty for the number of candidates. With probability
 * ≥ 1 − δ over the labels, the chosen band keeps the target on the traffic they were drawn from,
 * for the judge's verdicts and the Qf given. No band certified → the floor `min`, reported as
 * `certified: false`.
 */
import { BIN_WIDTH, binOf, type LabelBin, type TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";
import { massBelow } from "./derive-band";
import { binomialCdf, lowerBound, upperBound } from "../../stats/binomial-bound";

/** One-sided error of the guarantee: the band keeps the target with probability ≥ 95%. */
export const LABELLED_BAND_DELTA = 0.05;

export interface LabelledBandOptions {
  target: number;
  /** The frontier's quality Qf (the same estimate the label-free band uses). */
  frontierQuality: number;
  min: number;
  max: number;
  delta?: number;
}

export interface LabelledBand {
  below: number;
  /** Labels in the window, and the bad ones below the chosen band. */
  labels: number;
  badBelow: number;
  /** The upper confidence bound on R(below) (net risk per routed request) at 1 − δ. */
  riskBound: number;
  /** The quality kept at the band, guaranteed at 1 − δ: 1 − riskBound / Qf. */
  guaranteedQuality: number;
  /** Share of the window's routed requests below the band (the histogram). */
  smallShare: number;
  /** Some candidate band passed the test; false = none did and the floor applies. */
  certified: boolean;
}

/** Labels in a summary's window. */
export const labelCount = (s: TrafficSummary): number => (s.labels ?? []).reduce((n, [, m]) => n + m, 0);

// Per published summary (the traffic store keeps one object per scope for a minute): the scan runs once per options.
const memo = new WeakMap<TrafficSummary, Map<string, LabelledBand | null>>();

/** null when the summary has no labels at all (the caller keeps the label-free band). */
export function labelledBand(summary: TrafficSummary, o: LabelledBandOptions): LabelledBand | null {
  const key = `${o.target}|${o.frontierQuality}|${o.min}|${o.max}|${o.delta ?? ""}`;
  const cached = memo.get(summary) ?? new Map<string, LabelledBand | null>();
  memo.set(summary, cached);
  if (!cached.has(key)) cached.set(key, scan(summary, o));
  return cached.get(key) ?? null;
}

function scan(summary: TrafficSummary, o: LabelledBandOptions): LabelledBand | null {
  const labels: readonly LabelBin[] = summary.labels ?? [];
  const m = labels.reduce((n, [, k]) => n + k, 0);
  if (m === 0) return null;
  const half = (o.delta ?? LABELLED_BAND_DELTA) / 2;
  const alpha = Math.max(0, 1 - o.target) * o.frontierQuality;
  const counts = (band: number): [number, number] => labels.reduce<[number, number]>((n, [i, , bad, wins]) => (i < Math.round(band / BIN_WIDTH) ? [n[0] + bad, n[1] + wins] : n), [0, 0]);
  // Net risk bound: UCB(P(bad)) at δ/2 less LCB(P(win)) at δ/2 (a union bound over the two).
  // UCB(bad) ≤ α + LCB(win) exactly when P(Binomial(m, α + LCB(win)) ≤ bad) ≤ δ/2.
  const certifies = ([bad, wins]: [number, number]): boolean => {
    const t = alpha + lowerBound(wins, m, half);
    return alpha > 0 && (t >= 1 || binomialCdf(bad, m, t) <= half);
  };
  // Candidates: bin edges from the floor's up to the ceiling's, fixed before the labels are read.
  let below = o.min;
  let certified = false;
  let last = "";
  for (let i = binOf(o.min + 1e-9); i * BIN_WIDTH <= o.max + 1e-9; i++) {
    const edge = Math.max(o.min, i * BIN_WIDTH);
    const c = counts(edge);
    // An edge with the same counts as the last certified one is certified too (the same test).
    if (`${c[0]},${c[1]}` !== last && !certifies(c)) break;
    [below, certified, last] = [edge, true, `${c[0]},${c[1]}`];
  }
  const [bad, wins] = counts(below);
  const riskBound = Math.max(0, upperBound(bad, m, half) - lowerBound(wins, m, half));
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const smallShare = summary.requests > 0 ? round(massBelow(summary.bins, below).requests / summary.requests) : 0;
  return { below: round(below), labels: m, badBelow: bad, riskBound: round(riskBound), guaranteedQuality: o.frontierQuality > 0 ? round(Math.max(0, 1 - riskBound / o.frontierQuality)) : 0, smallShare, certified };
}
