/**
 * Shadow calls through the whole stack (gateway + evaluator in workerd, the simulator's frontier
 * slowed to 1 s): a small-served `auto` request of a tenant with a quality target gets a
 * frontier shadow after its answer reached the client, billed once and judged; a frontier-served
 * one gets the small shadow; a tenant without a target, or one that opted out, pays for no
 * frontier call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthStartUtc } from "../../workers/gateway/src/limits/budget-check";
import { replaceBudgetsStmts, type BudgetRowInput } from "../../workers/gateway/src/limits/budget-repository";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

const EASY = "hi there!";
const HARD =
  "Prove that there are infinitely many primes p such that p ≡ 3 (mod 4), then derive an efficient algorithm to find the 10,000th such prime and analyse its time complexity step by step.";
const FRONTIER_MS = 1_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    evaluator: true,
    evaluatorVars: {
      JUDGES: '[{"name":"cheap","baseUrl":"{env:SIMULATOR_URL}/v1","model":"small-sim","tier":"cheap","version":"t"}]',
      // Judge every answer: this tenant's inference spend is too small for the default judge budget.
      JUDGE_POLICY: '{"maxShareOfInference":null,"escalation":{"auditRate":0}}',
    },
    simulator: { config: { models: [{ id: "small-sim" }, { id: "frontier-sim", latency: { ttftMs: FRONTIER_MS } }] } },
  });
});
afterAll(async () => stack?.close());

type TenantBudget = Omit<BudgetRowInput, "updated_at" | "scope" | "scope_id"> & { spentUsd: number };

async function tenant(router: Record<string, unknown>, budget?: TenantBudget): Promise<string> {
  const { key, tenantId } = await seedKey(stack, { name: "shadow" });
  const { key: admin } = await seedKey(stack, { role: "admin", tenantId });
  const put = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ router }) });
  expect(put.status).toBe(200);
  if (budget) {
    const { spentUsd, ...row } = budget;
    await stack.db.batch(replaceBudgetsStmts(stack.db, tenantId, [{ scope: "tenant", scope_id: "", updated_at: 0, ...row }]));
    await stack.db
      .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, '', 'small-sim', 'small', '', 'request', ?)")
      .bind(tenantId, monthStartUtc(Date.now()), spentUsd)
      .run();
  }
  return key;
}

async function chat(key: string, content: string): Promise<{ id: string; tier: string | null; doneAt: number }> {
  const res = await stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(key, { "cache-control": "no-cache, no-store" }),
    body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }),
  });
  expect(res.status).toBe(200);
  await res.json();
  return { id: res.headers.get("x-request-id") ?? "", tier: res.headers.get("x-route-tier"), doneAt: Date.now() };
}

interface LedgerRow { request_id: string; parent_request_id: string | null; tier: string; cost_usd: number; received_at: number; completed_at: number }
const ledger = (id: string) => stack.db.prepare("SELECT request_id, parent_request_id, tier, cost_usd, received_at, completed_at FROM usage_ledger WHERE request_id IN (?1, ?1 || ':shadow') ORDER BY request_id").bind(id).all<LedgerRow>().then((r) => r.results);

describe("shadow calls through the stack", () => {
  it("asks the frontier in the background for a small-served request under a quality target: after the answer, billed once, judged", async () => {
    const key = await tenant({ shadowSmallRate: 1, qualityTarget: 0.95 });
    const easy = await chat(key, EASY);
    expect(easy.tier).toBe("small");
    const rows = await waitFor(async () => ((await ledger(easy.id)).length === 2 ? ledger(easy.id) : null), 20_000, "the frontier shadow's ledger row");
    const [served, shadow] = rows as [LedgerRow, LedgerRow];
    expect(served).toMatchObject({ request_id: easy.id, parent_request_id: null, tier: "small" });
    expect(shadow).toMatchObject({ request_id: `${easy.id}:shadow`, parent_request_id: easy.id, tier: "frontier" });
    expect(shadow.cost_usd).toBeGreaterThan(0);
    // Started once the served answer was published, and the client had its answer before the slow frontier finished.
    expect(shadow.received_at).toBeGreaterThanOrEqual(served.completed_at);
    expect(shadow.completed_at - shadow.received_at).toBeGreaterThanOrEqual(FRONTIER_MS - 50);
    expect(easy.doneAt).toBeLessThan(shadow.completed_at);
    const judged = await waitFor(
      () => stack.db.prepare("SELECT request_id, tier FROM evaluations WHERE request_id IN (?1, ?1 || ':shadow') AND status = 'ok' ORDER BY request_id").bind(easy.id).all<{ request_id: string; tier: string }>().then((r) => (r.results.length === 2 ? r.results : null)),
      20_000,
      "both answers judged",
    );
    expect(judged).toEqual([{ request_id: easy.id, tier: "small" }, { request_id: `${easy.id}:shadow`, tier: "frontier" }]);

    // A frontier-served request of the same tenant gets the small shadow instead.
    const hard = await chat(key, HARD);
    expect(hard.tier).toBe("frontier");
    const hardRows = await waitFor(async () => ((await ledger(hard.id)).length === 2 ? ledger(hard.id) : null), 20_000, "the small shadow's ledger row");
    expect(hardRows[1]).toMatchObject({ request_id: `${hard.id}:shadow`, parent_request_id: hard.id, tier: "small" });
  });

  it("makes no frontier call for a tenant without a quality target, or one that opted out", async () => {
    const untargeted = await chat(await tenant({ shadowSmallRate: 1 }), EASY);
    const optedOut = await chat(await tenant({ shadowSmallRate: 1, qualityTarget: 0.95, shadowFrontier: false }), EASY);
    // A tenant that gets one, asked after them: once its shadow is billed, theirs would have been too.
    const control = await chat(await tenant({ shadowSmallRate: 1, qualityTarget: 0.95 }), EASY);
    await waitFor(async () => ((await ledger(control.id)).length === 2 ? true : null), 20_000, "the control tenant's shadow");
    for (const r of [untargeted, optedOut]) {
      expect(r.tier).toBe("small");
      expect((await ledger(r.id)).map((row) => row.request_id)).toEqual([r.id]);
    }
  });

  it("charges shadows to the tenant's budgets: none for a tenant past its cap, one for a tenant with room", async () => {
    // Past a downgrade budget's cap the request is still served (on the cheapest tier); a frontier shadow would spend past the cap.
    const targeted = { shadowSmallRate: 1, qualityTarget: 0.95 };
    const capped = await chat(await tenant(targeted, { monthly_usd: 1, policy: "downgrade", ceiling_usd: 100, spentUsd: 1 }), EASY);
    const roomy = await chat(await tenant(targeted, { monthly_usd: 100, policy: "block", spentUsd: 1 }), EASY);
    await waitFor(async () => ((await ledger(roomy.id)).length === 2 ? true : null), 20_000, "the shadow of the tenant with room");
    expect(capped.tier).toBe("small");
    // No frontier call for the capped tenant: only its skip marker, billed nothing, so the labels know the draw happened.
    const cappedRows = await waitFor(async () => ((await ledger(capped.id)).length === 2 ? ledger(capped.id) : null), 20_000, "the capped tenant's skip marker");
    expect(cappedRows[1]).toMatchObject({ request_id: `${capped.id}:shadow`, parent_request_id: capped.id, tier: "frontier", cost_usd: 0 });
  });
});
