import { describe, expect, it } from "vitest";
import type { Classification } from "./classify";
import { routeHeaders } from "./headers";
import { decideRoute } from "./policy";
import { RouterSettingsSchema } from "./settings";
import { binOf, mergeBins, type TrafficSummary } from "../../../../shared/router-traffic/traffic-summary";

const cls = (complexity: number, over: Partial<Classification> = {}): Classification => ({ intent: "chat", intentConfidence: 0.9, complexity, modelVersion: "t", ...over });
const settings = RouterSettingsSchema.parse({});

describe("decideRoute", () => {
  it("maps calibrated complexity to tiers with the default 0.17 threshold", () => {
    expect(decideRoute(cls(0.12), settings)).toMatchObject({ tier: "small", reason: "complexity_below_threshold", escalate: false, threshold: 0.17, band: { below: 0.17, source: "static" } });
    expect(decideRoute(cls(0.3), settings)).toMatchObject({ tier: "frontier", reason: "complexity_above_threshold" });
  });

  it("escalates one tier when unsure: near the band in force with a diffuse intent", () => {
    expect(decideRoute(cls(0.16, { intentConfidence: 0.3 }), settings)).toMatchObject({ tier: "frontier", reason: "low_confidence", escalate: true });
    // Far below the band, the same diffuse intent is not enough to escalate; a peaked intent near the band is not either.
    expect(decideRoute(cls(0.02, { intentConfidence: 0.3 }), settings)).toMatchObject({ tier: "small", escalate: false });
    expect(decideRoute(cls(0.16, { intentConfidence: 0.9 }), settings)).toMatchObject({ tier: "small", escalate: false });
  });

  it("measures confidence from the band in force, not from 0.5", () => {
    const near = decideRoute(cls(0.16), settings).confidence;
    const far = decideRoute(cls(0.02), settings).confidence;
    expect(far).toBeGreaterThan(near);
    // With the band at 0.5 it is the old |2c - 1| blend.
    const half = RouterSettingsSchema.parse({ bands: [{ below: 0.5, tier: "small" }] });
    expect(decideRoute(cls(0.1), half).confidence).toBeCloseTo(0.5 * 0.8 + 0.5 * 0.9, 6);
  });

  it("lets budget pressure keep mid-complexity prompts on the cheaper tier and skips escalation", () => {
    expect(decideRoute(cls(0.18, { intentConfidence: 0.1 }), settings, { budgetPressure: true })).toMatchObject({ tier: "small", reason: "budget_pressure", escalate: false });
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

  it("marks cascade when enabled: draft on the cheapest tier, except where the small tier more likely loses than not", () => {
    const s = RouterSettingsSchema.parse({ cascade: true });
    expect(decideRoute(cls(0.45), s)).toMatchObject({ tier: "frontier", cascade: true, cascadeDraftTier: "small" });
    expect(decideRoute(cls(0.5), s).cascade).toBe(false);
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

describe("decideRoute with a quality target", () => {
  // 300 requests of one feature: 100 at 0.22, 200 at 0.3 (a maths-heavy mix above the static 0.17).
  const hist = (requests: Array<[number, number]>): TrafficSummary => ({
    version: 1, from: 0, to: 1, judged: {},
    requests: requests.reduce((n, [, k]) => n + k, 0),
    bins: mergeBins([requests.map(([c, k]): [number, number, number] => [binOf(c), k, c * k])]),
  });
  const feature = hist([[0.22, 100], [0.3, 200]]);
  const targeted = RouterSettingsSchema.parse({ qualityTarget: 0.95 });

  it("derives the band from the feature's traffic, records it, and explains it in x-route-reason", () => {
    const d = decideRoute(cls(0.2), targeted, { traffic: { feature, tenant: null } });
    expect(d).toMatchObject({ tier: "small", band: { source: "quality_target", scope: "feature", target: 0.95 } });
    // 0.05 x 0.85 x 300 = 12.75 expected losses: 57 of the 0.22 requests fit.
    expect(d.band.below).toBeGreaterThan(0.22);
    expect(d.band.below).toBeLessThan(0.225);
    expect(d.band.derived?.smallShare).toBeCloseTo(12.75 / 0.22 / 300, 2);
    expect(d.threshold).toBe(d.band.below);
    expect(routeHeaders(d)["x-route-reason"]).toBe(`complexity_below_threshold; band=${d.band.below.toFixed(4)} quality_target`);
  });

  it("falls back to the tenant's traffic, then to the static band (cold start)", () => {
    const few = hist([[0.22, 10]]);
    expect(decideRoute(cls(0.2), targeted, { traffic: { feature: few, tenant: feature } }).band).toMatchObject({ source: "quality_target", scope: "tenant" });
    const cold = decideRoute(cls(0.2), targeted, { traffic: { feature: few, tenant: null } });
    expect(cold).toMatchObject({ tier: "frontier", threshold: 0.17, band: { below: 0.17, source: "cold_start" } });
    expect(decideRoute(cls(0.2), targeted).band.source).toBe("cold_start");
  });

  it("applies per feature, can be switched off by a layer, and keeps the budget-pressure shift on top", () => {
    const s = RouterSettingsSchema.parse({ perFeature: { chat: { qualityTarget: 0.95 } }, perTenant: { t2: { qualityTarget: 0.9 } } });
    const traffic = { feature, tenant: null };
    expect(decideRoute(cls(0.2), s, { traffic }).band.source).toBe("static");
    expect(decideRoute(cls(0.2), s, { traffic, feature: "chat" }).band.source).toBe("quality_target");
    const off = RouterSettingsSchema.parse({ qualityTarget: 0.95, perFeature: { legacy: { qualityTarget: null } } });
    expect(decideRoute(cls(0.2), off, { traffic, feature: "legacy" }).band.source).toBe("static");
    const loose = decideRoute(cls(0.2), s, { traffic, tenantId: "t2" });
    expect(loose.band.below).toBeGreaterThan(decideRoute(cls(0.2), s, { traffic, feature: "chat" }).band.below);
    const pressed = decideRoute(cls(0.24), targeted, { traffic, budgetPressure: true });
    expect(pressed).toMatchObject({ tier: "small", reason: "budget_pressure" });
    expect(pressed.threshold).toBeCloseTo(pressed.band.below + 0.03, 9);
  });

  it("credits the small tier's wins when the model ships a win curve, unless the setting asks for the bound", () => {
    // A flat 5% chance that the small tier is right where the frontier is wrong.
    const winCurve = { alpha: 0, beta: Math.log(0.05 / 0.95) };
    const net = decideRoute(cls(0.2, { winCurve }), targeted, { traffic: { feature, tenant: null } });
    // 12.75 expected losses at 0.22 − 0.05 each: 75 of the 0.22 requests fit instead of 57.
    expect(net.band.derived).toMatchObject({ estimate: "net" });
    expect(net.band.derived?.smallShare).toBeCloseTo(12.75 / 0.17 / 300, 2);
    const bound = RouterSettingsSchema.parse({ qualityTarget: 0.95, qualityEstimate: "upper_bound" });
    const old = decideRoute(cls(0.2, { winCurve }), bound, { traffic: { feature, tenant: null } });
    expect(old.band.derived).toMatchObject({ estimate: "upper_bound" });
    expect(old.band.below).toBe(decideRoute(cls(0.2), targeted, { traffic: { feature, tenant: null } }).band.below);
    expect(decideRoute(cls(0.2), targeted, { traffic: { feature, tenant: null } }).band.derived?.estimate).toBe("upper_bound");
  });

  it("keeps bands ordered: a derived band never passes the next tier's boundary", () => {
    const three = RouterSettingsSchema.parse({ qualityTarget: 0.5, tiers: ["small", "medium", "frontier"], bands: [{ below: 0.1, tier: "small" }, { below: 0.25, tier: "medium" }] });
    const d = decideRoute(cls(0.24), three, { traffic: { feature, tenant: null } });
    expect(d.band.below).toBe(0.25);
    expect(d.tier).toBe("small");
  });
});

describe("routeHeaders", () => {
  it("explains the decision", () => {
    const h = routeHeaders(decideRoute(cls(0.41234), RouterSettingsSchema.parse({ cascade: true })));
    expect(h).toMatchObject({ "x-route-tier": "frontier", "x-route-complexity": "0.4123", "x-route-reason": "complexity_above_threshold; band=0.1700 static", "x-route-cascade": "small->frontier" });
  });
});
