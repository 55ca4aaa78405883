/**
 * Cascade mode through the whole stack (gateway + evaluator in workerd, simulator replaying
 * drafts written for this test): a draft whose stated arithmetic is wrong is escalated to the
 * frontier, a correct one is served, a draft the small model wrote with very low token
 * logprobs is escalated, and every call the cascade made is billed in the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

const RIGHT_Q = "A library shelf holds 8 rows of 14 books, and 9 more books lie on a cart. How many books are there?";
const RIGHT_DRAFT = "Each row has 14 books, so 8 x 14 = 112 books are on the shelf.\nWith the cart: 112 + 9 = 121 books.\n#### 121";
const WRONG_Q = "A farmer packs 13 crates with 24 eggs each and sells 50 eggs. How many eggs are left?";
const WRONG_DRAFT = "The crates hold 13 x 24 = 302 eggs.\nAfter selling: 302 - 50 = 252 eggs.\n#### 252";
const FRONTIER_ANSWER = "13 x 24 = 312 eggs; 312 - 50 = 262 eggs are left.\n#### 262";
const UNSURE_Q = "A printer prints 6 pages a minute for 15 minutes, then 40 more pages. How many pages in all?";
const UNSURE_DRAFT = "It prints 6 x 15 = 90 pages, then 90 + 40 = 130 pages.\n#### 130";

let stack: Stack;
let service: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({
    evaluator: true,
    evaluatorVars: { JUDGES: "[]" },
    simulator: {
      replay: [
        { model: "small-sim", prompt: RIGHT_Q, response: RIGHT_DRAFT },
        { model: "small-sim", prompt: WRONG_Q, response: WRONG_DRAFT },
        { model: "frontier-sim", prompt: WRONG_Q, response: FRONTIER_ANSWER },
        // Same kind of correct working, but the model was unsure of every token it wrote.
        { model: "small-sim", prompt: UNSURE_Q, response: UNSURE_DRAFT, logprobs: [-2.6] },
      ],
    },
  });
  ({ key: service, tenantId } = await seedKey(stack, { name: "cascade-tenant" }));
  // content:read: turning PII redaction off is a content grant (docs/access-control.md).
  const { key: admin } = await seedKey(stack, { role: "admin", tenantId, scopes: ["content:read"] });
  // Every prompt drafts (cascadeMaxComplexity 1), and the verifier's bar is the tenant's own.
  // Guardrails are not the subject here: off, so the upstream sees the replayed prompts verbatim.
  const settings = { router: { cascade: true, cascadeMaxComplexity: 1, cascadeThreshold: 0.5 }, guardrails: { pii: { enabled: false }, injection: { enabled: false } } };
  const put = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify(settings) });
  expect(put.status).toBe(200);
});
afterAll(async () => stack?.close());

const chat = async (content: string) => {
  const res = await stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(service, { "cache-control": "no-cache, no-store" }),
    body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }),
  });
  const body = (await res.json()) as { model: string; choices: Array<{ message: { content: string }; logprobs?: unknown }> };
  return { res, body, id: res.headers.get("x-request-id") ?? "" };
};

async function ledgerRows(n: number): Promise<Map<string, number>> {
  for (let i = 0; i < 60; i++) {
    const rows = await stack.db.prepare("SELECT request_id, cost_usd FROM usage_ledger WHERE tenant_id = ?1").bind(tenantId).all<{ request_id: string; cost_usd: number }>();
    if (rows.results.length >= n) return new Map(rows.results.map((r) => [r.request_id, r.cost_usd]));
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("ledger rows did not arrive");
}

describe("cascade verifier through the stack", () => {
  it("serves a correct draft, escalates wrong arithmetic and an unsure draft, and bills every call", async () => {
    const right = await chat(RIGHT_Q);
    expect(right.res.status).toBe(200);
    expect(right.res.headers.get("x-cascade")).toBe("accepted:small");
    expect(right.body.model).toBe("small-sim");
    expect(right.body.choices[0]?.message.content).toBe(RIGHT_DRAFT);
    // The draft asked the upstream for logprobs; the client did not, so it gets none.
    expect(right.body.choices[0]).not.toHaveProperty("logprobs");

    const wrong = await chat(WRONG_Q);
    expect(wrong.res.status).toBe(200);
    expect(wrong.res.headers.get("x-cascade")).toMatch(/^escalated:p_wrong\+.*arith_wrong/);
    expect(Number(wrong.res.headers.get("x-cascade-p-wrong"))).toBeGreaterThan(0.5);
    expect(wrong.body.model).toBe("frontier-sim");
    expect(wrong.body.choices[0]?.message.content).toBe(FRONTIER_ANSWER);

    const unsure = await chat(UNSURE_Q);
    expect(unsure.res.headers.get("x-cascade")).toMatch(/^escalated:p_wrong\+.*logprob_mean/);
    expect(unsure.body.model).toBe("frontier-sim");

    // Accepted draft: one row. Escalations: the draft's own row plus the frontier's.
    const costs = await ledgerRows(5);
    expect(costs.get(right.id)).toBeGreaterThan(0);
    for (const r of [wrong, unsure]) {
      expect(costs.get(`${r.id}:draft`)).toBeGreaterThan(0);
      expect(costs.get(r.id)).toBeGreaterThan(costs.get(`${r.id}:draft`) as number);
    }
    const trace = await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1 AND request_id LIKE '%:draft'").bind(tenantId).first<{ n: number }>();
    expect(trace?.n).toBe(2);
  });
});
