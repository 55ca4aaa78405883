/** POST /v1/feedback over a real D1 (migrations applied): tenant-scoped, once per request, never a 5xx. */
import fc from "fast-check";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import type { AppEnv, AuthContext, Bindings } from "../app-env";
import { d1Calibration } from "../cache/calibration/calibration-source";
import { checksToCertify } from "../cache/calibration/error-bound";
import { gateFor } from "../cache/calibration/gate";
import { onError } from "../middleware/error-handler";
import { feedbackRoutes } from "./feedback";

let d1: Awaited<ReturnType<typeof startD1>>;
const SCORER = "test-embedder@w0.45";

const caller = (tenantId: string): AuthContext => ({ tenantId, keyId: "k1", role: "service", scopes: [], models: null, tiers: null, features: null });

function app(tenantId: string): Hono<AppEnv> {
  const a = new Hono<AppEnv>();
  a.onError(onError);
  a.use("*", async (c, next) => {
    c.set("auth", caller(tenantId));
    c.set("requestId", "req_feedback");
    await next();
  });
  return a.route("/", feedbackRoutes);
}

const post = (tenantId: string, body: unknown) =>
  app(tenantId).request("http://gw/v1/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }, { DB: d1.db } as unknown as Bindings);

async function trace(tenantId: string, requestId: string, cache: Record<string, unknown>): Promise<void> {
  await d1.db
    .prepare("INSERT INTO request_traces (request_id, tenant_id, trace_json, created_at) VALUES (?1, ?2, ?3, 0)")
    .bind(requestId, tenantId, JSON.stringify({ requestId, decisions: { cache } }))
    .run();
}

const hitIn = (band: number) => ({ status: "hit-semantic", similarity: band / 1000 + 0.005, calibration: { scorer: SCORER, feature: "support", band } });
const counts = () => d1.db.prepare("SELECT band_key, checks, wrong FROM cache_calibration WHERE tenant_id = 'fb-a' ORDER BY band_key").all();

beforeAll(async () => {
  d1 = await startD1();
  await trace("fb-a", "req_hit1", hitIn(740));
  await trace("fb-a", "req_hit2", hitIn(740));
  await trace("fb-a", "req_miss", { status: "miss", reason: "cold-start", nearMiss: { score: 0.7, band: 700, reason: "cold-start", upperBound: 1 } });
  await trace("fb-b", "req_other", hitIn(740));
});
afterAll(async () => d1?.dispose());

describe("POST /v1/feedback", () => {
  it("counts a wrong answer in the band the hit was served from, once", async () => {
    const res = await post("fb-a", { request_id: "req_hit1", verdict: "wrong" });
    expect([res.status, await res.json()]).toEqual([200, { request_id: "req_hit1", verdict: "wrong", recorded: true, counted: true }]);
    expect((await counts()).results).toEqual([{ band_key: 740, checks: 1, wrong: 1 }]);
    const again = await post("fb-a", { request_id: "req_hit1", verdict: "correct" });
    expect(await again.json()).toMatchObject({ recorded: false, counted: false });
    expect((await counts()).results).toEqual([{ band_key: 740, checks: 1, wrong: 1 }]);
  });

  it("stores a 'correct' report without moving the bound", async () => {
    expect(await (await post("fb-a", { request_id: "req_hit2", verdict: "correct" })).json()).toMatchObject({ recorded: true, counted: false });
    expect((await counts()).results).toEqual([{ band_key: 740, checks: 1, wrong: 1 }]);
  });

  it("answers a miss with 409, another tenant's request with 404, a bad body with 400", async () => {
    const miss = await post("fb-a", { request_id: "req_miss", verdict: "wrong" });
    expect([miss.status, ((await miss.json()) as { error: { code: string } }).error.code]).toEqual([409, "not_a_semantic_hit"]);
    expect((await post("fb-a", { request_id: "req_other", verdict: "wrong" })).status).toBe(404);
    const bad = await post("fb-a", { request_id: "req_hit1", verdict: "meh" });
    expect([bad.status, ((await bad.json()) as { error: { param: string } }).error.param]).toEqual([400, "verdict"]);
    expect((await post("fb-a", "{not json")).status).toBe(400);
  });

  it("moves the threshold: reports of wrong answers lift the bound above their band", async () => {
    const n = checksToCertify(0.01);
    await d1.db.prepare("INSERT INTO cache_calibration (tenant_id, feature, scorer_id, band_key, checks, wrong, updated_at) VALUES ('fb-c', 'support', ?1, 740, ?2, 0, 0), ('fb-c', 'support', ?1, 800, ?2, 0, 0)").bind(SCORER, n).run();
    const key = { tenantId: "fb-c", feature: "support", scorerId: SCORER };
    const gate = async (now: number) => gateFor({ counts: await d1Calibration(d1.db).counts(key, now), delta: 0.01, staticThreshold: 0.7, coldThreshold: null });
    expect((await gate(1)).threshold).toBe(0.74);
    for (let i = 0; i < 8; i++) {
      await trace("fb-c", `req_c${i}`, hitIn(740));
      expect((await post("fb-c", { request_id: `req_c${i}`, verdict: "wrong" })).status).toBe(200);
    }
    // A later read (past the isolate cache's TTL) sees the reports.
    expect((await gate(10 * 60_000)).threshold).toBe(0.8);
  });

  it("never answers a 5xx, whatever the body", async () => {
    const body = fc.oneof(
      fc.record({ request_id: fc.oneof(fc.string({ maxLength: 140 }), fc.constantFrom("req_hit1", "req_miss", "req_other", "")), verdict: fc.oneof(fc.constantFrom("correct", "wrong"), fc.string({ maxLength: 8 })) }, { requiredKeys: [] }),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await post("fb-a", b);
        expect(res.status, JSON.stringify(b)).toBeLessThan(500);
      }),
      { numRuns: 80 },
    );
  });
});
