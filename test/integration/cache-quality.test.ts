/**
 * Cache quality audit end to end: a sampled semantic hit in the gateway -> usage queue ->
 * evaluator judge panel (the simulator's judges) -> cache_audits; and the evaluator's cron
 * anchoring the gateway's audit-log head in the KV both Workers bind (KEYS_KV).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

let stack: Stack;
let key: string;
let tenantId: string;

beforeAll(async () => {
  stack = await startStack({ evaluator: true });
  ({ key, tenantId } = await seedKey(stack, { name: "audited", role: "developer" }));
  // Audit every semantic hit of this tenant (default auditRate is 5%).
  await stack.db
    .prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES (?1, '', ?2, 0)")
    .bind(tenantId, JSON.stringify({ cache: { auditRate: 1 } }))
    .run();
});
afterAll(async () => stack?.close());

const ask = (content: string) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, { "x-feature": "faq" }), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }) });

interface AuditRow {
  tenant_id: string;
  feature: string;
  entry_id: string;
  similarity: number;
  status: string;
  score_mean: number;
  correct: number;
}

describe("cache quality audit through the queue", () => {
  it("judges a sampled semantic hit and stores the verdict with the hit's similarity and entry", async () => {
    expect((await ask("What is the capital of France?")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300)); // the store runs after the response (waitUntil)
    const hit = await ask("What's the capital city of France?");
    expect(hit.headers.get("x-cache")).toBe("hit-semantic");
    const id = hit.headers.get("x-request-id") as string;
    const row = await waitFor(async () => (await stack.db.prepare("SELECT * FROM cache_audits WHERE request_id = ?1").bind(id).first<AuditRow>()) ?? null);
    expect(row).toMatchObject({ tenant_id: tenantId, feature: "faq", status: "ok" });
    expect(row.entry_id).not.toBe("");
    expect(row.similarity).toBeCloseTo(Number(hit.headers.get("x-cache-similarity")), 3);
    expect(row.score_mean).toBeGreaterThanOrEqual(1);
    expect(row.correct).toBe(row.score_mean >= 4 ? 1 : 0);
    const billed = await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE parent_request_id = ?1 AND kind = 'judge'").bind(id).first<{ n: number }>();
    // Audited by the cheap judge only (the strong one is for escalated answers): one billed call.
    expect(billed?.n).toBe(1);
  });

  it("anchors the gateway's audit head from the evaluator's cron", async () => {
    expect((await stack.fetch("/v1/cache?feature=faq", { method: "DELETE", headers: bearer(key) })).status).toBe(200);
    const head = await stack.db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first<{ seq: number; hash: string }>();
    const kv = await stack.mf.getKVNamespace("KEYS_KV", "llm-gateway");
    // A purge is not an admin write: the gateway itself leaves it unanchored.
    const before = JSON.parse((await kv.get("audit:anchor")) ?? "null") as { seq: number } | null;
    expect(before?.seq ?? 0).toBeLessThan(head?.seq ?? 0);
    // The stack names only the gateway ("llm-gateway"); the evaluator is the unnamed worker.
    const evaluator = await stack.mf.getWorker("");
    await evaluator.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() });
    expect(JSON.parse((await kv.get("audit:anchor")) ?? "null")).toMatchObject({ seq: head?.seq, hash: head?.hash });
  });
});
