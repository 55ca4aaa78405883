import { beforeEach, describe, expect, it, vi } from "vitest";
import { KeyCache } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { BudgetCache, monthStartUtc } from "../limits/budget-check";
import { replaceBudgetsStmts } from "../limits/budget-repository";
import { auth } from "./auth";
import { budget, resetBudgetMemo } from "./budget";

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);

async function setup() {
  resetBudgetMemo();
  const t = createTestEnv();
  const a = await seedTenant(t.db, { name: "a", role: "service" });
  const other = await seedTenant(t.db, { name: "a", tenantId: a.tenantId, role: "service" });
  const app = createTestApp();
  app.use("*", auth({ cache: new KeyCache(), now: () => NOW }), budget({ now: () => NOW, cache: new BudgetCache(0), estimateUsd: async () => 0.5 }));
  app.post("/v1/chat/completions", (c) => c.json({ budget: c.get("budget"), alerts: c.get("budgetAlerts") ?? [] }));
  const call = (key: string, feature?: string) =>
    app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}`, ...(feature ? { "x-feature": feature } : {}) }, body: "{}" }, t.env);
  const spend = (usd: number, opts: { keyId?: string; feature?: string; hour?: number } = {}) =>
    t.db
      .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, ?, 'm', 't', ?, 'request', ?)")
      .bind(a.tenantId, opts.hour ?? monthStartUtc(NOW) + 3_600_000 * (1 + Math.floor(Math.random() * 500)), opts.feature ?? "", opts.keyId ?? a.keyId, usd)
      .run();
  const setBudgets = (rows: { scope: "tenant" | "key" | "feature"; scope_id?: string; monthly_usd: number; policy: "block" | "downgrade" }[]) =>
    t.db.batch(replaceBudgetsStmts(t.db, a.tenantId, rows.map((r) => ({ scope_id: "", ...r, updated_at: 0 }))));
  const audit = async () => (await t.db.prepare("SELECT action, target FROM audit_log WHERE action LIKE 'budget.%' ORDER BY seq").all()).results;
  return { t, a, other, call, spend, setBudgets, audit };
}

describe("budget() middleware", () => {
  beforeEach(() => resetBudgetMemo());

  it("passes with no budgets and tells the router not to downgrade", async () => {
    const s = await setup();
    expect(await (await s.call(s.a.key)).json()).toEqual({ budget: { downgrade: false }, alerts: [] });
  });

  it("blocks with 429 budget_exceeded naming the budget when spend + estimate reaches the cap, and audits it", async () => {
    const s = await setup();
    await s.setBudgets([{ scope: "tenant", monthly_usd: 10, policy: "block" }]);
    await s.spend(9.6);
    const res = await s.call(s.a.key);
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("budget_exceeded");
    expect(body.error.message).toContain("tenant");
    await vi.waitFor(async () => expect(await s.audit()).toContainEqual({ action: "budget.blocked", target: "tenant" }));
  });

  it("ignores last month's spend", async () => {
    const s = await setup();
    await s.setBudgets([{ scope: "tenant", monthly_usd: 10, policy: "block" }]);
    await s.spend(100, { hour: monthStartUtc(NOW) - 3_600_000 });
    expect((await s.call(s.a.key)).status).toBe(200);
  });

  it("applies key and feature budgets only to that key / feature; downgrade sets the router flag", async () => {
    const s = await setup();
    await s.setBudgets([
      { scope: "key", scope_id: s.a.keyId, monthly_usd: 1, policy: "downgrade" },
      { scope: "feature", scope_id: "search", monthly_usd: 2, policy: "block" },
    ]);
    await s.spend(0.8, { keyId: s.a.keyId, feature: "search" });
    await s.spend(0.8, { keyId: s.other.keyId, feature: "search" });
    expect(((await (await s.call(s.a.key)).json()) as { budget: unknown }).budget).toEqual({ downgrade: true, budget: `key:${s.a.keyId}` });
    expect(((await (await s.call(s.other.key)).json()) as { budget: unknown }).budget).toEqual({ downgrade: false });
    expect((await s.call(s.other.key, "search")).status).toBe(429);
    expect((await s.call(s.other.key, "other")).status).toBe(200);
  });

  it("on the chat route, a feature named only in the body's metadata meets its feature budget too", async () => {
    const s = await setup();
    const app = createTestApp();
    app.use("*", auth({ cache: new KeyCache(), now: () => NOW }), budget({ now: () => NOW, cache: new BudgetCache(0), estimateUsd: async () => 0.5, featureFromBody: true }));
    app.post("/v1/chat/completions", (c) => c.json({ ok: true }));
    const call = (body: unknown) => app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${s.a.key}` }, body: JSON.stringify(body) }, s.t.env);
    await s.setBudgets([{ scope: "feature", scope_id: "search", monthly_usd: 1, policy: "block" }]);
    await s.spend(0.8, { feature: "search" });
    expect((await call({ metadata: { feature: "search" } })).status).toBe(429);
    expect((await call({ metadata: { feature: "other" } })).status).toBe(200);
    expect((await call({ messages: [] })).status).toBe(200);
    expect((await app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${s.a.key}` }, body: "not json" }, s.t.env)).status).toBe(200);
  });

  it("raises the 80% alert once per budget and month: audit row + marker for the queue", async () => {
    const s = await setup();
    await s.setBudgets([{ scope: "tenant", monthly_usd: 10, policy: "block" }]);
    await s.spend(7.6);
    const first = (await (await s.call(s.a.key)).json()) as { alerts: { budget: string; month: string; type: string }[] };
    expect(first.alerts).toEqual([expect.objectContaining({ type: "budget_alert", budget: "tenant", month: "2026-11", limitUsd: 10 })]);
    resetBudgetMemo(); // another isolate: the D1 claim still makes it once
    expect(((await (await s.call(s.a.key)).json()) as { alerts: unknown[] }).alerts).toEqual([]);
    await vi.waitFor(async () => expect((await s.audit()).filter((r) => (r as { action: string }).action === "budget.alert")).toHaveLength(1));
  });

  it("fails closed (503) when budgets cannot be read", async () => {
    const s = await setup();
    s.t.raw.sqlite.exec("DROP TABLE budgets");
    expect((await s.call(s.a.key)).status).toBe(503);
  });
});
