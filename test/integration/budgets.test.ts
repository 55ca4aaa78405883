/**
 * Budgets through workerd (issue 19, items 2 and 7): concurrent streamed calls against a
 * budget with little headroom, and what an exceeded downgrade budget does to explicit models,
 * tier names and complex `auto` prompts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceBudgetsStmts, type BudgetRowInput } from "../../workers/gateway/src/limits/budget-repository";
import { monthStartUtc } from "../../workers/gateway/src/limits/budget-check";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;

// Frontier answers take a while, so a burst's calls are all in flight together.
beforeAll(async () => {
  stack = await startStack({
    simulator: { config: { models: [{ id: "small-sim" }, { id: "frontier-sim", latency: { ttftMs: 150, tpotMs: 3 }, defaultOutputTokens: 64 }] } },
  });
});
afterAll(async () => stack?.close());

const HARD =
  "Prove that there are infinitely many primes p such that p ≡ 3 (mod 4), then derive an efficient algorithm to find the 10,000th such prime and analyse its time complexity step by step.";
const FRONTIER = { inputPer1M: 2.5, outputPer1M: 10 };

async function setBudgets(tenantId: string, rows: Array<Omit<BudgetRowInput, "updated_at">>): Promise<void> {
  await stack.db.batch(replaceBudgetsStmts(stack.db, tenantId, rows.map((r) => ({ ...r, updated_at: 0 }))));
}

async function spent(tenantId: string, keyId: string, usd: number): Promise<void> {
  await stack.db
    .prepare("INSERT INTO usage_rollups_hourly (tenant_id, hour, feature, model, tier, key_id, kind, cost_usd) VALUES (?, ?, '', 'frontier-sim', 'frontier', ?, 'request', ?)")
    .bind(tenantId, monthStartUtc(Date.now()), keyId, usd)
    .run();
}

/** Reads a streamed answer to its end; returns its cost from the usage chunk. */
async function streamedCost(res: Response): Promise<number> {
  const text = await res.text();
  const usage = text
    .split("\n")
    .filter((l) => l.startsWith("data: {"))
    .map((l) => JSON.parse(l.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } })
    .find((c) => c.usage)?.usage;
  if (!usage) throw new Error("stream without usage");
  return (usage.prompt_tokens * FRONTIER.inputPer1M + usage.completion_tokens * FRONTIER.outputPer1M) / 1e6;
}

describe("budgets under concurrency (workerd, reservations in the tenant's Durable Object)", () => {
  it("admits 100 concurrent streamed frontier calls only up to the $0.02 of headroom", async () => {
    const { key, keyId, tenantId } = await seedKey(stack, { name: "burst" });
    await spent(tenantId, keyId, 5);
    await setBudgets(tenantId, [{ scope: "tenant", scope_id: "", monthly_usd: 5.02, policy: "block" }]);
    const body = JSON.stringify({ model: "frontier-sim", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Write a haiku about budgets." }] });
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, { "cache-control": "no-store" }), body })),
    );
    const admitted = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe("budget_exceeded");
    }
    const costs = await Promise.all(admitted.map(streamedCost));
    const total = costs.reduce((a, b) => a + b, 0);
    expect(admitted.length).toBeGreaterThan(0);
    // The documented bound: reservations never exceed the headroom, and no call here spent more
    // than it reserved (64 output tokens < the 256 reserved without max_tokens).
    expect(total).toBeLessThanOrEqual(0.02);
  });
});

describe("an exceeded downgrade budget (workerd)", () => {
  let key: string;
  let keyId: string;
  let tenantId: string;
  beforeAll(async () => {
    ({ key, keyId, tenantId } = await seedKey(stack, { name: "downgraded" }));
    await spent(tenantId, keyId, 1.05);
    await setBudgets(tenantId, [{ scope: "key", scope_id: keyId, monthly_usd: 1, policy: "downgrade", ceiling_usd: 2 }]);
  });

  const chat = (model: string, content = "Say hello.", extra: Record<string, unknown> = {}) =>
    stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(key, { "cache-control": "no-store" }),
      body: JSON.stringify({ model, messages: [{ role: "user", content }], ...extra }),
    });

  it.each([
    ["an explicit frontier model", "frontier-sim", "Say hello."],
    ["a frontier alias", "frontier", "Say hello."],
    ["a complex auto prompt", "auto", HARD],
  ])("serves %s on the cheapest tier and says so", async (_, model, content) => {
    const res = await chat(model, content);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("openai-compatible:small-sim");
    expect(res.headers.get("x-route-reason")).toBe("budget_downgrade");
    expect(res.headers.get("x-budget-downgrade")).toBe(`key:${keyId}`);
    await res.arrayBuffer();
  });

  it("streams downgraded too, and refuses with 429 budget_exceeded once spend reaches the ceiling", async () => {
    const streamed = await chat("frontier-sim", "Say hello.", { stream: true });
    expect(streamed.headers.get("x-upstream")).toBe("openai-compatible:small-sim");
    await streamed.text();
    const { key: other, keyId: otherId, tenantId: t2 } = await seedKey(stack, { name: "ceiling" });
    await spent(t2, otherId, 1.2);
    await setBudgets(t2, [{ scope: "key", scope_id: otherId, monthly_usd: 1, policy: "downgrade" }]);
    const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(other), body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "hi" }] }) });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "budget_exceeded", message: expect.stringContaining(`key:${otherId}`) });
  });
});
