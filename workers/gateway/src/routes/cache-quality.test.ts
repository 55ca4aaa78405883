/** GET /v1/cache/quality over a real D1 (migrations applied) filled by the evaluator consumer. */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { semanticHitEvent } from "../../../evaluator/src/testing/events";
import { startD1 } from "../../../evaluator/src/testing/harness";
import { startJudgeStub, type JudgeStub } from "../../../evaluator/src/testing/judge-stub";
import { JudgesSchema } from "../../../evaluator/src/judge/config";
import { isGatewayError } from "../../../../shared/errors";
import type { AppEnv, AuthContext, Bindings } from "../app-env";
import { DEFAULT_SEMANTIC_THRESHOLD } from "../cache/settings";
import { ingest } from "../usage/test-fixtures";
import { cacheQualityRoutes } from "./cache-quality";

let d1: Awaited<ReturnType<typeof startD1>>;
let stub: JudgeStub;
const NOW = Date.now();

const caller = (tenantId: string): AuthContext => ({ tenantId, keyId: "k1", role: "viewer", scopes: [], models: null, tiers: null, features: null });

function app(tenantId: string): Hono<AppEnv> {
  const a = new Hono<AppEnv>();
  a.onError((err, c) => c.json({ error: String(err).slice(0, 200) }, isGatewayError(err) ? (err.status as 400) : 500));
  a.use("*", async (c, next) => {
    c.set("auth", caller(tenantId));
    await next();
  });
  return a.route("/", cacheQualityRoutes);
}

beforeAll(async () => {
  d1 = await startD1();
  stub = await startJudgeStub((_m, prompt) => (prompt.includes("Lyon") ? 1 : 5));
  await d1.db.prepare("INSERT INTO tenants (id, name, created_at) VALUES ('acme', 'Acme', 0)").run();
  await d1.db.prepare(`INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('acme', 'support', '{"cache":{"threshold":0.9}}', 0)`).run();
  await ingest(
    d1.db,
    [
      semanticHitEvent("h1", { cachedQuestion: "Weather in Paris?", question: "Paris weather?", similarity: 0.95, answer: "Sunny." }, { tenantId: "acme", completedAt: NOW - 60_000 }),
      semanticHitEvent("h2", { cachedQuestion: "Weather in Paris?", question: "Weather in Lyon?", similarity: 0.91, answer: "Sunny in Paris." }, { tenantId: "acme", completedAt: NOW - 60_000 }),
      semanticHitEvent("h3", { cachedQuestion: "Reset password?", question: "How to reset my password?", similarity: 0.93, answer: "Settings." }, { tenantId: "acme", feature: "billing", completedAt: NOW - 60_000 }),
    ],
    { judges: JudgesSchema.parse([{ name: "j", baseUrl: stub.url, model: "small-sim" }]), fetch: (u, i) => fetch(u, i) },
  );
});
afterAll(async () => {
  await d1?.dispose();
  await stub?.close();
});

const get = (tenantId: string, query = "") => app(tenantId).request(`http://gw/v1/cache/quality${query}`, {}, { DB: d1.db } as unknown as Bindings);

describe("GET /v1/cache/quality", () => {
  it("answers the caller's tenant with precision, suggestions and the thresholds in force", async () => {
    const res = await get("acme");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { audited: number; correct: number; currentThreshold: number; byFeature: { feature: string; precision: number; currentThreshold: number; suggestedThreshold: number | null }[] };
    expect(body).toMatchObject({ audited: 3, correct: 2, currentThreshold: DEFAULT_SEMANTIC_THRESHOLD });
    expect(body.byFeature.map((f) => [f.feature, f.precision, f.currentThreshold, f.suggestedThreshold])).toEqual([
      ["billing", 1, DEFAULT_SEMANTIC_THRESHOLD, 0.93],
      ["support", 0.5, 0.9, 0.95],
    ]);
  });

  it("filters by feature and rejects a bad query", async () => {
    const res = await get("acme", "?feature=billing&targetPrecision=0.9");
    expect(await res.json()).toMatchObject({ feature: "billing", audited: 1, targetPrecision: 0.9 });
    expect((await get("acme", "?targetPrecision=2")).status).toBe(400);
  });

  it("shows another tenant nothing of acme's", async () => {
    expect(await (await get("other")).json()).toMatchObject({ tenantId: "other", audited: 0, byFeature: [] });
  });
});
