import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../../shared/sse";
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

// Stream resume (workers/gateway/src/chat/resume/): small-sim continues a cut stream's partial
// answer (vLLM's continue_final_message); `disconnectNext` cuts the next K streams halfway.
describe("stream resume", () => {
  const EMAIL = "jane.doe@example.com";
  const PROMPT = `ECHO: Please write to ${EMAIL} about the quarterly report, the budget and the plan for the coming weeks`;
  const ANSWER = PROMPT.slice("ECHO: ".length);

  async function streamChat(): Promise<{ id: string; events: string[]; text: string; chunkIds: Set<string> }> {
    const body = { model: "small-sim", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: PROMPT }] };
    const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, { "cache-control": "no-cache, no-store" }), body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    const events: string[] = [];
    for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) events.push(ev.data);
    const chunks = events.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e) as { id?: string; choices?: Array<{ delta: { content?: string } }> });
    const text = chunks.map((c) => c.choices?.[0]?.delta.content ?? "").join("");
    return { id: res.headers.get("x-request-id") as string, events, text, chunkIds: new Set(chunks.flatMap((c) => (c.id ? [c.id] : []))) };
  }
  const rowsFor = async (id: string) => (await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE request_id = ?1").bind(id).first<{ n: number }>())?.n;
  type Logged = { continue_final_message?: boolean; messages: Array<{ role: string; content: string }> };

  it("continues a cut stream: the whole answer once, placeholders (never the PII) upstream, one ledger row billing both parts", async () => {
    stack.sim.reset();
    const whole = await streamChat();
    const baseline = await ledgerRow(whole.id);
    stack.sim.reset();
    stack.sim.setFaults({ model: "small-sim", disconnectNext: 1 });
    const resumed = await streamChat();

    expect(resumed.text).toBe(ANSWER);
    expect(resumed.events.at(-1)).toBe("[DONE]");
    expect(resumed.events.some((e) => e.includes("stream_interrupted"))).toBe(false);
    expect(resumed.chunkIds.size).toBe(1);
    const seen = stack.sim.requests().map((r) => r.body as Logged);
    expect(seen).toHaveLength(2);
    expect(JSON.stringify(seen)).not.toContain(EMAIL);
    const partial = seen[1]?.messages.at(-1);
    expect(seen[1]?.continue_final_message).toBe(true);
    expect(partial?.role).toBe("assistant");
    expect(partial?.content).toMatch(/^Please write to <EMAIL_ADDRESS_1> about/);

    const row = await ledgerRow(resumed.id);
    expect([row.status, row.error_code]).toEqual([200, null]);
    // The resume call's prompt holds the partial answer: billed on top of the original prompt.
    expect(row.prompt_tokens).toBeGreaterThan(2 * baseline.prompt_tokens);
    expect(Math.abs(row.completion_tokens - baseline.completion_tokens)).toBeLessThanOrEqual(2);
    expect(await rowsFor(resumed.id)).toBe(1);
    const trace = (await (await stack.fetch(`/v1/requests/${resumed.id}`, { headers: bearer(key) })).json()) as { decisions: { streamResumes?: Array<{ outcome: string }> } };
    expect(trace.decisions.streamResumes?.map((r) => r.outcome)).toEqual(["resumed"]);
  });

  it("ends with stream_interrupted, as before, when every continuation is cut too (maxRetries + 1 rounds)", async () => {
    stack.sim.reset();
    stack.sim.setFaults({ model: "small-sim", disconnectNext: 4 });
    const cut = await streamChat();

    expect(JSON.parse(cut.events.at(-1) ?? "{}")).toMatchObject({ error: { code: "stream_interrupted" } });
    expect(cut.events).not.toContain("[DONE]");
    expect(stack.sim.requests()).toHaveLength(4);
    const row = await ledgerRow(cut.id);
    expect([row.status, row.error_code]).toEqual([502, "stream_interrupted"]);
    expect(await rowsFor(cut.id)).toBe(1);
    stack.sim.reset();
  });
});
