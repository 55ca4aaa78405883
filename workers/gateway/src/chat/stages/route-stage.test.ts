import { beforeEach, describe, expect, it, vi } from "vitest";
import { ModelRegistry } from "../../config/model-registry";
import { buildRouter } from "../../router/router";
import { clearMarkerCache } from "../../router/rollout/rollout-marker";
import { clearTrafficCache, trafficKey } from "../../router/quality-target/traffic-store";
import { RouterSettingsSchema, type RouterSettingsInput } from "../../router/settings";
import type { ChatExchange } from "../exchange";
import { chooseRoute } from "./route-stage";

// The shipped router needs ORT + .onnx bundle modules; a fixed classification (complexity 0.6)
// makes control (small below 0.5) pick frontier and the candidate (small below 0.7) pick small.
vi.mock("../../router/worker-router", () => ({
  createRouter: (settings: RouterSettingsInput) =>
    buildRouter({ backend: async () => ({ intentProbs: Float32Array.from([0.9, ...new Array(11).fill(0.1 / 11)]), complexity: 0.6 }), modelVersion: "1.0.0+test" }, settings),
}));

const upstream = { kind: "openai-compatible" as const, baseUrl: "http://127.0.0.1:1/v1" };
const model = (id: string, tier: string) => ({ id, tier, upstreamModel: id, upstream, pricing: { kind: "per-token" as const, inputPer1M: 1, outputPer1M: 1 }, contextWindow: 8192, maxOutputTokens: 4096 });
const registry = new ModelRegistry({
  tiers: [{ id: "small", rank: 0, selfHosted: true }, { id: "frontier", rank: 1, selfHosted: false }],
  defaultTier: "small",
  counterfactualModel: "f1",
  models: [model("s1", "small"), model("f1", "frontier")],
});

function exchange(requestId: string, tenantId = "t-roll"): ChatExchange {
  const request = { model: "auto", messages: [{ role: "user" as const, content: "hello" }] };
  const auth = { tenantId, keyId: "k", role: "service" as const, scopes: [], models: null, tiers: null, features: null };
  return { requestId, auth, feature: null, original: request, request, decisions: {}, headers: {}, attempts: [] } as unknown as ChatExchange;
}

/** A D1 stand-in answering the rollback-marker query. */
function markerDb(rolledBack: string[], fail = false): D1Database {
  const all = async () => {
    if (fail) throw new Error("D1 unavailable");
    return { results: rolledBack.map((v) => ({ candidate_version: v })) };
  };
  return { prepare: () => ({ bind: () => ({ all }) }) } as unknown as D1Database;
}

const settings = (mode: "shadow" | "canary", percent = 10) =>
  RouterSettingsSchema.parse({ rollout: { mode, percent, candidateVersion: "thresh-0.7", candidate: { bands: [{ below: 0.7, tier: "small" }] } } });

const route = async (ex: ChatExchange, s: ReturnType<typeof settings>, db?: D1Database) => {
  await chooseRoute(ex, { kind: "auto" }, registry, s, null, db);
  return ex.decisions.route as Record<string, unknown>;
};

beforeEach(() => {
  clearMarkerCache();
  clearTrafficCache();
});

describe("route stage with a rollout", () => {
  it("records version and arm without a rollout, and no shadow", async () => {
    const ex = exchange("r-off");
    expect(await route(ex, RouterSettingsSchema.parse({}))).toMatchObject({ tier: "frontier", version: "1.0.0+test", arm: "control" });
    expect(ex.decisions.route).not.toHaveProperty("shadow");
    expect(ex.headers["x-route-version"]).toBe("1.0.0+test");
  });

  it("shadow: control decides, the candidate's decision is recorded", async () => {
    const ex = exchange("r-shadow");
    const r = await route(ex, settings("shadow"), markerDb([]));
    expect(r).toMatchObject({ tier: "frontier", arm: "control", version: "1.0.0+test", shadow: { tier: "small", version: "thresh-0.7", reason: "complexity_below_threshold" } });
    expect(ex.headers["x-route-tier"]).toBe("frontier");
  });

  it("canary: the arm is deterministic per request id and the candidate's share is close to percent", async () => {
    const s = settings("canary", 20);
    const db = markerDb([]);
    const arms: string[] = [];
    for (let i = 0; i < 2000; i++) arms.push(String((await route(exchange(`req-${i}`), s, db)).arm));
    const share = arms.filter((a) => a === "candidate").length / arms.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    const i = arms.indexOf("candidate");
    const again = exchange(`req-${i}`);
    expect(await route(again, s, db)).toMatchObject({ arm: "candidate", tier: "small", version: "thresh-0.7", shadow: { tier: "frontier", version: "1.0.0+test" } });
    expect(again.headers["x-route-version"]).toBe("thresh-0.7");
  });

  it("rolled back (or markers unreadable): control serves every request, the candidate only shadows", async () => {
    for (const db of [markerDb(["thresh-0.7"]), markerDb([], true)]) {
      clearMarkerCache();
      const s = settings("canary", 100);
      const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => route(exchange(`rb-${i}`), s, db)));
      expect(rs.every((r) => r.arm === "control" && r.tier === "frontier")).toBe(true);
      expect(rs[0]).toMatchObject({ shadow: { tier: "small", version: "thresh-0.7" } });
    }
  });
});

describe("route stage with a quality target", () => {
  // The tenant's published traffic: 200 requests at 0.05 and 100 at 0.7; a 0.9 target's budget
  // (0.1 x 0.85 x 300 = 25.5) covers the easy ones and a few hard ones: band just above 0.7.
  const published = { version: 1, from: 0, to: 1, requests: 300, bins: [[10, 200, 10], [140, 100, 70]], judged: {} };
  const kvWith = (values: Record<string, unknown>) => {
    const reads: string[] = [];
    return { reads, ns: { get: async (key: string) => (reads.push(key), values[key] ?? null) } as unknown as KVNamespace };
  };

  it("reads the published traffic only for targeted tenants and records the band in force", async () => {
    const kv = kvWith({ [trafficKey("t-qt", "all")]: published });
    const plain = exchange("q-plain", "t-qt");
    await chooseRoute(plain, { kind: "auto" }, registry, RouterSettingsSchema.parse({}), null, undefined, kv.ns);
    expect(kv.reads).toHaveLength(0);
    expect(plain.headers["x-route-reason"]).toBe("complexity_above_threshold; band=0.1700 static");

    const ex = exchange("q-target", "t-qt");
    await chooseRoute(ex, { kind: "auto" }, registry, RouterSettingsSchema.parse({ qualityTarget: 0.9, qualityBandMax: 0.8 }), null, undefined, kv.ns);
    expect(kv.reads.length).toBe(2);
    const r = ex.decisions.route as { tier: string; band: Record<string, unknown> };
    expect(r.tier).toBe("small");
    expect(r.band).toMatchObject({ source: "quality_target", scope: "tenant", target: 0.9, requests: 300, frontierQualitySource: "default" });
    expect(ex.headers["x-route-reason"]).toBe("complexity_below_threshold; band=0.7011 quality_target");
  });

  it("without published traffic a targeted tenant starts on the static band", async () => {
    const ex = exchange("q-cold", "t-cold");
    await chooseRoute(ex, { kind: "auto" }, registry, RouterSettingsSchema.parse({ qualityTarget: 0.9 }), null, undefined, kvWith({}).ns);
    expect(ex.decisions.route).toMatchObject({ tier: "frontier", band: { source: "cold_start", below: 0.17 } });
  });
});
