/**
 * POST /v1/embeddings under the tenant's PII policy (issue 13 item 3): string and array inputs
 * reach the upstream redacted, a blocked entity is a 400 with no upstream call, a hashing policy
 * without PII_HASH_KEY in production is chat's 503, PII off forwards the input as sent, and
 * token-id inputs are refused only while the policy blocks something. The upstream is the
 * global fetch, recording every body the OpenAI-compatible adapter sends.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import { UsageEventPackSchema, UsageEventV1Schema, type UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { createTestEnv } from "../auth/testing/test-app";
import { putSettingsStmt } from "../settings/settings-store";
import { embeddingsRoutes } from "./embeddings";
import { requestPathApp } from "./test-app";

const SSN = "536-22-8147";
const EMAIL = "marguerite.okafor@lantern-row.example";
const PHONE = "415-555-0173";
const HASH_KEY = "an-embeddings-route-pii-hash-key-of-48-characters";
let seq = 0;

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

interface Call {
  status: number;
  body: { error?: { code: string; type: string; param?: string }; data?: unknown[] };
  headers: Headers;
  /** Every body the upstream received. */
  upstream: Array<{ input: unknown }>;
  events: UsageEventV1[];
}

async function embed(input: unknown, pii: Record<string, unknown> | null, env: Record<string, unknown> = {}): Promise<Call> {
  const tenantId = `ten_embed_${++seq}`;
  const events: UsageEventV1[] = [];
  // Events leave the isolate packed (telemetry/event-batcher.ts).
  const sendBatch = async (batch: Array<{ body: string }>) => {
    for (const { body } of batch) events.push(...UsageEventPackSchema.parse(JSON.parse(body)).events.map((e) => UsageEventV1Schema.parse(e)));
  };
  const { env: bindings, db } = createTestEnv({ SIMULATOR_URL: "http://embeddings-upstream.test", USAGE_QUEUE: { sendBatch }, ...env });
  await db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(tenantId).run();
  if (pii) await putSettingsStmt(db, tenantId, null, { guardrails: { pii } }, Date.now()).run();
  const upstream: Array<{ input: unknown }> = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (_url, init) => {
    const sent = JSON.parse(String(init?.body)) as { input: unknown };
    upstream.push(sent);
    const n = Array.isArray(sent.input) && typeof sent.input[0] !== "number" ? sent.input.length : 1;
    const data = Array.from({ length: n }, (_, index) => ({ object: "embedding", index, embedding: [0.25, -0.5] }));
    return Response.json({ object: "list", data, model: "small-sim", usage: { prompt_tokens: 7, total_tokens: 7 } });
  });
  const post = requestPathApp({ tenantId, keyId: "key_embed", role: "service", scopes: [], models: null, tiers: null, features: null }, (app) => {
    app.route("/", embeddingsRoutes as never);
  });
  const res = await post("/v1/embeddings", { model: "small-sim", input }, bindings);
  const body = JSON.parse(res.text) as Call["body"];
  return { status: res.status, body, headers: res.headers, upstream, events };
}

describe("POST /v1/embeddings applies the tenant's PII policy to its inputs", () => {
  it("a string input reaches the upstream redacted; the event counts entities and holds no text", async () => {
    const r = await embed(`Refund ${EMAIL}, SSN ${SSN}, for the late parcel.`, null);
    expect(r.status).toBe(200);
    expect(r.upstream).toEqual([expect.objectContaining({ input: "Refund <EMAIL_ADDRESS_1>, SSN <US_SSN_1>, for the late parcel." })]);
    expect(r.headers.get("x-guardrails")).toBe("pii=redact");
    expect(r.events).toHaveLength(1);
    const guardrails = r.events[0]?.decisions.guardrails as { pii: Array<{ type: string; count: number }> };
    expect(guardrails.pii).toEqual(expect.arrayContaining([{ type: "EMAIL_ADDRESS", count: 1 }, { type: "US_SSN", count: 1 }]));
    expect(JSON.stringify(r.events)).not.toContain(SSN);
    expect(JSON.stringify(r.events)).not.toContain(EMAIL);
  });

  it("each string of an array input is redacted on its own, order and count kept", async () => {
    const r = await embed([`Write to ${EMAIL}`, "No personal data here.", `${SSN} and ${SSN} again`], null);
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(3);
    expect(r.upstream[0]?.input).toEqual(["Write to <EMAIL_ADDRESS_1>", "No personal data here.", "<US_SSN_1> and <US_SSN_1> again"]);
  });

  it("a blocked entity is chat's 400 (content_blocked, param input) and nothing is sent upstream", async () => {
    const r = await embed(["Fine text", `SSN ${SSN}`], { entities: { US_SSN: "block" } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: "invalid_request_error", code: "content_blocked", param: "input" });
    expect(r.headers.get("x-guardrails")).toBe("pii=block");
    expect(r.upstream).toEqual([]);
    expect(JSON.stringify(r.body)).not.toContain(SSN);
  });

  it("with PII off the input is forwarded exactly as sent", async () => {
    const input = [`Refund ${EMAIL}`, `SSN ${SSN}`];
    const r = await embed(input, { enabled: false });
    expect(r.status).toBe(200);
    expect(r.upstream[0]?.input).toEqual(input);
    expect(r.headers.get("x-guardrails")).toBe("pii=off!skipped");
  });

  it("a hashing policy in production without PII_HASH_KEY is chat's 503; with the key the value is hashed", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const missing = await embed(`Call ${PHONE}`, { entities: { PHONE_NUMBER: "hash" } }, { ENVIRONMENT: "production" });
    expect(missing.status).toBe(503);
    expect(missing.body.error).toMatchObject({ type: "api_error", code: "pii_hash_key_missing" });
    expect(missing.upstream).toEqual([]);
    const keyed = await embed(`Call ${PHONE}`, { entities: { PHONE_NUMBER: "hash" } }, { ENVIRONMENT: "production", PII_HASH_KEY: HASH_KEY });
    expect(keyed.status).toBe(200);
    expect(keyed.upstream[0]?.input).toMatch(/^Call <PHONE_NUMBER:[0-9a-f]{12}>$/);
  });

  it("token-id inputs pass unscanned under a policy that blocks nothing, and are a 400 while it blocks something", async () => {
    for (const tokens of [[101, 2023, 318], [[101, 2023], [318]]]) {
      const passed = await embed(tokens, null);
      expect(passed.status).toBe(200);
      expect(passed.upstream[0]?.input).toEqual(tokens);
      expect(passed.headers.get("x-guardrails")).toBe("pii=unscanned!skipped");
      const refused = await embed(tokens, { entities: { EMAIL_ADDRESS: "block" } });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "unscannable_input", param: "input" });
      expect(refused.upstream).toEqual([]);
    }
    const off = await embed([7, 8], { enabled: false, entities: { EMAIL_ADDRESS: "block" } });
    expect(off.status).toBe(200);
  });

  it("property: PII planted in random string or array inputs never reaches the upstream in clear", async () => {
    const planted = fc.constantFrom(SSN, EMAIL, PHONE, "4111 1111 1111 1111");
    const text = fc.tuple(fc.string({ maxLength: 20 }), planted, fc.string({ maxLength: 20 })).map(([a, p, b]) => ({ text: `${a} | ${p} | ${b}`, value: p }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(text.map((t) => ({ input: t.text as string | string[], values: [t.value] })), fc.array(text, { minLength: 1, maxLength: 4 }).map((ts) => ({ input: ts.map((t) => t.text), values: ts.map((t) => t.value) }))), async ({ input, values }) => {
        const r = await embed(input, null);
        expect(r.status).toBe(200);
        const seen = JSON.stringify(r.upstream);
        for (const v of values) expect(seen).not.toContain(v);
      }),
      { numRuns: 25, seed: 13 },
    );
  });
});
