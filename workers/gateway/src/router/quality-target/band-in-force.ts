/**
 * Which cheapest-tier band a decision uses: the static `bands[0].below`, or with a
 * `qualityTarget` the band set from published traffic, scope by scope (the feature's own
 * window, then the tenant's whole traffic): from the window's judged small-tier outcomes when it
 * has `qualityMinLabels` of them (the labelled band, certified at 95% confidence:
 * labelled-band.ts), else derived label-free from its complexities when it has
 * `qualityMinRequests` requests; else the static band (cold start). Recorded in the decision,
 * the trace and `x-route-reason`.
 */
import type { RouterSettings } from "../settings";
import { frontierQualityOf, qualityTargetBand, type QualityBand } from "./derive-band";
import { labelCount, labelledBand, type LabelledBand } from "./labelled-band";
import type { TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";
import type { WinCurve } from "./win-curve";

/** The evaluator's published windows for the request's feature and for the whole tenant. */
export interface TrafficPair {
  feature: TrafficSummary | null;
  tenant: TrafficSummary | null;
}

export type BandSource = "static" | "quality_target" | "quality_target_labelled" | "cold_start";

export interface BandInForce {
  below: number;
  source: BandSource;
  /** With a quality target: the share of all-frontier quality to keep. */
  target?: number;
  /** Whose traffic the band came from. */
  scope?: "feature" | "tenant";
  derived?: QualityBand;
  /** Set from judged outcomes (source `quality_target_labelled`). */
  labelled?: LabelledBand;
}

/** `winCurve`: the model's P(small better) by complexity (its manifest); without it the band uses the loss's upper bound. */
export function bandInForce(s: RouterSettings, traffic: TrafficPair | null, winCurve?: WinCurve): BandInForce {
  const staticBelow = s.bands[0]!.below;
  const target = s.qualityTarget ?? null;
  if (target === null) return { below: staticBelow, source: "static" };
  const opts = {
    target,
    ...(s.frontierQuality !== undefined ? { frontierQuality: s.frontierQuality } : {}),
    frontierTier: s.tiers[s.tiers.length - 1]!,
    min: s.qualityBandMin,
    max: s.qualityBandMax,
    minRequests: s.qualityMinRequests,
    estimate: s.qualityEstimate,
    ...(winCurve ? { winCurve } : {}),
  };
  // A derived band never passes the next band's boundary: bands stay ordered.
  const ceiling = s.bands[1]?.below ?? 1;
  for (const scope of ["feature", "tenant"] as const) {
    const summary = traffic?.[scope] ?? null;
    const labelled = summary && labelCount(summary) >= s.qualityMinLabels ? labelledBand(summary, { target, frontierQuality: frontierQualityOf(summary, opts).q, min: opts.min, max: opts.max }) : null;
    if (labelled) return { below: Math.min(labelled.below, ceiling), source: "quality_target_labelled", target, scope, labelled };
    const derived = qualityTargetBand(summary, opts);
    if (derived) return { below: Math.min(derived.below, ceiling), source: "quality_target", target, scope, derived };
  }
  return { below: staticBelow, source: "cold_start", target };
}

/** `x-route-reason` suffix: `band=0.2650 quality_target` (what the decision compared complexity with). */
export const bandNote = (b: BandInForce): string => `band=${b.below.toFixed(4)} ${b.source}`;
