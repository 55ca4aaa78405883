import { describe, expect, it } from "vitest";
import type { Classification } from "./classify";
import { routeHeaders } from "./headers";
import { decideRoute } from "./policy";
import { RouterSettingsSchema } from "./settings";

const cls = (complexity: number, over: Partial<Classification> = {}): Classification => ({ intent: "chat", intentConfidence: 0.9, complexity, confidence: 0.9, modelVersion: "t", ...over });
const settings = RouterSettingsSchema.parse({});

describe("decideRoute", () => {
  it("maps calibrated complexity to tiers with the default 0.17 threshold", () => {
    expect(decideRoute(cls(0.12), settings)).toMatchObject({ tier: "small", reason: "complexity_below_threshold", escalate: false, threshold: 0.17 });
    expect(decideRoute(cls(0.3), settings)).toMatchObject({ tier: "frontier", reason: "complexity_above_threshold" });
  });

  it("escalates one tier when confidence is below the threshold", () => {
    expect(decideRoute(cls(0.15, { confidence: 0.1 }), settings)).toMatchObject({ tier: "frontier", reason: "low_confidence", escalate: true });
  });

  it("lets budget pressure keep mid-complexity prompts on the cheaper tier and skips escalation", () => {
    expect(decideRoute(cls(0.18, { confidence: 0.1 }), settings, { budgetPressure: true })).toMatchObject({ tier: "small", reason: "budget_pressure", escalate: false });
    expect(decideRoute(cls(0.4), settings, { budgetPressure: true })).toMatchObject({ tier: "frontier", reason: "complexity_above_threshold" });
  });

  it("honours an explicit model unless the key forbids its tier", () => {
    expect(decideRoute(cls(0.1), settings, { explicitModel: "gpt-x", explicitModelTier: "frontier" })).toMatchObject({ tier: "frontier", reason: "explicit_model" });
    expect(decideRoute(cls(0.1), settings, { explicitModel: "auto", explicitModelTier: "frontier" }).tier).toBe("small");
    expect(decideRoute(cls(0.1), settings, { explicitModel: "gpt-x", explicitModelTier: "frontier", allowedTiers: ["small"] })).toMatchObject({ tier: "small" });
  });

  it("clamps to the key's allowed tiers", () => {
    expect(decideRoute(cls(0.9), settings, { allowedTiers: ["small"] })).toMatchObject({ tier: "small", reason: "tier_not_allowed" });
  });

  it("applies per-tenant and per-feature overrides and intent minimum tiers", () => {
    const s = RouterSettingsSchema.parse({ perTenant: { t1: { bands: [{ below: 0.8, tier: "small" }] } }, perFeature: { "code-review": { minTierByIntent: { coding: "frontier" } } } });
    expect(decideRoute(cls(0.7), s, { tenantId: "t1" }).tier).toBe("small");
    expect(decideRoute(cls(0.1, { intent: "coding" }), s, { feature: "code-review" })).toMatchObject({ tier: "frontier", reason: "intent_min_tier" });
  });

  it("marks cascade when enabled: draft on the cheapest tier, except for very hard prompts", () => {
    const s = RouterSettingsSchema.parse({ cascade: true });
    expect(decideRoute(cls(0.7), s)).toMatchObject({ tier: "frontier", cascade: true, cascadeDraftTier: "small" });
    expect(decideRoute(cls(0.95), s).cascade).toBe(false);
    expect(decideRoute(cls(0.1), s).cascade).toBe(false);
  });

  it("carries the verifier threshold of the tenant or feature", () => {
    const s = RouterSettingsSchema.parse({ cascade: true, cascadeThreshold: 0.4, perFeature: { homework: { cascadeThreshold: 0.2 } } });
    expect(decideRoute(cls(0.7), s).cascadeThreshold).toBe(0.4);
    expect(decideRoute(cls(0.7), s, { feature: "homework" }).cascadeThreshold).toBe(0.2);
    expect(decideRoute(cls(0.7), RouterSettingsSchema.parse({ cascade: true })).cascadeThreshold).toBeUndefined();
    expect(() => RouterSettingsSchema.parse({ cascadeThreshold: 1.5 })).toThrow();
  });

  it("routes everything to the strongest tier when disabled", () => {
    expect(decideRoute(cls(0.1), RouterSettingsSchema.parse({ enabled: false }))).toMatchObject({ tier: "frontier", reason: "router_disabled" });
  });
});

describe("routeHeaders", () => {
  it("explains the decision", () => {
    const h = routeHeaders(decideRoute(cls(0.71234), RouterSettingsSchema.parse({ cascade: true })));
    expect(h).toMatchObject({ "x-route-tier": "frontier", "x-route-complexity": "0.7123", "x-route-reason": "complexity_above_threshold", "x-route-cascade": "small->frontier" });
  });
});
