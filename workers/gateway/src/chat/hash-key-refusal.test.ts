/**
 * Chat in production without PII_HASH_KEY, for a tenant whose policy hashes: refused (503
 * pii_hash_key_missing) before any upstream call, cache read or write, with a whole usage event
 * for the 503 (and so is a request naming an end user without END_USER_HASH_KEY). With the
 * key, the same request goes on past the guardrails (review s12-sec finding 6:
 * no test pinned that chat wires the deployment's key).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfigWarnings } from "../../../../shared/config-warning";
import { UsageEventPackSchema, UsageEventV1Schema, type UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { createTestEnv } from "../auth/testing/test-app";
import { putSettingsStmt } from "../settings/settings-store";
import { requestPathApp } from "../routes/test-app";
import { handleChat } from "./handle-chat";

vi.mock("cloudflare:workers", () => ({ DurableObject: class {}, env: {} }));

const PHONE = "415-555-0142";
let seq = 0;

afterEach(() => {
  resetConfigWarnings();
  vi.restoreAllMocks();
});

/** Every event in what the queue was sent (single events or packs, objects or JSON text). */
function eventsOf(messages: unknown[]): UsageEventV1[] {
  const out: UsageEventV1[] = [];
  const take = (m: unknown): void => {
    const v = typeof m === "string" ? (JSON.parse(m) as unknown) : m;
    const pack = UsageEventPackSchema.safeParse(v);
    if (pack.success) pack.data.events.forEach(take);
    else out.push(UsageEventV1Schema.parse(v));
  };
  for (const m of messages) take(m);
  return out;
}

async function chat(extraEnv: Record<string, unknown>, extraBody: Record<string, unknown> = {}) {
  const tenantId = `ten_refuse_${++seq}`;
  const sent: unknown[] = [];
  const kvOps: string[] = [];
  const cacheKv = new Proxy({}, { get: (_t, op: string) => async () => void kvOps.push(op) });
  const { env, db } = createTestEnv({
    ENVIRONMENT: "production",
    CACHE_KV: cacheKv,
    USAGE_QUEUE: { send: async (m: unknown) => void sent.push(m), sendBatch: async (b: Array<{ body: unknown }>) => void sent.push(...b.map((x) => x.body)) },
    ...extraEnv,
  });
  await db.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, 0)").bind(tenantId).run();
  await putSettingsStmt(db, tenantId, null, { guardrails: { pii: { entities: { PHONE_NUMBER: "hash" } } } }, Date.now()).run();
  const upstream = vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("no upstream in this test", { status: 500 }));
  const post = requestPathApp({ tenantId, keyId: "key_refuse", role: "service", scopes: [], models: null, tiers: null, features: null }, (app) => {
    app.post("/v1/chat/completions", handleChat as never);
  });
  const { status, text } = await post("/v1/chat/completions", { model: "small-sim", messages: [{ role: "user", content: `Text me on ${PHONE} when the parcel ships.` }], ...extraBody }, env);
  return { status, text, events: eventsOf(sent), upstreamCalls: upstream.mock.calls.length, kvOps };
}

describe("chat with a hashing policy and no PII_HASH_KEY in production", () => {
  it("is refused before any upstream call or cache access, with a whole 503 usage event", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const r = await chat({});
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toMatchObject({ error: { type: "api_error", code: "pii_hash_key_missing" } });
    expect(r.upstreamCalls).toBe(0);
    expect(r.kvOps).toEqual([]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ kind: "chat", status: 503, errorCode: "pii_hash_key_missing", costUsd: 0 });
    expect(JSON.stringify(r.events)).not.toContain(PHONE);
  });

  it("a request naming an end user without END_USER_HASH_KEY is refused with a whole 503 usage event that names nobody", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const r = await chat({ PII_HASH_KEY: "a-chat-path-pii-hash-key-of-40-characters" }, { user: "subscriber-20817" });
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: "end_user_hash_key_missing" } });
    expect(r.upstreamCalls).toBe(0);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ kind: "chat", status: 503, errorCode: "end_user_hash_key_missing", endUser: null, costUsd: 0 });
    expect(JSON.stringify(r.events)).not.toContain("subscriber-20817");
    expect(JSON.stringify(r.events)).not.toContain(PHONE);
  });

  it("with the key, the same request passes the guardrails and reaches the cache", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const r = await chat({ PII_HASH_KEY: "a-chat-path-pii-hash-key-of-40-characters" });
    expect(r.text).not.toContain("pii_hash_key_missing");
    // This harness has no vector store, so the request ends in the cache stage: past the refusal all the same.
    expect(r.kvOps).toContain("get");
  });
});
