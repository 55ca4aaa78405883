import { describe, expect, it } from "vitest";
import { CacheSettingsSchema, DEFAULT_SEMANTIC_THRESHOLD, resolvePolicy } from "./settings";

describe("cache settings", () => {
  it("fills defaults from an empty object", () => {
    const s = CacheSettingsSchema.parse({});
    expect(resolvePolicy(s, "any", null)).toMatchObject({ enabled: true, threshold: DEFAULT_SEMANTIC_THRESHOLD, ttlSeconds: 86_400, scopeBy: { feature: true, key: false } });
  });

  it("layers tenant then feature over defaults", () => {
    const s = CacheSettingsSchema.parse({
      defaults: { ttlSeconds: 600 },
      tenants: { acme: { threshold: 0.95, scopeBy: { endUser: true }, features: { legal: { semantic: false, ttlSeconds: 120 } } } },
    });
    expect(resolvePolicy(s, "acme", "legal")).toMatchObject({ threshold: 0.95, semantic: false, ttlSeconds: 120, scopeBy: { endUser: true, feature: true } });
    expect(resolvePolicy(s, "acme", "chat")).toMatchObject({ threshold: 0.95, semantic: true, ttlSeconds: 600 });
    expect(resolvePolicy(s, "other", "legal")).toMatchObject({ threshold: DEFAULT_SEMANTIC_THRESHOLD, ttlSeconds: 600 });
  });

  it("ignores inherited properties as tenant or feature ids", () => {
    const s = CacheSettingsSchema.parse({ tenants: { acme: { threshold: 0.95 } } });
    expect(resolvePolicy(s, "constructor", "toString").threshold).toBe(DEFAULT_SEMANTIC_THRESHOLD);
    expect(resolvePolicy(s, "acme", "constructor").threshold).toBe(0.95);
  });

  it("takes a maximum false-hit rate, a cold start and a shadow rate per tenant and feature", () => {
    const s = CacheSettingsSchema.parse({ tenants: { acme: { maxFalseHitRate: 0.02, features: { legal: { maxFalseHitRate: 0.005, coldThreshold: "exact", shadowRate: 0.5 } } } } });
    expect(resolvePolicy(s, "acme", "legal")).toMatchObject({ maxFalseHitRate: 0.005, coldThreshold: "exact", shadowRate: 0.5 });
    expect(resolvePolicy(s, "acme", "chat")).toMatchObject({ maxFalseHitRate: 0.02, coldThreshold: "auto" });
    expect(resolvePolicy(s, "other", null)).toMatchObject({ maxFalseHitRate: 0.01, coldThreshold: "auto", shadowRate: 0.25 });
    // null: the static threshold, no feedback used.
    expect(resolvePolicy(CacheSettingsSchema.parse({ defaults: { maxFalseHitRate: null } }), "x", null).maxFalseHitRate).toBeNull();
    for (const bad of [{ maxFalseHitRate: 0.5 }, { maxFalseHitRate: 0 }, { coldThreshold: "loose" }, { coldThreshold: 0.2 }, { shadowRate: 2 }]) {
      expect(CacheSettingsSchema.safeParse({ defaults: bad }).success).toBe(false);
    }
  });

  it("rejects out-of-range values", () => {
    expect(CacheSettingsSchema.safeParse({ defaults: { threshold: 1.5 } }).success).toBe(false);
    expect(CacheSettingsSchema.safeParse({ defaults: { ttlSeconds: 10 } }).success).toBe(false);
  });
});
