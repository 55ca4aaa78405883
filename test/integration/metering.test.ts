import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

// The upstreams here report no usage (as some TGI / SageMaker servers do), so the gateway
// counts tokens itself, over text holding special-token strings. That used to throw: the
// buffered call answered 500 and was billed $0, the stream's usage event was lost and its
// token reservation never settled.
let stack: Stack;
let key: string;
let tenantId: string;

const TOKENS_PER_MINUTE = 3_000;
const MAX_TOKENS = 2_000; // Two reservations of this size do not fit in a minute's tokens.

beforeAll(async () => {
  stack = await startStack({ evaluator: true, simulator: { config: { models: [{ id: "small-sim", reportUsage: false }, { id: "frontier-sim", reportUsage: false }] } } });
  ({ key, tenantId } = await seedKey(stack, { role: "developer" }));
  await stack.db.prepare("INSERT INTO tenant_limits (tenant_id, tenant_tokens_per_minute, updated_at) VALUES (?1, ?2, ?3)").bind(tenantId, TOKENS_PER_MINUTE, Date.now()).run();
});
afterAll(async () => stack?.close());

interface LedgerRow {
  status: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

const ledgerRow = (id: string) =>
  waitFor(async () => (await stack.db.prepare("SELECT status, prompt_tokens, completion_tokens, cost_usd FROM usage_ledger WHERE request_id = ?1").bind(id).first<LedgerRow>()) ?? null, 20_000, "the ledger row");

/** Sends until the limiter lets it through: only a settled earlier reservation makes room. */
const send = (stream: boolean) =>
  waitFor(async () => {
    const body = { model: "small-sim", max_tokens: MAX_TOKENS, stream, messages: [{ role: "user", content: "ECHO: the separator is <|endoftext|> then <|fim_prefix|>, as text" }] };
    const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key, { "cache-control": "no-cache, no-store" }), body: JSON.stringify(body) });
    if (res.status === 429) return null;
    return { res, text: await res.text() };
  }, 5_000, "the token limiter to admit the call");

describe("metering special-token text through workerd", () => {
  it("answers, bills and settles buffered and streamed requests whose prompt and answer hold <|endoftext|>", async () => {
    const buffered = await send(false);
    expect(buffered.res.status).toBe(200);
    expect(buffered.text).toContain("<|endoftext|>");
    const streamed = await send(true); // passes the limiter only if the buffered call settled
    expect(streamed.res.status).toBe(200);
    expect(streamed.text).toContain("<|endoftext|>");
    expect((await send(false)).res.status).toBe(200); // and only if the stream settled

    const a = await ledgerRow(buffered.res.headers.get("x-request-id") as string);
    const b = await ledgerRow(streamed.res.headers.get("x-request-id") as string);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.prompt_tokens).toBeGreaterThan(10);
    expect(a.completion_tokens).toBeGreaterThan(5);
    expect(a.cost_usd).toBeGreaterThan(0);
    expect([b.prompt_tokens, b.completion_tokens, b.cost_usd]).toEqual([a.prompt_tokens, a.completion_tokens, a.cost_usd]);
  });
});
