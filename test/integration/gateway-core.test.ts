import fc from "fast-check";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";
import { waitFor } from "../harness/wait-for";

let stack: Stack;
let key: string;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack();
  ({ key } = await seedKey(stack));
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: key, maxRetries: 0 });
});
afterAll(async () => stack?.close());

describe("gateway core through workerd", () => {
  it("answers /healthz without a key", async () => {
    const res = await stack.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("server-timing")).toMatch(/total;dur=/);
    expect(await res.json()).toMatchObject({ status: "ok", tiers: ["small", "frontier"] });
  });

  it("property: every response carries x-request-id and Server-Timing (401s, 404s, preflights too)", async () => {
    const paths = fc.oneof(fc.constantFrom("/healthz", "/v1/models", "/v1/chat/completions", "/v1/embeddings", "/admin/v1/tenants", "/v1/usage", "/nope", "/console/", "/console/console.js", "/console/nope.png"), fc.webPath());
    const auths = fc.option(fc.constantFrom(`Bearer ${key}`, "Bearer nope", "Basic x", ""), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("GET", "POST", "DELETE", "OPTIONS", "PUT"), paths, auths, async (method, path, auth) => {
        const headers: Record<string, string> = { "content-type": "application/json", ...(auth !== undefined ? { authorization: auth } : {}) };
        const res = await stack.fetch(path.startsWith("/") ? path : `/${path}`, { method, headers, ...(method === "POST" || method === "PUT" ? { body: "{}" } : {}) });
        await res.arrayBuffer();
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        expect(res.headers.get("x-request-id")).toMatch(/^req_/);
        expect(res.headers.get("server-timing"), `${method} ${path} ${res.status}`).toMatch(/(^|, )total;dur=\d/);
      }),
      { numRuns: 60 },
    );
  });

  it("rejects a missing or forged key with OpenAI's 401 shape", async () => {
    for (const auth of [undefined, "Bearer nope", `Bearer ${key.slice(0, -2)}zz`]) {
      const res = await stack.fetch("/v1/models", { headers: auth ? { authorization: auth } : {} });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { type: string; code: string } };
      expect(body.error).toMatchObject({ type: "authentication_error", code: "invalid_api_key" });
    }
  });

  it("serves the console's static files with x-request-id and Server-Timing, and their security headers", async () => {
    const ids = new Set<string>();
    for (const path of ["/console", "/console/", "/console/console.js", "/console/console.css"]) {
      const res = await stack.fetch(path, { redirect: "manual" });
      const body = await res.text();
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers.get("x-request-id"), path).toMatch(/^req_/);
      expect(res.headers.get("server-timing"), path).toMatch(/(^|, )total;dur=\d/);
      ids.add(res.headers.get("x-request-id") ?? "");
      if (res.status === 200) expect(body.length, path).toBeGreaterThan(0);
      if (path === "/console/") {
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
        expect(res.headers.get("x-frame-options")).toBe("DENY");
      }
    }
    expect(ids.size).toBe(4);
    // Revalidation still works through the Worker: the ETag comes back as a 304.
    const first = await stack.fetch("/console/console.js");
    await first.arrayBuffer();
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await stack.fetch("/console/console.js", { headers: { "if-none-match": etag ?? "" } });
    await again.arrayBuffer();
    expect(again.status).toBe(304);
    expect(again.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("serves a plain chat with the official client and names the upstream", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: "Say hello" }] })
      .withResponse();
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    // The upstream named is the one the route chose (which tier a greeting gets is the router's
    // business, tested against the shipped model in router/dry-run.test.ts).
    const tier = response.headers.get("x-route-tier");
    expect(["small", "frontier"]).toContain(tier);
    expect(response.headers.get("x-upstream")).toBe(`openai-compatible:${tier}-sim`);
    expect(response.headers.get("x-upstream-attempt")).toBe("1");
    expect(response.headers.get("server-timing")).toContain("upstream;dur=");
  });

  it("streams the same answer and usage as the non-streamed call", async () => {
    const messages = [{ role: "user" as const, content: "Explain caching in two sentences" }];
    const plain = await client.chat.completions.create({ model: "frontier-sim", messages });
    const stream = await client.chat.completions.create({ model: "frontier-sim", messages, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(usage).toEqual(plain.usage);
  });

  it("passes tools through and returns the tool call", async () => {
    const res = await client.chat.completions.create({
      model: "auto",
      messages: [{ role: "user", content: "What is the weather in Lisbon?" }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }],
    });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && call.function.name).toBe("get_weather");
    expect(res.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("gives clear 4xx errors for bad input", async () => {
    const cases: Array<[string, number, string]> = [
      ["{not json", 400, "invalid_json"],
      [JSON.stringify({ model: "auto" }), 400, "invalid_request"],
      [JSON.stringify({ model: "nope", messages: [{ role: "user", content: "hi" }] }), 404, "model_not_found"],
      [JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], max_tokens: 10_000_000 }), 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key), body });
      expect(res.status, body).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});

describe("rate limits on the wire", () => {
  it("a rate-limited chat is a 429 with Retry-After and OpenAI's x-ratelimit-* headers", async () => {
    const admin = await seedKey(stack, { role: "admin" });
    const service = await seedKey(stack, { tenantId: admin.tenantId });
    const put = await stack.fetch(`/admin/v1/tenants/${admin.tenantId}/limits`, { method: "PUT", headers: bearer(admin.key), body: JSON.stringify({ key_requests_per_minute: 1 }) });
    expect(put.status).toBe(200);
    const ask = () => stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(service.key), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "Limited hello" }] }) });
    const first = await ask();
    await first.arrayBuffer();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const second = await ask();
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(second.headers.get("x-ratelimit-limit-requests")).toBe("1");
    expect(second.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(second.headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?[\d.]+m?s$/);
    expect(second.headers.get("server-timing")).toMatch(/total;dur=/);
  });
});

describe("n (several choices)", () => {
  it("property: n > 1 is a 400 unsupported_value naming n, before any upstream call; n = 1 is served", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 16 }), fc.boolean(), fc.constantFrom("auto", "small", "frontier-sim"), async (n, stream, model) => {
        const before = stack.sim.requests().length;
        const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(key), body: JSON.stringify({ model, n, stream, messages: [{ role: "user", content: `Pick ${n} names` }] }) });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: "unsupported_value", param: "n" });
        expect(stack.sim.requests().length).toBe(before);
      }),
      { numRuns: 15 },
    );
    const one = await client.chat.completions.create({ model: "auto", n: 1, messages: [{ role: "user", content: "One name please" }] });
    expect(one.choices).toHaveLength(1);
  });
});

describe("embeddings and models", () => {
  it("serves embeddings through the registry and lists models the key may use", async () => {
    const emb = await client.embeddings.create({ model: "small-sim", input: ["hello", "world"], encoding_format: "float" });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]?.embedding.length).toBeGreaterThan(10);
    expect(emb.usage.prompt_tokens).toBeGreaterThan(0);
    await expect(client.embeddings.create({ model: "frontier-sim", input: "x" })).rejects.toMatchObject({ status: 404 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(["auto", "small", "frontier", "small-sim", "frontier-sim"]));
  });

  it('"model": "auto" embeds with the default embeddings model, and /v1/models says which models embed', async () => {
    const emb = await client.embeddings.create({ model: "auto", input: "hello", encoding_format: "float" });
    expect(emb.model).toBe("small-sim");
    expect(emb.data[0]?.embedding.length).toBeGreaterThan(10);
    const listed = (await (await stack.fetch("/v1/models", { headers: bearer(key) })).json()) as { data: Array<{ id: string; capabilities: { chat: boolean; embeddings: boolean } }> };
    const embeds = Object.fromEntries(listed.data.map((m) => [m.id, m.capabilities.embeddings]));
    expect(embeds).toMatchObject({ auto: true, "small-sim": true, "frontier-sim": false, small: false, frontier: false });
    // A key without any embeddings model: auto is a clear 404 and /v1/models says auto does not embed.
    const { key: frontierOnly } = await seedKey(stack, { tiers: ["frontier"] });
    const res = await stack.fetch("/v1/embeddings", { method: "POST", headers: bearer(frontierOnly), body: JSON.stringify({ model: "auto", input: "x" }) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "model_not_found", message: expect.stringContaining("capabilities.embeddings") });
    const limited = (await (await stack.fetch("/v1/models", { headers: bearer(frontierOnly) })).json()) as { data: Array<{ id: string; capabilities: { embeddings: boolean } }> };
    expect(limited.data.find((m) => m.id === "auto")?.capabilities.embeddings).toBe(false);
  });

  it("property: /v1/embeddings with auto or any name and any input is never a 5xx, and planted PII never reaches the simulator", async () => {
    // Texts of our own with an SSN or e-mail planted (the default policy redacts both).
    const planted = ["536-22-8147", "ines.varga@copperfield.example"];
    const text = fc.oneof(fc.string(), fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...planted)).map(([a, p]) => `${a} | ${p} | ok`));
    const input = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 5 }), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom("auto", "small-sim", "frontier-sim", "small"), fc.string()), input, async (model, value) => {
        stack.sim.reset();
        const res = await stack.fetch("/v1/embeddings", { method: "POST", headers: bearer(key), body: JSON.stringify({ model, input: value }) });
        await res.arrayBuffer();
        expect(res.status, JSON.stringify({ model, value }).slice(0, 200)).toBeLessThan(500);
        const seen = JSON.stringify(stack.sim.requests().map((r) => r.body));
        for (const p of planted) expect(seen).not.toContain(p);
      }),
      { numRuns: 40 },
    );
  });
});

// This stack runs no evaluator: the usage queue has a producer and no consumer, i.e. a stalled one.
describe("queue lag with a stalled consumer", () => {
  it("shows the events waiting and an oldest-unconsumed age that grows", async () => {
    const { tenantId, key: service } = await seedKey(stack, { role: "service", name: "stalled-queue" });
    const { key: admin } = await seedKey(stack, { role: "admin", tenantId });
    for (const content of ["Nobody consumes this one", "Nor this one"]) {
      const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(service), body: JSON.stringify({ model: "small-sim", messages: [{ role: "user", content }] }) });
      await res.text();
    }
    const lag = async () => {
      const text = await (await stack.fetch("/metrics", { headers: bearer(admin) })).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
      return { backlog: value("gateway_evaluator_queue_backlog_events"), oldest: value('gateway_evaluator_queue_lag_seconds\\{stat="oldest_unconsumed"\\}'), max: value('gateway_evaluator_queue_lag_seconds\\{stat="max"\\}') };
    };
    // The gateway reports accepted events with its live metrics, in the background: wait for both.
    const first = await waitFor(async () => {
      const l = await lag();
      return l.backlog === 2 ? l : null;
    }, 20_000, "both events to be reported as waiting");
    expect(first.oldest).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_100));
    const later = await lag();
    expect(later.backlog).toBe(2);
    expect(later.oldest).toBeGreaterThanOrEqual(first.oldest + 1);
    expect(later.max).toBeGreaterThanOrEqual(later.oldest);
  });
});
