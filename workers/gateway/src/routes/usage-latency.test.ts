/** GET /v1/usage/latency over a real D1 (migrations applied): whole-range percentiles, scope, bad input. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { bucketOf } from "../../../../shared/latency-histogram";
import type { AuthContext, Bindings } from "../app-env";
import { appAs, viewer } from "./test-app";
import { usageLatencyRoutes } from "./usage-latency";

let d1: Awaited<ReturnType<typeof startD1>>;
const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

const caller = viewer;
const app = (auth: AuthContext) => appAs(auth, usageLatencyRoutes);

interface Summary {
  feature: string | null;
  latencyMs: { count: number; p50: number | null; p95: number | null; p99: number | null };
  ttftMs: { count: number; p50: number | null };
  judge: { judged: number; meanScore: number | null };
}
const get = async (auth: AuthContext, query = ""): Promise<Response> => app(auth).request(`http://gw/v1/usage/latency${query}`, {}, { DB: d1.db } as unknown as Bindings);
const summary = async (auth: AuthContext, query = ""): Promise<Summary> => (await (await get(auth, query)).json()) as Summary;

/** Counts values into the histogram as the evaluator does (one row per bucket and hour). */
async function observe(tenant: string, feature: string, hour: number, metric: "latency" | "ttft", values: number[]): Promise<void> {
  const insert = "INSERT INTO latency_histograms_hourly (tenant_id, hour, feature, metric, bucket, count) VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT DO UPDATE SET count = count + 1";
  await d1.db.batch(values.map((v) => d1.db.prepare(insert).bind(tenant, hour, feature, metric, bucketOf(v))));
}

async function evaluation(tenant: string, id: string, feature: string, at: number, score: number): Promise<void> {
  await d1.db
    .prepare("INSERT INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, ?3, 'm', 'small', 'ok', ?4, '[]', '[]', 'p1', ?5, ?5)")
    .bind(id, tenant, feature, score, at)
    .run();
}

// 100 fast requests an hour ago, 100 slow ones six days ago: the newest 500 of a large range would
// be all fast; the whole range is half and half.
const FAST = Array.from({ length: 100 }, (_, i) => 100 + i);
const SLOW = Array.from({ length: 100 }, (_, i) => 4_000 + i * 10);

beforeAll(async () => {
  d1 = await startD1();
  await observe("acme", "support", NOW - HOUR, "latency", FAST);
  await observe("acme", "search", NOW - 6 * 24 * HOUR, "latency", SLOW);
  await observe("acme", "support", NOW - HOUR, "ttft", [40, 50, 60]);
  await observe("globex", "support", NOW - HOUR, "latency", [99_000]);
  await evaluation("acme", "e1", "support", NOW - HOUR, 0.9);
  await evaluation("acme", "e2", "search", NOW - 6 * 24 * HOUR, 0.5);
});
afterAll(async () => d1?.dispose());

describe("GET /v1/usage/latency", () => {
  it("estimates percentiles over the whole range, within one 1.25x bucket of the true values", async () => {
    const s = await summary(caller("acme"));
    expect(s.latencyMs.count).toBe(200);
    // True nearest-rank values: p50 = 199 ms (the last fast one), p95 = 4,940 ms, p99 = 4,980 ms.
    for (const [est, truth] of [[s.latencyMs.p50, 199], [s.latencyMs.p95, 4_940], [s.latencyMs.p99, 4_980]] as const) {
      expect(Math.abs((est ?? 0) - truth) / truth).toBeLessThan(0.25);
    }
    expect(s.ttftMs.count).toBe(3);
    expect(s.judge).toEqual({ judged: 2, meanScore: 0.7 });
  });

  it("narrows to the range and to one feature", async () => {
    const lastDay = await summary(caller("acme"), `?from=${new Date(NOW - 24 * HOUR).toISOString()}`);
    expect(lastDay.latencyMs.count).toBe(100);
    expect(lastDay.latencyMs.p99).toBeLessThan(250);
    const search = await summary(caller("acme"), "?feature=search");
    expect([search.feature, search.latencyMs.count, search.ttftMs.count, search.judge.meanScore]).toEqual(["search", 100, 0, 0.5]);
  });

  it("never reads another tenant's or a feature outside the key's allow-list", async () => {
    expect((await summary(caller("initech"))).latencyMs).toEqual({ count: 0, p50: null, p95: null, p99: null, overflow: false });
    const limited = await summary(caller("acme", ["support"]));
    expect(limited.latencyMs.count).toBe(100);
    expect((await summary(caller("acme", ["support"]), "?feature=search")).latencyMs.count).toBe(0);
  });

  it("answers any query string with 200 or a 400, never a 5xx", async () => {
    expect((await get(caller("acme"), `?from=${new Date(NOW - 500 * 24 * HOUR).toISOString()}`)).status).toBe(400);
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
    const key = fc.constantFrom("from", "to", "feature", "tenant", "groupBy");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 4 }), fc.boolean(), async (pairs, limited) => {
        const res = await get(caller("acme", limited ? ["support"] : null), `?${new URLSearchParams(pairs).toString()}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 80 },
    );
  });
});
