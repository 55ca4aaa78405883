/**
 * POST /v1/embeddings under the tenant's PII policy (issue 13 item 3): string and array inputs
 * reach the upstream redacted, a blocked entity is a 400 with no upstream call, a hashing policy
 * without PII_HASH_KEY in production is chat's 503, PII off forwards the input as sent, token-id
 * inputs are refused while the policy acts on anything (unless the tenant forwards them
 * unscanned), oversized inputs are refused before any guardrail, and every refusal publishes a
 * usage event. The upstream is the global fetch, recording every body the OpenAI-compatible
 * adapter sends.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import { UsageEventPackSchema, UsageEventV1Schema, type UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { createTestEnv } from "../auth/testing/test-app";
import { settleAdmission } from "../middleware/settle-admission";
import { putSettingsStmt } from "../settings/settings-store";
import { embeddingsRoutes } from "./embeddings";
import { requestPathApp } from "./test-app";

// Spied on, not replaced: a refusal must release the budget reservation as chat's does.
vi.mock("../middleware/settle-admission", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../middleware/settle-admission")>();
  return { ...actual, settleAdmission: vi.fn(actual.settleAdmission) };
});

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

async function embed(input: unknown, pii: Record<string, unknown> | null, env: Record<string, unknown> = {}, extra: { body?: Record<string, unknown>; guardrails?: Record<string, unknown>; headers?: Record<string, string> } = {}): Promise<Call> {
  const tenantId = `ten_embed_${++seq}`;
  const events: UsageEventV1[] = [];
  // Events leave the isolate packed (telemetry/event-batcher.ts).
  const sendBatch = async (batch: Array<{ body: string }>) => {
    for (const { body } of batch) events.push(...UsageEventPackSchema.parse(JSON.parse(body)).events.map((e) => UsageEventV1Schema.parse(e)));
  };
  const { env: bindings, db } = createTestEnv({ SIMULATOR_URL: "http://embeddings-upstream.test", USAGE_QUEUE: { sendBatch }, ...env });
  await db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(tenantId).run();
  if (pii || extra.guardrails) await putSettingsStmt(db, tenantId, null, { guardrails: { ...(pii ? { pii } : {}), ...extra.guardrails } }, Date.now()).run();
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
  const res = await post("/v1/embeddings", { model: "small-sim", input, ...extra.body }, bindings, extra.headers);
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

  it("token-id inputs are a 400 while the policy acts on any entity; forwarded unscanned when the tenant says so or nothing is acted on", async () => {
    for (const tokens of [[101, 2023, 318], [[101, 2023], [318]]]) {
      const refused = await embed(tokens, null);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ type: "invalid_request_error", code: "unscannable_input", param: "input" });
      expect(refused.upstream).toEqual([]);
      expect(refused.events).toEqual([expect.objectContaining({ kind: "embeddings", status: 400, errorCode: "unscannable_input", costUsd: 0 })]);
      const forwarded = await embed(tokens, { tokenIdInputs: "forward_unscanned" });
      expect(forwarded.status).toBe(200);
      expect(forwarded.upstream[0]?.input).toEqual(tokens);
      expect(forwarded.headers.get("x-guardrails")).toBe("pii=unscanned!skipped");
    }
    const blocking = await embed([7, 8], { tokenIdInputs: "forward_unscanned", entities: { EMAIL_ADDRESS: "block" } });
    expect(blocking.status).toBe(200); // the tenant chose to forward them, blocking policy or not
    const allowAll = Object.fromEntries(["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "CRYPTO", "US_BANK_NUMBER", "ABA_ROUTING_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE", "API_KEY", "PRIVATE_KEY", "JWT", "SECRET", "PERSON", "STREET_ADDRESS"].map((t) => [t, "allow"]));
    expect((await embed([7, 8], { entities: allowAll })).status).toBe(200);
    expect((await embed([7, 8], { enabled: false })).status).toBe(200);
  });

  it("a refused request publishes one usage event with its status and code, and no text, and releases its budget reservation", async () => {
    vi.mocked(settleAdmission).mockClear();
    const blocked = await embed(`SSN ${SSN}`, { entities: { US_SSN: "block" } });
    expect(vi.mocked(settleAdmission).mock.calls.map((call) => call[1])).toEqual([{ tokens: null, costUsd: 0 }]);
    expect(blocked.events).toEqual([expect.objectContaining({ kind: "embeddings", status: 400, errorCode: "content_blocked", model: "small-sim", costUsd: 0 })]);
    expect(JSON.stringify(blocked.events)).not.toContain(SSN);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const noKey = await embed(`Call ${PHONE}`, { entities: { PHONE_NUMBER: "hash" } }, { ENVIRONMENT: "production" });
    expect(noKey.events).toEqual([expect.objectContaining({ status: 503, errorCode: "pii_hash_key_missing" })]);
    const noUserKey = await embed("a plain sentence", null, { ENVIRONMENT: "production", PII_HASH_KEY: HASH_KEY }, { body: { user: "customer-4471" } });
    expect(noUserKey.status).toBe(503);
    expect(noUserKey.events).toEqual([expect.objectContaining({ status: 503, errorCode: "end_user_hash_key_missing", endUser: null })]);
    expect(JSON.stringify(noUserKey.events)).not.toContain("customer-4471");
    const badFeature = await embed("a plain sentence", null, {}, { headers: { "x-feature": "not a feature name!" } });
    expect(badFeature.status).toBe(400);
    expect(badFeature.events).toEqual([expect.objectContaining({ status: 400, errorCode: "invalid_request", feature: null })]);
  });

  it("an input over the model's window, or a batch over 300k tokens, is a 400 before any guardrail or upstream call", async () => {
    // small-sim's window is 32,768 tokens (config/models.local.json).
    const long = `${"harbor lantern copper meadow ".repeat(9_000)}${SSN}`;
    const one = await embed(["short one", long], null);
    expect(one.status).toBe(400);
    expect(one.body.error).toMatchObject({ type: "invalid_request_error", code: "context_length_exceeded", param: "input[1]" });
    expect(one.upstream).toEqual([]);
    expect(one.events[0]?.decisions.guardrails).toBeUndefined(); // refused before the PII control ran
    const tokens = await embed(Array.from({ length: 40_000 }, (_, i) => i % 50_000), null, {}, { guardrails: { pii: { tokenIdInputs: "forward_unscanned" } } });
    expect(tokens.body.error).toMatchObject({ code: "context_length_exceeded", param: "input" });
    const batch = await embed(Array.from({ length: 12 }, () => "harbor lantern copper meadow ".repeat(6_500)), null);
    expect(batch.status).toBe(400);
    expect(batch.body.error).toMatchObject({ code: "max_tokens_per_request", param: "input" });
    expect(batch.upstream).toEqual([]);
  });

  it("an unknown field is dropped on the way upstream, and a 400 for a strict tenant", async () => {
    const lax = await embed("a plain sentence", null, {}, { body: { priority: "high" } });
    expect(lax.status).toBe(200);
    expect(lax.upstream[0]).not.toHaveProperty("priority");
    const strict = await embed("a plain sentence", null, {}, { body: { priority: "high" }, guardrails: { strictFields: true } });
    expect(strict.status).toBe(400);
    expect(strict.body.error).toMatchObject({ code: "unknown_parameter", param: "priority" });
    expect(strict.upstream).toEqual([]);
    expect((await embed("a plain sentence", null, {}, { body: { dimensions: 2, encoding_format: "float" }, guardrails: { strictFields: true } })).status).toBe(200);
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
