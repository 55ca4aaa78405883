/**
 * The false-hit bound end to end: a semantic hit and a shadow-checked near-miss in the gateway
 * -> usage queue -> the evaluator's judges -> counts per band in cache_calibration; the trace says
 * why the near-miss was refused; a client's report through POST /v1/feedback is counted too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";
import { SHIPPED_COLD_THRESHOLD as COLD } from "../../workers/gateway/src/cache/calibration/scorer";

let stack: Stack;
let key: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({ evaluator: true });
  ({ key, tenantId } = await seedKey(stack, { name: "calibrated", role: "developer" }));
  // Judge every hit and every refused near-miss of this tenant.
  await stack.db
    .prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, 0)")
    .bind(tenantId, JSON.stringify({ cache: { auditRate: 1, shadowRate: 1 } }))
    .run();
});
afterAll(async () => stack?.close());

const ask = (content: string) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, { "x-feature": "kids" }), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }) });
const seeded = async (content: string) => {
  expect((await ask(content)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 300)); // the store runs after the response (waitUntil)
};
const counted = (band: number) =>
  stack.db.prepare("SELECT checks, wrong FROM cache_calibration WHERE tenant_id = ?1 AND feature = 'kids' AND band_key = ?2").bind(tenantId, band).first<{ checks: number; wrong: number }>();

describe("semantic cache under a false-hit bound, through the stack", () => {
  it("serves a hit at the cold threshold, refuses a near-miss with its reason, and counts the judges' verdicts", async () => {
    await seeded("What is the capital of France?");
    const hit = await ask("What's the capital city of France?");
    expect(hit.headers.get("x-cache")).toBe("hit-semantic");
    expect(hit.headers.get("x-cache-threshold")).toBe(COLD.toFixed(3));
    expect(Number(hit.headers.get("x-cache-similarity"))).toBeGreaterThanOrEqual(COLD);

    await seeded("My kid is learning to swim.");
    const near = await ask("My kid is learning to skate.");
    expect(near.headers.get("x-cache")).toBe("miss");
    expect(near.headers.get("x-cache-threshold")).toBe(COLD.toFixed(3));
    expect(near.headers.get("x-cache-similarity")).toBeNull();
    const nearId = near.headers.get("x-request-id") as string;

    const shadow = await waitFor(() => stack.db.prepare("SELECT band_key, status FROM cache_shadow_checks WHERE request_id = ?1").bind(nearId).first<{ band_key: number; status: string }>());
    expect(shadow.status).toBe("ok");
    expect(await waitFor(() => counted(shadow.band_key))).toMatchObject({ checks: 1 });
    const trace = (await (await stack.fetch(`/v1/requests/${nearId}`, { headers: bearer(key) })).json()) as { decisions: { cache: Record<string, unknown> } };
    expect(trace.decisions.cache).toMatchObject({ status: "miss", reason: "cold-start", threshold: COLD, phase: "cold", nearMiss: { reason: "cold-start", band: shadow.band_key } });
    expect(JSON.stringify(trace.decisions.cache)).not.toContain("swim");
  });

  it("counts a client's report of a wrong hit in the hit's band", async () => {
    await seeded("How do I reset my router?");
    const hit = await ask("How can I reset my router?");
    expect(hit.headers.get("x-cache")).toBe("hit-semantic");
    const id = hit.headers.get("x-request-id") as string;
    const band = Math.floor((Number(hit.headers.get("x-cache-similarity")) - 0.5) / 0.02) * 20 + 500;
    // The report needs the request's trace, which the evaluator writes from the queue.
    const report = await waitFor(async () => {
      const res = await stack.fetch("/v1/feedback", { method: "POST", headers: bearer(key), body: JSON.stringify({ request_id: id, verdict: "wrong" }) });
      return res.status === 404 ? null : res;
    });
    expect([report.status, await report.json()]).toEqual([200, { request_id: id, verdict: "wrong", recorded: true, counted: true }]);
    const row = await waitFor(async () => ((await counted(band))?.wrong ?? 0) >= 1 ? counted(band) : null);
    expect(row?.wrong).toBeGreaterThanOrEqual(1);
  });
});
