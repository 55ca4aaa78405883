import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;

const HARD =
  "Prove that there are infinitely many primes p such that p ≡ 3 (mod 4), then derive an efficient algorithm to find the 10,000th such prime and analyse its time complexity step by step.";
// A candidate that sends everything below 0.99 complexity to the small tier.
const CANDIDATE = { bands: [{ below: 0.99, tier: "small" }], confidenceThreshold: 0 };

beforeAll(async () => {
  stack = await startStack({ evaluator: true });
});
afterAll(async () => stack?.close());

/** A fresh tenant with a rollout set before its first request (no 5 s settings cache to wait out). */
async function tenantWithRollout(rollout: Record<string, unknown>) {
  const { key: service, tenantId } = await seedKey(stack, { name: "rollout" });
  const { key: admin } = await seedKey(stack, { role: "admin", tenantId });
  const put = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ router: { rollout } }) });
  expect(put.status).toBe(200);
  return { service, admin, tenantId };
}

const chat = (key: string) =>
  stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(key, { "cache-control": "no-cache, no-store" }),
    body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: HARD }] }),
  });

async function trace(admin: string, id: string): Promise<{ decisions: { route: Record<string, unknown> } }> {
  const end = Date.now() + 20_000;
  for (;;) {
    const res = await stack.fetch(`/v1/requests/${id}`, { headers: bearer(admin) });
    if (res.status === 200) return (await res.json()) as { decisions: { route: Record<string, unknown> } };
    if (Date.now() > end) throw new Error(`no trace for ${id}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("router rollout through workerd", () => {
  it("shadow: the shipped router serves, the candidate's decision reaches the trace", async () => {
    const t = await tenantWithRollout({ mode: "shadow", candidateVersion: "thresh-0.99", candidate: CANDIDATE });
    const res = await chat(t.service);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-route-tier")).toBe("frontier");
    const version = res.headers.get("x-route-version");
    expect(version).toMatch(/^1\.0\.0\+/);
    const route = (await trace(t.admin, res.headers.get("x-request-id") as string)).decisions.route;
    expect(route).toMatchObject({ tier: "frontier", arm: "control", version, shadow: { tier: "small", version: "thresh-0.99" } });
  });

  it("canary at 100%: the candidate serves until the evaluator's rollback marker exists", async () => {
    const rollout = { mode: "canary", percent: 100, candidateVersion: "cand-b", candidate: CANDIDATE };
    const live = await tenantWithRollout(rollout);
    const served = await chat(live.service);
    expect([served.headers.get("x-route-version"), served.headers.get("x-route-tier")]).toEqual(["cand-b", "small"]);

    const rolledBack = await tenantWithRollout(rollout);
    await stack.db
      .prepare("INSERT INTO router_rollouts (tenant_id, candidate_version, status, reasons_json, decided_at) VALUES (?1, 'cand-b', 'rolled_back', '[\"quality dropped\"]', ?2)")
      .bind(rolledBack.tenantId, Date.now())
      .run();
    const res = await chat(rolledBack.service);
    expect(res.headers.get("x-route-tier")).toBe("frontier");
    expect(res.headers.get("x-route-version")).toMatch(/^1\.0\.0\+/);
    const route = (await trace(rolledBack.admin, res.headers.get("x-request-id") as string)).decisions.route;
    expect(route).toMatchObject({ arm: "control", shadow: { tier: "small", version: "cand-b" } });
  });
});
