import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import type { AppEnv } from "../app-env";
import { routerRolloutRoutes } from "../routes/router-rollout";
import { routerRolloutStatus } from "./router-rollout-status";

let d1: Awaited<ReturnType<typeof startD1>>;
const rollout = { mode: "canary", candidateVersion: "v2", percent: 10 };

beforeAll(async () => {
  d1 = await startD1();
  const db = d1.db;
  await db.batch([
    ...["acme", "other"].map((t) => db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(t)),
    ...["acme", "other"].map((t) => db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, 0)").bind(t, JSON.stringify({ router: { rollout } }))),
    db.prepare("INSERT INTO router_rollouts (tenant_id, candidate_version, status, reasons_json, stats_json, decided_at) VALUES ('acme', 'v2', 'rolled_back', '[\"quality dropped 0.100 > 0.03\"]', '{\"qualityDelta\":-0.1}', 1764201600000)"),
    db.prepare("INSERT INTO router_rollouts (tenant_id, candidate_version, status, decided_at) VALUES ('other', 'v2', 'healthy', 1764201600000)"),
  ]);
});
afterAll(() => d1?.dispose());

describe("routerRolloutStatus", () => {
  it("shows a rolled-back canary as shadow with the evaluator's reasons, per tenant only", async () => {
    const acme = await routerRolloutStatus(d1.db, "acme");
    expect(acme).toMatchObject({ configured: { mode: "canary", candidateVersion: "v2" }, effectiveMode: "shadow" });
    expect(acme.verdicts).toEqual([{ candidateVersion: "v2", status: "rolled_back", reasons: ["quality dropped 0.100 > 0.03"], stats: { qualityDelta: -0.1 }, decidedAt: "2025-11-27T00:00:00.000Z" }]);
    const other = await routerRolloutStatus(d1.db, "other");
    expect(other.effectiveMode).toBe("canary");
    expect(other.verdicts.map((v) => v.status)).toEqual(["healthy"]);
  });

  it("answers GET /v1/router/rollout for the key's tenant", async () => {
    const app = new Hono<AppEnv>();
    app.use("*", async (c, next) => {
      c.set("auth", { tenantId: "acme", keyId: "k", role: "viewer", scopes: [], models: null, tiers: null, features: null });
      await next();
    });
    app.route("/", routerRolloutRoutes);
    const res = await app.request("/v1/router/rollout", {}, { DB: d1.db });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ effectiveMode: "shadow", verdicts: [{ candidateVersion: "v2" }] });
  });
});
