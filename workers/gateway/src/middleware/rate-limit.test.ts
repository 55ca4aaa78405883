import { describe, expect, it } from "vitest";
import { KeyCache } from "../auth/key-lookup";
import { seedTenant } from "../auth/seed-tenant";
import { createTestApp, createTestEnv } from "../auth/testing/test-app";
import { upsertLimitsStmt } from "../limits/budget-repository";
import { inMemoryClient } from "../limits/rate-limit-client";
import { auth } from "./auth";
import { rateLimit, settleTokens } from "./rate-limit";

type LimitsRow = Partial<Record<"tenant_requests_per_minute" | "tenant_tokens_per_minute" | "key_requests_per_minute" | "key_tokens_per_minute", number>> & { limiter_fail_mode?: "open" | "closed" };

async function setup(limits: LimitsRow) {
  const t = createTestEnv();
  const clock = { now: 1_000_000 };
  const limiter = inMemoryClient(() => clock.now);
  const a = await seedTenant(t.db, { name: "a", role: "service" });
  const b = await seedTenant(t.db, { name: "a", tenantId: a.tenantId, role: "service" });
  await upsertLimitsStmt(t.db, a.tenantId, { tenant_requests_per_minute: null, tenant_tokens_per_minute: null, key_requests_per_minute: null, key_tokens_per_minute: null, ...limits }, 0).run();
  const app = createTestApp();
  let actual = 0;
  app.use("*", auth({ cache: new KeyCache(), now: () => clock.now }), rateLimit({ client: () => limiter }));
  app.post("/v1/chat/completions", async (c) => {
    await settleTokens(c, actual, { client: () => limiter });
    return c.json({ reserved: c.get("rateLimit")?.estimatedTokens ?? null });
  });
  const call = (key: string, body: unknown = { messages: [{ role: "user", content: "hi" }], max_tokens: 100 }) =>
    app.request("/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) }, t.env);
  return { a, b, clock, call, limiter, setActual: (n: number) => (actual = n) };
}

describe("rateLimit() middleware", () => {
  it("limits requests per key, independently per key, with 429 rate_limited and Retry-After", async () => {
    const s = await setup({ key_requests_per_minute: 2 });
    expect((await s.call(s.a.key)).status).toBe(200);
    expect((await s.call(s.a.key)).status).toBe(200);
    const denied = await s.call(s.a.key);
    expect(denied.status).toBe(429);
    expect(denied.headers.get("retry-after")).toBe("30");
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
    expect((await s.call(s.b.key)).status).toBe(200);
    s.clock.now += 30_000;
    expect((await s.call(s.a.key)).status).toBe(200);
  });

  it("limits requests per tenant across its keys", async () => {
    const s = await setup({ tenant_requests_per_minute: 3 });
    for (const k of [s.a.key, s.b.key, s.a.key]) expect((await s.call(k)).status).toBe(200);
    expect((await s.call(s.b.key)).status).toBe(429);
  });

  it("reserves an estimate of tokens and settles it to the actual usage", async () => {
    const s = await setup({ tenant_tokens_per_minute: 1_000 });
    s.setActual(50);
    const first = await s.call(s.a.key, { messages: [{ role: "user", content: "x".repeat(400) }], max_tokens: 300 });
    expect(((await first.json()) as { reserved: number }).reserved).toBeGreaterThan(400);
    // Settled to 50 used: 950 left, so a 900-token estimate fits.
    expect((await s.call(s.a.key, { max_tokens: 880 })).status).toBe(200);
    s.setActual(0);
    expect((await s.call(s.a.key, { max_tokens: 900 })).status).toBe(429);
  });

  it("counts real usage even when the estimate was larger than the whole limit (no refund of uncharged tokens)", async () => {
    // A 10k tokens/min limit; every call really uses 9k but asks for max_tokens 100k. The charge
    // was capped at 10k, so settling must charge back 9k - 10k, not refund 100k - 9k.
    const s = await setup({ key_tokens_per_minute: 10_000 });
    s.setActual(9_000);
    const huge = { messages: [{ role: "user", content: "hi" }], max_tokens: 100_000 };
    expect((await s.call(s.a.key, huge)).status).toBe(200);
    const second = await s.call(s.a.key, huge);
    expect(second.status).toBe(429);
    s.clock.now += 60_000;
    expect((await s.call(s.a.key, huge)).status).toBe(200);
  });

  it("skips the limiter entirely for tenants without limits", async () => {
    const s = await setup({});
    expect((await s.call(s.a.key)).status).toBe(200);
    expect(s.limiter.cores.size).toBe(0);
  });

  it("fails closed by default when the limiter is unreachable (503), open only for tenants that chose it", async () => {
    const closed = await setup({ key_requests_per_minute: 1 });
    closed.limiter.admit = async () => {
      throw new Error("durable object overloaded");
    };
    const refused = await closed.call(closed.a.key);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("control_unavailable");

    const open = await setup({ key_requests_per_minute: 1, limiter_fail_mode: "open" });
    open.limiter.admit = async () => {
      throw new Error("durable object overloaded");
    };
    expect((await open.call(open.a.key)).status).toBe(200);
    expect((await open.call(open.a.key)).status).toBe(200);
  });

  it("answers with OpenAI's x-ratelimit-* headers, on success and on 429, naming the tighter bucket", async () => {
    const s = await setup({ tenant_requests_per_minute: 100, key_requests_per_minute: 2, tenant_tokens_per_minute: 10_000 });
    const ok = await s.call(s.a.key, { messages: [{ role: "user", content: "hi" }], max_tokens: 1_000 });
    expect(ok.status).toBe(200);
    const reserved = ((await ok.json()) as { reserved: number }).reserved;
    expect(ok.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(ok.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect(ok.headers.get("x-ratelimit-reset-requests")).toBe("30s");
    expect(ok.headers.get("x-ratelimit-limit-tokens")).toBe("10000");
    expect(ok.headers.get("x-ratelimit-remaining-tokens")).toBe(String(10_000 - reserved));
    expect(ok.headers.get("x-ratelimit-reset-tokens")).toMatch(/^\d+(\.\d+)?s$/);
    await s.call(s.a.key);
    const denied = await s.call(s.a.key);
    expect(denied.status).toBe(429);
    expect(denied.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(denied.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(denied.headers.get("x-ratelimit-reset-requests")).toBe("1m0s");
    expect(denied.headers.get("retry-after")).toBe("30");
  });
});
