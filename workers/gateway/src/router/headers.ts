/** Response headers that explain a routing decision to the client (and to curl users). */
import type { RouteDecision } from "./policy";
import { bandNote } from "./quality-target/band-in-force";

/** `complexity_below_threshold; band=0.2650 quality_target`: the reason and the band it was decided against. */
export const routeReasonHeader = (d: RouteDecision): string => (d.reason === "explicit_model" ? d.reason : `${d.reason}; ${bandNote(d.band)}`);

export function routeHeaders(d: RouteDecision): Record<string, string> {
  const h: Record<string, string> = {
    "x-route-tier": d.tier,
    "x-route-complexity": d.complexity.toFixed(4),
    "x-route-reason": routeReasonHeader(d),
    "x-route-intent": d.intent,
    "x-route-model-version": d.modelVersion,
  };
  if (d.escalate) h["x-route-escalated"] = "true";
  if (d.cascade && d.cascadeDraftTier) h["x-route-cascade"] = `${d.cascadeDraftTier}->${d.tier}`;
  return h;
}
