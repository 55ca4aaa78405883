import { beforeEach, describe, expect, it, vi } from "vitest";
import { KeyCache } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { BudgetCache, monthStartUtc } from "../limits/budget-check";
import { replaceBudgetsStmts } from "../limits/budget-repository";
import { inMemoryClient } from "../limits/rate-limit-client";
import { auth } from "./auth";
import { budget, resetBudgetMemo, type BudgetOptions } from "./budget";
import { settleAdmission } from "./settle-admission";

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);

async function setup() {
  resetBudgetMemo();
  const t = createTestEnv();
  const a = await seedTenant(t.db, { name: "a", role: "service" });
  const other = await seedTenant(t.db, { name: "a", tenantId: a.tenantId, role: "service" });
  const limiter = inMemoryClient(() => NOW);
  const app = createTestApp();
  app.use("*", auth({ cache: new KeyCache(), now: () => NOW }), budget({ now: () => NOW, cache: new BudgetCache(0), estimateUsd: async () => 0.5, client: () => limiter }));
  app.post("/v1/chat/completions", (c) => c.json({ budget: c.get("budget"), alerts: c.get("budgetAlerts") ?? [] }));
  const call = (key: string, feature?: string) =>
    app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}`, ...(feature ? { "x-feature": feature } : {}) }, body: "{}" }, t.env);
  const spend = (usd: number, opts: { keyId?: string; feature?: string; hour?: number } = {}) =>
    t.db
      .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, ?, 'm', 't', ?, 'request', ?)")
      .bind(a.tenantId, opts.hour ?? monthStartUtc(NOW) + 3_600_000 * (1 + Math.floor(Math.random() * 500)), opts.feature ?? "", opts.keyId ?? a.keyId, usd)
      .run();
  const setBudgets = (rows: { scope: "tenant" | "key" | "feature"; scope_id?: string; monthly_usd: number; policy: "block" | "downgrade"; ceiling_usd?: number }[]) =>
    t.db.batch(replaceBudgetsStmts(t.db, a.tenantId, rows.map((r) => ({ scope_id: "", ...r, updated_at: 0 }))));
  const audit = async () => (await t.db.prepare("SELECT action, target FROM audit_log WHERE action LIKE 'budget.%' ORDER BY seq").all()).results;
  return { t, a, other, call, spend, setBudgets, audit, limiter };
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
      { scope: "key", scope_id: s.a.keyId, monthly_usd: 1, policy: "downgrade", ceiling_usd: 5 },
      { scope: "feature", scope_id: "search", monthly_usd: 2, policy: "block" },
    ]);
    await s.spend(0.8, { keyId: s.a.keyId, feature: "search" });
    await s.spend(0.8, { keyId: s.other.keyId, feature: "search" });
    expect(((await (await s.call(s.a.key)).json()) as { budget: unknown }).budget).toEqual({ downgrade: true, budget: `key:${s.a.keyId}` });
    expect(((await (await s.call(s.other.key)).json()) as { budget: unknown }).budget).toEqual({ downgrade: false });
    expect((await s.call(s.other.key, "search")).status).toBe(429);
    expect((await s.call(s.other.key, "other")).status).toBe(200);
  });

  it("counts a rotated key's predecessors' spend against the key budget its successor inherited", async () => {
    const s = await setup();
    const successor = await seedTenant(s.t.db, { name: "a", tenantId: s.a.tenantId, role: "service" });
    await s.t.db.prepare("UPDATE api_keys SET rotated_from = ? WHERE id = ?").bind(s.other.keyId, successor.keyId).run();
    await s.t.db.prepare("UPDATE api_keys SET rotated_from = ? WHERE id = ?").bind(s.a.keyId, s.other.keyId).run();
    await s.setBudgets([{ scope: "key", scope_id: successor.keyId, monthly_usd: 2, policy: "block" }]);
    await s.spend(0.8, { keyId: s.a.keyId });
    expect((await s.call(successor.key)).status).toBe(200);
    await s.spend(0.8, { keyId: s.other.keyId });
    // 0.8 + 0.8 by its two predecessors + 0.5 in flight + 0.5 for this call: over 2.
    expect((await s.call(successor.key)).status).toBe(429);
  });

  it("on the chat route, a feature named only in the body's metadata meets its feature budget too", async () => {
    const s = await setup();
    const app = createTestApp();
    app.use("*", auth({ cache: new KeyCache(), now: () => NOW }), budget({ now: () => NOW, cache: new BudgetCache(0), estimateUsd: async () => 0.5, featureFromBody: true, client: () => s.limiter }));
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

  it("fails closed (503) when the limiter holding the reservations cannot be reached", async () => {
    const s = await setup();
    await s.setBudgets([{ scope: "tenant", monthly_usd: 10, policy: "block" }]);
    s.limiter.admit = async () => {
      throw new Error("durable object overloaded");
    };
    expect((await s.call(s.a.key)).status).toBe(503);
  });
});

/** A model route behind budget(): each admitted call spends `costUsd` after `ms`, then settles. */
async function spendingApp(options: Partial<BudgetOptions> & { costUsd: number; ms?: number; fail?: boolean }) {
  resetBudgetMemo();
  const t = createTestEnv();
  const a = await seedTenant(t.db, { name: "a", role: "service" });
  const clock = { now: NOW };
  const limiter = inMemoryClient(() => clock.now);
  const app = createTestApp();
  const spent: number[] = [];
  app.use("*", auth({ cache: new KeyCache(), now: () => clock.now }), budget({ now: () => clock.now, cache: new BudgetCache(0), client: () => limiter, ...options }));
  app.post("/v1/chat/completions", async (c) => {
    await new Promise((r) => setTimeout(r, options.ms ?? 5));
    if (options.fail) return c.json({ error: "upstream failed" }, 502);
    spent.push(options.costUsd);
    await settleAdmission(c, { tokens: 100, costUsd: options.costUsd }, () => limiter);
    return c.json({ budget: c.get("budget") });
  });
  const call = () => app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${a.key}` }, body: "{}" }, t.env);
  let hours = 0;
  const rollup = (usd: number) =>
    t.db.prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, '', 'm', 't', ?, 'request', ?)").bind(a.tenantId, monthStartUtc(NOW) + 3_600_000 * hours++, a.keyId, usd).run();
  const setBudgets = (rows: { scope: "tenant" | "key"; monthly_usd: number; policy: "block" | "downgrade"; ceiling_usd?: number }[]) =>
    t.db.batch(replaceBudgetsStmts(t.db, a.tenantId, rows.map((r) => ({ ...r, scope_id: r.scope === "key" ? a.keyId : "", updated_at: 0 }))));
  return { t, a, app, call, spent, rollup, setBudgets, clock, limiter };
}

describe("budget() under concurrency (reservations in the tenant's limiter)", () => {
  it("admits 100 concurrent calls only up to the headroom, then only while settled spend stays under the cap", async () => {
    // $10.00 spent of a $10.02 block budget: the 100 concurrent frontier calls.
    const s = await spendingApp({ estimateUsd: async () => 0.0025, costUsd: 0.002 });
    await s.setBudgets([{ scope: "tenant", monthly_usd: 10.02, policy: "block" }]);
    await s.rollup(10);
    const burst = await Promise.all(Array.from({ length: 100 }, () => s.call()));
    const admitted = burst.filter((r) => r.status === 200).length;
    expect(burst.filter((r) => r.status === 429)).toHaveLength(100 - admitted);
    expect(admitted).toBeGreaterThan(0);
    // Calls that finish early settle at their real cost and make room for a few more, never past the cap.
    expect(admitted * 0.002).toBeLessThanOrEqual(0.02 + 1e-9);
    // The rollups never catch up in this test (no evaluator): the settled spend alone must stop it.
    for (let i = 0; i < 100; i++) await s.call();
    const total = s.spent.reduce((x, y) => x + y, 0);
    expect(total).toBeLessThanOrEqual(0.02 + 1e-9);
    expect(total).toBeGreaterThan(0.02 - 0.0025 - 1e-9);
  });

  it("gives a failed call's reservation back at once, and a crashed call's after its lease", async () => {
    const failing = await spendingApp({ estimateUsd: async () => 0.6, costUsd: 0, fail: true });
    await failing.setBudgets([{ scope: "tenant", monthly_usd: 1, policy: "block" }]);
    for (let i = 0; i < 3; i++) expect((await failing.call()).status).toBe(502);

    // A call that never settles (its isolate died mid-stream) holds its reservation until the lease ends.
    const crashed = await spendingApp({ estimateUsd: async () => 0.6, costUsd: 0, leaseMs: 60_000 });
    await crashed.setBudgets([{ scope: "tenant", monthly_usd: 1, policy: "block" }]);
    crashed.app.post("/v1/never-settles", (c) => c.json({ ok: true }));
    const hang = () => crashed.app.request("/v1/never-settles", { method: "POST", headers: { authorization: `Bearer ${crashed.a.key}` }, body: "{}" }, crashed.t.env);
    expect((await hang()).status).toBe(200);
    expect((await crashed.call()).status).toBe(429);
    crashed.clock.now += 60_000;
    expect((await crashed.call()).status).toBe(200);
  });

  it("a downgrade budget past its cap downgrades, and past its ceiling (default 1.2x) blocks", async () => {
    const s = await spendingApp({ estimateUsd: async () => ({ usd: 0.05, downgradedUsd: 0.01 }), costUsd: 0.01 });
    await s.setBudgets([{ scope: "key", monthly_usd: 1, policy: "downgrade" }]);
    await s.rollup(0.9);
    expect(((await (await s.call()).json()) as { budget: unknown }).budget).toEqual({ downgrade: false });
    await s.rollup(0.1);
    expect(((await (await s.call()).json()) as { budget: unknown }).budget).toEqual({ downgrade: true, budget: `key:${s.a.keyId}` });
    await s.rollup(0.19);
    const refused = await s.call();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "budget_exceeded", message: expect.stringContaining("1.2 USD") });
  });
});

