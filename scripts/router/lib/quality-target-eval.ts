/**
 * The quality-target band (workers/gateway/src/router/quality-target/) on each left-out set:
 * the set's complexities are held-out predictions (complexity model and Platt calibration both
 * fitted without the set), the band is derived from them alone (label-free, as the evaluator's
 * job does from a tenant's traffic), and only the measured quality reads the labels. Frontier
 * quality: the documented default (0.85), or the set's own (what judged frontier answers would
 * estimate), to show what the estimate is worth.
 */
import { DEFAULT_FRONTIER_QUALITY, qualityTargetBand, type LossEstimate } from "../../../workers/gateway/src/router/quality-target/derive-band";
import { winCurveOf } from "../../../workers/gateway/src/router/quality-target/win-curve";
import { summaryOf } from "../../../shared/router-traffic/traffic-summary";
import { DEFAULT_ROUTER_SETTINGS } from "../../../workers/gateway/src/router/settings";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { applyPlatt } from "./calibration";
import { lodoPlatt, lodoWinPlatt, MAIN_FAMILIES } from "./lodo";

export interface TargetOutcome {
  band: number;
  smallShare: number;
  predicted: number;
  /** Correct answers / all-frontier correct answers, from the labels. */
  quality: number;
}

export interface TargetLine {
  set: string;
  target: number;
  frontierQuality: "default" | "the set's";
  upper_bound: TargetOutcome;
  net: TargetOutcome;
}

export const QUALITY_TARGETS = [0.9, 0.95, 0.97] as const;
const ESTIMATES: readonly LossEstimate[] = ["upper_bound", "net"];

export function qualityTargetLines(rows: readonly OutcomeRow[], heldLogits: Float64Array, targets: readonly number[] = QUALITY_TARGETS): TargetLine[] {
  const out: TargetLine[] = [];
  const s = DEFAULT_ROUTER_SETTINGS;
  for (const set of MAIN_FAMILIES) {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]!.family === set && rows[i]!.pair === "mixtral-gpt4");
    if (!idx.length) continue;
    const others = rows.map((_, i) => i).filter((i) => rows[i]!.family !== set);
    const otherRows = others.map((i) => rows[i]!);
    const otherLogits = Float64Array.from(others, (i) => heldLogits[i]!);
    const platt = lodoPlatt(otherRows, otherLogits);
    const winCurve = winCurveOf(platt, lodoWinPlatt(otherRows, otherLogits));
    const c = idx.map((i) => applyPlatt(platt, heldLogits[i]!));
    const frontierCorrect = idx.filter((i) => rows[i]!.strongOk).length;
    const summary = summaryOf(c);
    const outcome = (target: number, q: number, estimate: LossEstimate): TargetOutcome | null => {
      const b = qualityTargetBand(summary, { target, frontierQuality: q, frontierTier: "frontier", min: s.qualityBandMin, max: s.qualityBandMax, minRequests: 1, estimate, winCurve });
      if (!b) return null;
      const correct = idx.reduce((n, i, k) => n + ((c[k]! < b.below ? rows[i]!.weakOk : rows[i]!.strongOk) ? 1 : 0), 0);
      return { band: b.below, smallShare: b.smallShare, predicted: b.predictedQuality, quality: correct / Math.max(1, frontierCorrect) };
    };
    for (const target of targets)
      for (const [label, q] of [["default", DEFAULT_FRONTIER_QUALITY], ["the set's", frontierCorrect / idx.length]] as const) {
        const [upper_bound, net] = ESTIMATES.map((e) => outcome(target, q, e));
        if (upper_bound && net) out.push({ set, target, frontierQuality: label, upper_bound, net });
      }
  }
  return out;
}
