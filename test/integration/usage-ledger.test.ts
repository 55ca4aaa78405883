import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let key: string;
let tenantId: string;

beforeAll(async () => {
  // small-sim writes its tokens 10 ms apart, so a client can leave a stream half way.
  stack = await startStack({ evaluator: true, simulator: { config: { models: [{ id: "small-sim", latency: { tpotMs: 10 }, defaultOutputTokens: 48 }, { id: "frontier-sim" }] } } });
  ({ key, tenantId } = await seedKey(stack, { role: "developer" }));
});
afterAll(async () => stack?.close());

async function waitFor<T>(fn: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error("timed out waiting for the ledger");
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface LedgerRow {
  request_id: string;
  error_code: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  status: number;
  feature: string | null;
  tier: string | null;
}

const ledgerRow = (id: string) =>
  waitFor(async () => (await stack.db.prepare("SELECT * FROM usage_ledger WHERE request_id = ?1 AND kind = 'request'").bind(id).first<LedgerRow>()) ?? null);

describe("usage ledger through the queue", () => {
  it("records identical usage and cost for the same exchange streamed and not", async () => {
    const body = { model: "frontier-sim", messages: [{ role: "user", content: "Ledger parity check" }] };
    // no-cache/no-store: the second call must reach the upstream, not replay the first.
    const headers = bearer(key, { "x-feature": "parity", "cache-control": "no-cache, no-store" });
    const plain = await stack.fetch("/v1/chat/completions", { method: "POST", headers, body: JSON.stringify(body) });
    const streamed = await stack.fetch("/v1/chat/completions", { method: "POST", headers, body: JSON.stringify({ ...body, stream: true }) });
    await streamed.text();
    const a = await ledgerRow(plain.headers.get("x-request-id") as string);
    const b = await ledgerRow(streamed.headers.get("x-request-id") as string);
    expect(a.prompt_tokens).toBeGreaterThan(0);
    expect([b.prompt_tokens, b.completion_tokens, b.cost_usd]).toEqual([a.prompt_tokens, a.completion_tokens, a.cost_usd]);
    expect(a.cost_usd).toBeGreaterThan(0);
    expect(a.feature).toBe("parity");
  });

  it("counts every request, even when callers reuse their own request id", async () => {
    // The ledger is keyed by the gateway's id; a caller's id is only correlation. Before, a
    // reused X-Request-Id made the second (paid) request vanish from the ledger and budgets.
    const other = await seedKey(stack, { role: "developer", name: "other-tenant" });
    const body = JSON.stringify({ model: "small-sim", messages: [{ role: "user", content: "Ledger key check" }] });
    const send = (k: string, header: string) => stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(k, { [header]: "client-7", "cache-control": "no-cache, no-store" }), body });
    const responses = [await send(key, "x-request-id"), await send(key, "x-client-request-id"), await send(other.key, "x-request-id")];
    const ids = responses.map((r) => r.headers.get("x-request-id") as string);
    expect(new Set(ids).size).toBe(3);
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(r.headers.get("x-client-request-id")).toBe("client-7");
    }
    const rows = await Promise.all(ids.map(ledgerRow));
    expect(rows.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("records errors too, and GET /v1/usage groups the tenant's totals", async () => {
    const bad = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key), body: JSON.stringify({ model: "nope", messages: [{ role: "user", content: "x" }] }) });
    expect(bad.status).toBe(404);
    const row = await ledgerRow(bad.headers.get("x-request-id") as string);
    expect(row.status).toBe(404);
    const usage = await waitFor(async () => {
      const res = await stack.fetch("/v1/usage?group_by=feature", { headers: bearer(key) });
      const json = (await res.json()) as { rows: Array<{ feature?: string | null; requests: number; cost_usd?: number }> };
      const parity = json.rows.find((r) => r.feature === "parity");
      return parity && parity.requests >= 2 ? json : null;
    });
    expect(usage.rows.length).toBeGreaterThan(0);
    void tenantId;
  });

  it("books a stream the client left as a client cancellation: 499, billed for what was generated, not an error", async () => {
    const ac = new AbortController();
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      signal: ac.signal,
      headers: bearer(key, { "x-feature": "cut-by-client", "cache-control": "no-cache, no-store" }),
      body: JSON.stringify({ model: "small-sim", stream: true, messages: [{ role: "user", content: "Tell a long story about a cut stream" }] }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    ac.abort();
    await reader.closed.catch(() => undefined);
    const row = await ledgerRow(res.headers.get("x-request-id") as string);
    expect([row.status, row.error_code]).toEqual([499, "client_closed"]);
    expect(row.completion_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBeLessThan(48);
    expect(row.cost_usd).toBeGreaterThan(0);
    const usage = await waitFor(async () => {
      const r = await stack.fetch("/v1/usage?group_by=feature", { headers: bearer(key) });
      const json = (await r.json()) as { rows: Array<{ feature?: string | null; requests: number; errors: number; cost_usd?: number }> };
      return json.rows.find((x) => x.feature === "cut-by-client") ?? null;
    });
    expect([usage.requests, usage.errors]).toEqual([1, 0]);
  });
});
