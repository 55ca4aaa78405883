/**
 * Storage end to end under the Workers' own wrangler.toml bindings (D1, Queues, R2 locally):
 * requests reach the ledger through the queue, the evaluator's cron archives the day once it
 * is past retention, and the gateway reads the archived day back from R2.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, dayOf } from "../../shared/archive/layout";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

let stack: Stack;
let service: string;
let admin: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({ evaluator: true, evaluatorVars: { JUDGE_SAMPLING: '{"default":0}' } });
  ({ key: service, tenantId } = await seedKey(stack, { role: "service" }));
  ({ key: admin } = await seedKey(stack, { role: "admin", tenantId }));
});
afterAll(async () => stack?.close());

describe("archive to R2 and read back", () => {
  it("moves a day past retention out of D1 and serves it back, rollups untouched", async () => {
    const ids: string[] = [];
    for (const q of ["Archive me one", "Archive me two"]) {
      const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(service, { "cache-control": "no-cache, no-store" }), body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: q }] }) });
      expect(res.status).toBe(200);
      ids.push(res.headers.get("x-request-id") as string);
    }
    const ledger = await waitFor(async () => {
      const { results } = await stack.db.prepare("SELECT * FROM usage_ledger WHERE tenant_id = ?1 ORDER BY completed_at, request_id").bind(tenantId).all<Record<string, unknown>>();
      return results.length === 2 ? results : null;
    }, 20_000, "the ledger rows");
    const day = dayOf(Number(ledger[0]?.completed_at));
    const rollups = await stack.db.prepare("SELECT requests FROM usage_rollups_hourly WHERE tenant_id = ?1").bind(tenantId).all<{ requests: number }>();

    // The evaluator's cron, run 40 days later: past the 30-day ledger default and the horizon.
    const evaluator = await stack.mf.getWorker("");
    await evaluator.scheduled({ cron: "7 * * * *", scheduledTime: new Date(Date.now() + 40 * DAY_MS) });

    expect(await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1").bind(tenantId).first<number>("n")).toBe(0);
    expect(await stack.db.prepare("SELECT COUNT(*) AS n FROM request_traces WHERE tenant_id = ?1").bind(tenantId).first<number>("n")).toBe(0);
    expect((await stack.db.prepare("SELECT requests FROM usage_rollups_hourly WHERE tenant_id = ?1").bind(tenantId).all()).results).toEqual(rollups.results);

    const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/archive/usage_ledger/${day}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const back = (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(back).toEqual(ledger);
    const traces = await stack.fetch(`/admin/v1/tenants/${tenantId}/archive/request_traces/${day}`, { headers: bearer(admin) });
    expect((await traces.text()).trim().split("\n").map((l) => (JSON.parse(l) as { request_id: string }).request_id).sort()).toEqual([...ids].sort());
    // The trace is gone from D1, so the request's detail page is gone too (it lives in R2 now).
    expect((await stack.fetch(`/v1/requests/${ids[0]}`, { headers: bearer(admin) })).status).toBe(404);
  });
});
