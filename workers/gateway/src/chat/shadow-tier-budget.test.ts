/**
 * Shadow calls and the tenant's budgets, with the real budget() middleware, settlement and
 * budget escrow (the tenant's limiter core in memory): the shadow is reserved before it starts,
 * refused at a cap or when budgets cannot be checked, and settled with its cost when it ends.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyCache } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { BudgetCache, monthStartUtc } from "../limits/budget-check";
import { replaceBudgetsStmts, type BudgetRow } from "../limits/budget-repository";
import { inMemoryClient, type RateLimiterClient } from "../limits/rate-limit-client";
import { auth } from "../middleware/auth";
import { budget, resetBudgetMemo } from "../middleware/budget";
import { settleAdmission } from "../middleware/settle-admission";
import { RouterSettingsSchema } from "../router/settings";
import type { ExchangeResult } from "./build-event";
import { planShadows, runShadow, shadowAfterServed, shadowBudget, shadowEstimateUsd, shadowRequest } from "./shadow-tier";
import { exchange, keep, registry, run, upstream } from "./testing/shadow-fixtures";

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);
/** The served answer's cost, and what its request reserved. */
const SERVED_USD = 0.001;
const served: ExchangeResult = { status: 200, errorCode: null, usage: null, costUsd: SERVED_USD, completedAt: NOW, ttftMs: null, answer: "Done." };
const everyRequest = RouterSettingsSchema.parse({ shadowSmallRate: 1 });

/** What the small shadow of exchange()'s request reserves. */
const plan = planShadows(exchange(), { kind: "auto" }, everyRequest, undefined, registry, { models: null, tiers: null })!.small!;
const shadowUsd = shadowEstimateUsd(registry, exchange().auth, plan, shadowRequest(exchange().request));

interface Setup {
  budget?: { monthly_usd: number; policy: BudgetRow["policy"]; ceiling_usd?: number };
  spentUsd?: number;
  answer?: string | null;
  /** Wraps the limiter the middleware and the shadow talk to. */
  client?: (limiter: RateLimiterClient) => RateLimiterClient;
  /** The budgets store the shadow's admission reads. */
  shadowCache?: BudgetCache;
}

async function setup(o: Setup = {}) {
  resetBudgetMemo();
  const t = createTestEnv();
  const a = await seedTenant(t.db, { name: "a", role: "service" });
  if (o.budget) await t.db.batch(replaceBudgetsStmts(t.db, a.tenantId, [{ scope: "tenant", scope_id: "", updated_at: 0, ...o.budget }]));
  if (o.spentUsd) {
    await t.db
      .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, '', 'm', 't', ?, 'request', ?)")
      .bind(a.tenantId, monthStartUtc(NOW), a.keyId, o.spentUsd)
      .run();
  }
  const limiter = inMemoryClient(() => NOW);
  const client = () => o.client?.(limiter) ?? limiter;
  const month = monthStartUtc(NOW);
  let probes = 0;
  /** The tenant budget as the limiter sees it: settled spend and reservations in flight. */
  const tenantBudget = async () => {
    const leaseId = `probe-${probes++}`;
    const claim = { name: "tenant", policy: "block" as const, limitUsd: 1e9, ceilingUsd: 1e9, rollupUsd: 0 };
    const r = await limiter.admit(a.tenantId, { budget: { leaseId, month, leaseMs: 1_000, estimateUsd: 0, downgradedEstimateUsd: 0, budgets: [claim] } });
    await limiter.settle(a.tenantId, { budget: { leaseId, month, budgets: ["tenant"], costUsd: 0 } });
    if (!r.budget?.ok) throw new Error("probe refused");
    const { spentUsd, inFlightUsd } = r.budget.budgets[0]!;
    return { spentUsd, inFlightUsd };
  };
  const duringCall: Array<{ spentUsd: number; inFlightUsd: number }> = [];
  const up = upstream(o.answer === undefined ? "I will send <EMAIL_ADDRESS_1> the policy." : o.answer, async () => void duringCall.push(await tenantBudget()));
  const shadows: Promise<void>[] = [];
  const events: ExchangeResult[] = [];

  const app = createTestApp();
  app.use("*", auth({ cache: new KeyCache(), now: () => NOW }), budget({ now: () => NOW, cache: new BudgetCache(0), estimateUsd: async () => SERVED_USD, client }));
  // handle-chat's wiring: the shadow starts once the served answer is published (and its lease settled).
  app.post("/v1/chat/completions", (c) => {
    const ex = { ...exchange(), auth: c.get("auth"), feature: null };
    const publish = (r: ExchangeResult) => void settleAdmission(c, { tokens: null, costUsd: r.costUsd }, client);
    const admit = shadowBudget(c, ex, registry, { client, cache: o.shadowCache ?? new BudgetCache(0), now: () => NOW });
    const plans = planShadows(ex, { kind: "auto" }, everyRequest, undefined, registry, { models: null, tiers: null });
    shadowAfterServed(ex, plans, publish, (p) => shadows.push(runShadow(ex, p, registry, run(up.fetch), (_shadowEx, r) => events.push(r), admit, keep)))(served);
    return c.json({ answer: served.answer, downgrade: c.get("budget")?.downgrade ?? null });
  });
  const call = async () => {
    const res = await app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${a.key}` }, body: "{}" }, t.env);
    await Promise.all(shadows);
    return { status: res.status, body: await res.json() };
  };
  return { call, up, events, duringCall, tenantBudget, leases: () => limiter.cores.get(a.tenantId)?.budget.inFlight() ?? 0 };
}

/** What a drawn shadow without an answer publishes (shadow-tier.ts publishSkipped). */
const skipMarker = expect.objectContaining({ status: 0, errorCode: "shadow_skipped", costUsd: 0, usage: null, answer: null });

function skipLog(warn: { mock: { calls: unknown[][] } }): Array<Record<string, unknown>> {
  return warn.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>).filter((l) => l.msg === "shadow skipped");
}

describe("shadow calls and the tenant's budgets", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a budget that cannot cover the shadow: no shadow call, nothing reserved, the served answer unaffected", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    // The request fits; the shadow after it would take the budget past its cap.
    const s = await setup({ budget: { monthly_usd: 1, policy: "block" }, spentUsd: 1 - SERVED_USD - shadowUsd / 2 });
    expect(await s.call()).toEqual({ status: 200, body: { answer: "Done.", downgrade: false } });
    expect(s.up.calls).toEqual([]);
    // Only the skip marker: nothing billed, the draw on record for the labelled band.
    expect(s.events).toEqual([skipMarker]);
    expect(await s.tenantBudget()).toEqual({ spentUsd: expect.closeTo(1 - shadowUsd / 2, 9), inFlightUsd: 0 });
    expect(skipLog(warn)).toEqual([expect.objectContaining({ reason: "budget_exceeded", budget: "tenant", tier: "small" })]);
  });

  it("a downgrade budget past its cap serves the request on the cheapest tier but pays for no shadow", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const s = await setup({ budget: { monthly_usd: 1, policy: "downgrade", ceiling_usd: 100 }, spentUsd: 1 });
    expect(await s.call()).toEqual({ status: 200, body: { answer: "Done.", downgrade: true } });
    expect(s.up.calls).toEqual([]);
    expect(s.leases()).toBe(0);
  });

  it("a budget with room: the shadow is reserved while it runs and its cost is in the budget's spend after", async () => {
    const s = await setup({ budget: { monthly_usd: 10, policy: "block" } });
    expect((await s.call()).status).toBe(200);
    expect(s.up.calls).toHaveLength(1);
    // While the shadow ran: the served answer settled, the shadow's estimate in flight.
    expect(s.duringCall).toEqual([{ spentUsd: expect.closeTo(SERVED_USD, 12), inFlightUsd: expect.closeTo(shadowUsd, 12) }]);
    expect(s.events).toHaveLength(1);
    const shadowCost = s.events[0]!.costUsd;
    expect(shadowCost).toBeGreaterThan(0);
    expect(await s.tenantBudget()).toEqual({ spentUsd: expect.closeTo(SERVED_USD + shadowCost, 12), inFlightUsd: 0 });
    expect(s.leases()).toBe(0);
  });

  it("a failing shadow gives its reservation back and books nothing", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const s = await setup({ budget: { monthly_usd: 10, policy: "block" }, answer: null });
    expect((await s.call()).status).toBe(200);
    expect(s.up.calls.length).toBeGreaterThan(0);
    expect(s.duringCall[0]?.inFlightUsd).toBeCloseTo(shadowUsd, 12);
    expect(s.events).toEqual([skipMarker]);
    expect(await s.tenantBudget()).toEqual({ spentUsd: expect.closeTo(SERVED_USD, 12), inFlightUsd: 0 });
    expect(s.leases()).toBe(0);
  });

  it("budgets that cannot be checked mean no shadow (fail closed), the served answer unaffected", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const budgets = { monthly_usd: 10, policy: "block" as const };
    const limiterDown = (l: RateLimiterClient): RateLimiterClient => ({
      settle: l.settle,
      admit: (t, req) => (req.budget?.leaseId.includes(":shadow:") ? Promise.reject(new Error("object unreachable")) : l.admit(t, req)),
    });
    const storeDown = new (class extends BudgetCache {
      override budgetsFor(): Promise<BudgetRow[]> {
        return Promise.reject(new Error("D1 unavailable"));
      }
    })();
    for (const s of [await setup({ budget: budgets, client: limiterDown }), await setup({ budget: budgets, shadowCache: storeDown })]) {
      expect(await s.call()).toEqual({ status: 200, body: { answer: "Done.", downgrade: false } });
      expect(s.up.calls).toEqual([]);
      expect(await s.tenantBudget()).toEqual({ spentUsd: expect.closeTo(SERVED_USD, 12), inFlightUsd: 0 });
    }
    expect(skipLog(warn).map((l) => l.reason)).toEqual(["budget_unavailable", "budget_unavailable"]);
  });

  it("a tenant without budgets gets its shadow and no reservation", async () => {
    const s = await setup();
    await s.call();
    expect(s.up.calls).toHaveLength(1);
    expect(s.events).toHaveLength(1);
    expect(s.leases()).toBe(0);
  });
});
