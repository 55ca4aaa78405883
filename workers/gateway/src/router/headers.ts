/** Response headers that explain a routing decision to the client (and to curl users). */
import type { RouteDecision } from "./policy";

export function routeHeaders(d: RouteDecision): Record<string, string> {
  const h: Record<string, string> = {
    "x-route-tier": d.tier,
    "x-route-complexity": d.complexity.toFixed(4),
    "x-route-reason": d.reason,
    "x-route-intent": d.intent,
    "x-route-model-version": d.modelVersion,
  };
  if (d.escalate) h["x-route-escalated"] = "true";
  if (d.cascade && d.cascadeDraftTier) h["x-route-cascade"] = `${d.cascadeDraftTier}->${d.tier}`;
  return h;
}
