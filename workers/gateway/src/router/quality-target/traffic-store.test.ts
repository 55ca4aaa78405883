import { beforeEach, describe, expect, it } from "vitest";
import { clearTrafficCache, featureScope, trafficFor, trafficKey, TRAFFIC_TTL_MS } from "./traffic-store";
import type { TrafficSummary } from "../../../../../shared/router-traffic/traffic-summary";

const summary: TrafficSummary = { version: 1, from: 0, to: 1, requests: 2, bins: [[40, 2, 0.41]], judged: {} };

/** A KV stand-in counting reads; `fail` makes every read throw. */
function kv(values: Record<string, unknown>, fail = false) {
  const reads: string[] = [];
  const ns = {
    get: async (key: string) => {
      reads.push(key);
      if (fail) throw new Error("KV unavailable");
      return values[key] ?? null;
    },
  } as unknown as KVNamespace;
  return { ns, reads };
}

beforeEach(() => clearTrafficCache());

describe("trafficFor", () => {
  it("reads the feature's and the tenant's published windows, once a minute per isolate", async () => {
    const store = kv({ [trafficKey("t1", featureScope("chat"))]: summary, [trafficKey("t1", "all")]: summary });
    expect(await trafficFor(store.ns, "t1", "chat", 1_000)).toEqual({ feature: summary, tenant: summary });
    await trafficFor(store.ns, "t1", "chat", 1_000 + TRAFFIC_TTL_MS - 1);
    expect(store.reads).toHaveLength(2);
    await trafficFor(store.ns, "t1", "chat", 1_000 + TRAFFIC_TTL_MS);
    expect(store.reads).toHaveLength(4);
  });

  it("keeps scopes apart: no feature is its own scope, a feature named like a scope cannot collide", () => {
    expect(featureScope(null)).toBe("none");
    expect(featureScope("")).toBe("none");
    expect(featureScope("none")).toBe("f:none");
    expect(featureScope("all")).toBe("f:all");
  });

  it("treats a malformed value or an unreadable KV as absent (cold start), without retrying every request", async () => {
    const bad = kv({ [trafficKey("t2", "all")]: { version: 2, bins: "x" } });
    expect(await trafficFor(bad.ns, "t2", null, 0)).toEqual({ feature: null, tenant: null });
    const down = kv({}, true);
    expect(await trafficFor(down.ns, "t3", null, 0)).toEqual({ feature: null, tenant: null });
    await trafficFor(down.ns, "t3", null, 1);
    expect(down.reads).toHaveLength(2);
  });
});
