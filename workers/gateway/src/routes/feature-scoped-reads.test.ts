/**
 * Keys with a `features` allow-list read and purge only those features' data: usage (JSON and
 * CSV, judge coverage included), request traces (another feature's answers the same 404 as
 * another tenant's), cache quality and cache purge. Over SQLite with every migration applied
 * (auth/testing/sqlite-d1.ts), filled by the evaluator consumer; the purge itself is a spy.
 */
import fc from "fast-check";
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { JudgesSchema } from "../../../evaluator/src/judge/config";
import { semanticHitEvent, usageEvent } from "../../../evaluator/src/testing/events";
import { startJudgeStub, type JudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { errorBody, isGatewayError } from "../../../../shared/errors";
import type { AppEnv, AuthContext, Bindings, Role } from "../app-env";
import { createTestDb } from "../auth/testing/sqlite-d1";
import { ingest } from "../usage/test-fixtures";
import { cachePurgeRoutes } from "./cache-purge";
import { cacheQualityRoutes } from "./cache-quality";
import { usageRoutes } from "./usage";

const purges = vi.hoisted(() => [] as Array<[string, string | null]>);
vi.mock("../chat/stages/cache-stage", () => ({
  purgeCache: async (_env: unknown, tenantId: string, feature: string | null) => {
    purges.push([tenantId, feature]);
    return { vectorsDeleted: 0 };
  },
}));

let d1: { db: D1Database };
let stub: JudgeStub;
const T0 = Date.now() - 3_600_000;
const RANGE = `from=${new Date(T0 - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
/** The tenant's requests and their features ('' = none, as stored). */
const REQUESTS: Record<string, string> = { s1: "support", s2: "support", b1: "billing", n1: "", "h-s": "support", "h-b": "billing" };

interface Caller {
  tenantId?: string;
  role?: Role;
  features: readonly string[] | null;
}

function app(caller: Caller): Hono<AppEnv> {
  const auth: AuthContext = { tenantId: caller.tenantId ?? "acme", keyId: "k1", role: caller.role ?? "developer", scopes: [], models: null, tiers: null, features: caller.features };
  const a = new Hono<AppEnv>();
  a.onError((err, c) => (isGatewayError(err) ? c.json(errorBody(err, "req_test"), err.status as 400) : c.json({ error: String(err) }, 500)));
  a.use("*", async (c, next) => {
    c.set("auth", auth);
    await next();
  });
  return a.route("/", usageRoutes).route("/", cacheQualityRoutes).route("/", cachePurgeRoutes);
}

const call = (caller: Caller, path: string, method = "GET") => app(caller).request(`http://gw${path}`, { method }, { DB: d1.db } as unknown as Bindings);
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

interface UsageBody {
  rows: Array<{ feature?: string | null; requests: number; judgeEligible: number }>;
}
interface QualityBody {
  audited: number;
  byFeature: Array<{ feature: string | null; audited: number }>;
}

beforeAll(async () => {
  d1 = createTestDb();
  stub = await startJudgeStub(() => 5);
  const at = { tenantId: "acme", completedAt: T0 };
  const feature = (f: string) => (f === "" ? null : f);
  await ingest(
    d1.db,
    [
      ...["s1", "s2", "b1", "n1"].map((id) => usageEvent({ ...at, requestId: id, feature: feature(REQUESTS[id] as string) })),
      semanticHitEvent("h-s", { cachedQuestion: "When do refunds arrive?", question: "How soon is my refund?", similarity: 0.95, answer: "Within a week." }, { ...at, feature: "support" }),
      semanticHitEvent("h-b", { cachedQuestion: "Where is my invoice?", question: "Where can I find the invoice?", similarity: 0.93, answer: "Under billing." }, { ...at, feature: "billing" }),
      usageEvent({ requestId: "o1", tenantId: "other", completedAt: T0, feature: "support" }),
    ],
    { judges: JudgesSchema.parse([{ name: "j", baseUrl: stub.url, model: "small-sim" }]), sampling: { default: 1, rules: [] }, fetch: (u, i) => fetch(u, i) },
  );
});
afterAll(async () => {
  await stub?.close();
});
beforeEach(() => {
  purges.length = 0;
});

const ALL: Caller = { features: null };
const SUPPORT: Caller = { features: ["support"] };
const countOf = (features: readonly string[]) => Object.values(REQUESTS).filter((f) => features.includes(f)).length;

describe("reads of a key limited to some features", () => {
  it("GET /v1/usage: only those features' rollups and judge coverage", async () => {
    const all = await json<UsageBody>(call(ALL, `/v1/usage?group_by=feature&${RANGE}`));
    expect(all.rows.map((r) => r.feature)).toEqual([null, "billing", "support"]);
    const mine = await json<UsageBody>(call(SUPPORT, `/v1/usage?group_by=feature&${RANGE}`));
    expect(mine.rows).toEqual(all.rows.filter((r) => r.feature === "support"));
    const total = await json<UsageBody>(call({ ...SUPPORT, role: "viewer" }, `/v1/usage?group_by=&${RANGE}`));
    expect(total.rows).toHaveLength(1);
    expect(total.rows[0]?.requests).toBe(countOf(["support"]));
    // Coverage is filtered too, not only the rollups it is joined to.
    const supportRow = all.rows.find((r) => r.feature === "support");
    expect(supportRow?.judgeEligible).toBeGreaterThan(0);
    expect(total.rows[0]?.judgeEligible).toBe(supportRow?.judgeEligible);
  });

  it("GET /v1/usage.csv: no line of another feature or of no feature", async () => {
    const csv = await (await call(SUPPORT, `/v1/usage.csv?group_by=feature&${RANGE}`)).text();
    expect(csv.trim().split("\r\n").map((l) => l.split(",")[0])).toEqual(["feature", "support"]);
  });

  it("GET /v1/requests/{id}: another feature's request is a 404 identical to another tenant's", async () => {
    expect(await json<{ feature: string }>(call(SUPPORT, "/v1/requests/s1"))).toMatchObject({ requestId: "s1", feature: "support" });
    for (const id of ["b1", "n1"]) {
      const mine = await call(SUPPORT, `/v1/requests/${id}`);
      const stranger = await call({ tenantId: "other", features: null }, `/v1/requests/${id}`);
      expect(mine.status).toBe(404);
      expect(await mine.text()).toBe(await stranger.text());
    }
    expect((await call(ALL, "/v1/requests/b1")).status).toBe(200);
  });

  it("GET /v1/cache/quality: only those features' audits; naming another is a 403", async () => {
    const all = await json<QualityBody>(call(ALL, "/v1/cache/quality"));
    expect(all.byFeature.map((f) => f.feature)).toEqual(["billing", "support"]);
    const mine = await json<QualityBody>(call(SUPPORT, "/v1/cache/quality"));
    expect(mine.byFeature.map((f) => f.feature)).toEqual(["support"]);
    expect(mine.audited).toBe(all.byFeature.find((f) => f.feature === "support")?.audited);
    expect((await call(SUPPORT, "/v1/cache/quality?feature=support")).status).toBe(200);
    const other = await call(SUPPORT, "/v1/cache/quality?feature=billing");
    expect(other.status).toBe(403);
  });

  it("DELETE /v1/cache: must name one of its features; nothing is purged otherwise", async () => {
    const whole = await call(SUPPORT, "/v1/cache", "DELETE");
    expect(whole.status).toBe(403);
    expect(await json<{ error: { code: string } }>(whole)).toMatchObject({ error: { code: "feature_required", param: "feature" } });
    expect((await call(SUPPORT, "/v1/cache?feature=billing", "DELETE")).status).toBe(403);
    expect(purges).toEqual([]);
    expect((await call(SUPPORT, "/v1/cache?feature=support", "DELETE")).status).toBe(200);
    expect((await call(ALL, "/v1/cache", "DELETE")).status).toBe(200);
    expect(purges).toEqual([["acme", "support"], ["acme", null]]);
  });

  it("property: whatever the allow-list, reads stay inside it and purges need a listed feature", async () => {
    const universe = ["support", "billing", "faq", "x.y:z"];
    const allRows = (await json<UsageBody>(call(ALL, `/v1/usage?group_by=feature&${RANGE}`))).rows;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(universe),
        fc.option(fc.constantFrom(...universe), { nil: undefined }),
        fc.constantFrom(...Object.keys(REQUESTS)),
        async (features, purgeFeature, requestId) => {
          purges.length = 0;
          const caller: Caller = { features, role: "developer" };
          const usage = await json<UsageBody>(call(caller, `/v1/usage?group_by=feature&${RANGE}`));
          expect(usage.rows).toEqual(allRows.filter((r) => r.feature != null && features.includes(r.feature)));
          const purge = await call(caller, `/v1/cache${purgeFeature ? `?feature=${purgeFeature}` : ""}`, "DELETE");
          const allowed = purgeFeature !== undefined && features.includes(purgeFeature);
          expect(purge.status).toBe(allowed ? 200 : 403);
          expect(purges).toEqual(allowed ? [["acme", purgeFeature]] : []);
          const trace = await call(caller, `/v1/requests/${requestId}`);
          expect(trace.status).toBe(features.includes(REQUESTS[requestId] as string) ? 200 : 404);
        },
      ),
      { numRuns: 60 },
    );
  });
});
