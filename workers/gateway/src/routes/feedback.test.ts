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

const caller = (tenantId: string, features: readonly string[] | null): AuthContext => ({ tenantId, keyId: "k1", role: "service", scopes: [], models: null, tiers: null, features });

function app(tenantId: string, features: readonly string[] | null): Hono<AppEnv> {
  const a = new Hono<AppEnv>();
  a.onError(onError);
  a.use("*", async (c, next) => {
    c.set("auth", caller(tenantId, features));
    c.set("requestId", "req_feedback");
    await next();
  });
  return a.route("/", feedbackRoutes);
}

const post = (tenantId: string, body: unknown, features: readonly string[] | null = null) =>
  app(tenantId, features).request("http://gw/v1/feedback", { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }, { DB: d1.db } as unknown as Bindings);

/** A request as the evaluator books it: its ledger row (which carries the feature, '' = none) and its trace, in one batch. */
async function trace(tenantId: string, requestId: string, cache: Record<string, unknown>, feature = "support"): Promise<void> {
  await d1.db.batch([
    d1.db
      .prepare(
        `INSERT INTO usage_ledger (request_id, tenant_id, kind, key_id, feature, status, cache_status, prompt_tokens, completion_tokens, cached_tokens,
           reasoning_tokens, cost_usd, price_source, latency_ms, received_at, completed_at, hour, ingested_at, ingest_nonce)
         VALUES (?1, ?2, 'request', 'k0', ?3, 200, 'miss', 1, 1, 0, 0, 0, 'event', 1, 0, 0, 0, 0, 'n')`,
      )
      .bind(requestId, tenantId, feature),
    d1.db.prepare("INSERT INTO request_traces (request_id, tenant_id, trace_json, created_at) VALUES (?1, ?2, ?3, 0)").bind(requestId, tenantId, JSON.stringify({ requestId, decisions: { cache } })),
  ]);
}

const hitIn = (band: number) => ({ status: "hit-semantic", similarity: band / 1000 + 0.005, calibration: { scorer: SCORER, feature: "support", band } });
const counts = () => d1.db.prepare("SELECT band_key, checks, wrong FROM cache_calibration WHERE tenant_id = 'fb-a' ORDER BY band_key").all();

beforeAll(async () => {
  d1 = await startD1();
  await trace("fb-a", "req_hit1", hitIn(740));
  await trace("fb-a", "req_hit2", hitIn(740));
  await trace("fb-a", "req_miss", { status: "miss", reason: "cold-start", nearMiss: { score: 0.7, band: 700, reason: "cold-start", upperBound: 1 } });
  await trace("fb-b", "req_other", hitIn(740));
  await trace("fb-d", "req_d_support", hitIn(740));
  await trace("fb-d", "req_d_billing", { ...hitIn(760), calibration: { scorer: SCORER, feature: "billing", band: 760 } }, "billing");
  await trace("fb-d", "req_d_none", { ...hitIn(760), calibration: { scorer: SCORER, feature: "", band: 760 } }, "");
  await trace("fb-d", "req_d_miss", { status: "miss", reason: "cold-start" }, "billing");
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

  describe("a key limited to some features", () => {
    const SUPPORT = ["support"];
    const reports = () => d1.db.prepare("SELECT request_id FROM cache_feedback WHERE tenant_id = 'fb-d' ORDER BY request_id").all();
    const answer = async (res: Response) => [res.status, await res.text()];

    it("reports on its own feature's requests", async () => {
      expect(await (await post("fb-d", { request_id: "req_d_support", verdict: "correct" }, SUPPORT)).json()).toMatchObject({ recorded: true });
    });

    it("gets the unknown id's 404, byte for byte, for another feature's request, a request without a feature and another feature's miss", async () => {
      const unknown = await answer(await post("fb-d", { request_id: "req_d_nope", verdict: "wrong" }, SUPPORT));
      expect(unknown[0]).toBe(404);
      for (const id of ["req_d_billing", "req_d_none", "req_d_miss"]) {
        const res = await answer(await post("fb-d", { request_id: id, verdict: "wrong" }, SUPPORT));
        expect(res, id).toEqual(unknown.map((part) => (typeof part === "string" ? part.replace("req_d_nope", id) : part)));
      }
      // Nothing was written, so the first report on those requests is still their own feature's.
      expect((await reports()).results).toEqual([{ request_id: "req_d_support" }]);
      expect(await (await post("fb-d", { request_id: "req_d_billing", verdict: "wrong" }, ["billing"])).json()).toMatchObject({ recorded: true, counted: true });
      expect((await post("fb-d", { request_id: "req_d_miss", verdict: "wrong" }, ["billing"])).status).toBe(409);
    });
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
