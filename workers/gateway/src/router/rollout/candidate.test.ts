import { describe, expect, it } from "vitest";
import { buildRouter } from "../router";
import { DEFAULT_ROUTER_SETTINGS, RouterSettingsSchema, type RouterSettings } from "../settings";
import { candidateSettings, effectiveRollout, rolloutPair } from "./candidate";

const canary = (extra: Record<string, unknown> = {}): RouterSettings =>
  RouterSettingsSchema.parse({ rollout: { mode: "canary", candidateVersion: "thresh-0.7", percent: 10, candidate: { bands: [{ below: 0.7, tier: "small" }] }, ...extra } });

describe("rollout settings", () => {
  it("defaults to off, so tenants without a rollout are unaffected", () => {
    expect(RouterSettingsSchema.parse({}).rollout).toMatchObject({ mode: "off", candidate: {}, bounds: { maxQualityDrop: 0.03, maxCostIncrease: 0.1, minSamples: 200 } });
  });

  it("requires a version label when on, a header-safe one, and rejects unknown candidate fields", () => {
    expect(RouterSettingsSchema.safeParse({ rollout: { mode: "shadow" } }).success).toBe(false);
    expect(RouterSettingsSchema.safeParse({ rollout: { mode: "shadow", candidateVersion: "a b\n" } }).success).toBe(false);
    expect(RouterSettingsSchema.safeParse({ rollout: { mode: "shadow", candidateVersion: "v2", candidate: { band: [] } } }).success).toBe(false);
    expect(RouterSettingsSchema.safeParse({ rollout: { mode: "off", candidate: { confidenceThreshold: 0.1 } } }).success).toBe(true);
  });

  it("layers the candidate's overrides over the control settings, with its own rollout off", () => {
    const control = canary();
    const c = candidateSettings({ ...control, minTierByIntent: { coding: "frontier" } });
    expect(c.bands).toEqual([{ below: 0.7, tier: "small" }]);
    expect(c.confidenceThreshold).toBe(control.confidenceThreshold);
    expect(c.minTierByIntent).toEqual({ coding: "frontier" });
    expect(c.rollout.mode).toBe("off");
    expect(control.bands).toEqual(DEFAULT_ROUTER_SETTINGS.bands);
  });
});

describe("effectiveRollout", () => {
  it("turns a rolled-back canary, or one whose markers cannot be read, into shadow", () => {
    const r = canary().rollout;
    expect(effectiveRollout(r, new Set()).mode).toBe("canary");
    expect(effectiveRollout(r, new Set(["other"])).mode).toBe("canary");
    expect(effectiveRollout(r, new Set(["thresh-0.7"])).mode).toBe("shadow");
    expect(effectiveRollout(r, null).mode).toBe("shadow");
    const shadow = RouterSettingsSchema.parse({ rollout: { mode: "shadow", candidateVersion: "x" } }).rollout;
    expect(effectiveRollout(shadow, new Set(["x"])).mode).toBe("shadow");
  });
});

describe("rolloutPair", () => {
  it("classifies once when both arms use the same model", async () => {
    let calls = 0;
    const backend = async () => {
      calls++;
      return { intentProbs: Float32Array.from([0.9, ...new Array(11).fill(0.1 / 11)]), complexity: 0.6 };
    };
    const control = buildRouter({ backend, modelVersion: "v1" });
    const candidate = buildRouter({ backend, modelVersion: "v1" }, candidateSettings(canary()));
    const req = { messages: [{ role: "user" as const, content: "hello" }] };
    const [a, b] = rolloutPair(control, candidate, req);
    const [da, db] = await Promise.all([a.route(req), b?.route(req)]);
    expect([da.tier, db?.tier]).toEqual(["frontier", "small"]);
    expect(calls).toBe(1);
  });
});
