/**
 * The quality-target band (workers/gateway/src/router/quality-target/) on each left-out set:
 * the set's complexities are held-out predictions (complexity model and Platt calibration both
 * fitted without the set), the band is derived from them alone (label-free, as the evaluator's
 * job does from a tenant's traffic), and only the measured quality reads the labels. Frontier
 * quality: the documented default (0.85), or the set's own (what judged frontier answers would
 * estimate), to show what the estimate is worth.
 */
import { DEFAULT_FRONTIER_QUALITY, qualityTargetBand } from "../../../workers/gateway/src/router/quality-target/derive-band";
import { summaryOf } from "../../../workers/gateway/src/router/quality-target/traffic-summary";
import { DEFAULT_ROUTER_SETTINGS } from "../../../workers/gateway/src/router/settings";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { applyPlatt } from "./calibration";
import { lodoPlatt, MAIN_FAMILIES } from "./lodo";

export interface TargetLine {
  set: string;
  target: number;
  frontierQuality: "default" | "the set's";
  band: number;
  smallShare: number;
  predicted: number;
  /** Correct answers / all-frontier correct answers, from the labels. */
  quality: number;
}

export const QUALITY_TARGETS = [0.9, 0.95, 0.97] as const;

export function qualityTargetLines(rows: readonly OutcomeRow[], heldLogits: Float64Array, targets: readonly number[] = QUALITY_TARGETS): TargetLine[] {
  const out: TargetLine[] = [];
  const s = DEFAULT_ROUTER_SETTINGS;
  for (const set of MAIN_FAMILIES) {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]!.family === set && rows[i]!.pair === "mixtral-gpt4");
    if (!idx.length) continue;
    const others = rows.map((_, i) => i).filter((i) => rows[i]!.family !== set);
    const platt = lodoPlatt(others.map((i) => rows[i]!), Float64Array.from(others, (i) => heldLogits[i]!));
    const c = idx.map((i) => applyPlatt(platt, heldLogits[i]!));
    const frontierCorrect = idx.filter((i) => rows[i]!.strongOk).length;
    const summary = summaryOf(c);
    for (const target of targets)
      for (const [label, q] of [["default", DEFAULT_FRONTIER_QUALITY], ["the set's", frontierCorrect / idx.length]] as const) {
        const b = qualityTargetBand(summary, { target, frontierQuality: q, frontierTier: "frontier", min: s.qualityBandMin, max: s.qualityBandMax, minRequests: 1 });
        if (!b) continue;
        const correct = idx.reduce((n, i, k) => n + ((c[k]! < b.below ? rows[i]!.weakOk : rows[i]!.strongOk) ? 1 : 0), 0);
        out.push({ set, target, frontierQuality: label, band: b.below, smallShare: b.smallShare, predicted: b.predictedQuality, quality: correct / Math.max(1, frontierCorrect) });
      }
  }
  return out;
}
