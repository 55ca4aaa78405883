import http from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack({ vars: { MAX_BODY_BYTES: "65536" } });
  ({ key } = await seedKey(stack));
});
afterAll(async () => stack?.close());

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: { ...bearer(key), ...headers }, body });

async function expectOpenAIError(res: Response, status: number, code?: string): Promise<void> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { message: string; type: string; code: string; param: unknown } };
  expect(typeof body.error.message).toBe("string");
  expect(typeof body.error.type).toBe("string");
  if (code) expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack traces
}

describe("bad input gets a clear 4xx", () => {
  it("413 for a body over the configured limit, declared or streamed", async () => {
    const big = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "x".repeat(70_000) }] });
    await expectOpenAIError(await post(big), 413, "payload_too_large");
  });

  it("a chunked upload over the limit gets 413 and leaves the keep-alive connection usable", async () => {
    // workerd drops a keep-alive connection whose request body was cancelled half-read; the next
    // request on it then fails (under wrangler dev: a plain-text 503 "worker restarted").
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { port } = new URL(stack.url);
    const send = (method: string, path: string, body: (req: http.ClientRequest) => void) =>
      new Promise<{ status: number; reused: boolean }>((ok, fail) => {
        const req = http.request({ host: "127.0.0.1", port, method, path, agent, headers: bearer(key) }, (res) => {
          res.resume();
          res.on("end", () => ok({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", fail);
        body(req);
      });
    try {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const big = await send("POST", "/v1/chat/completions", (req) => {
        for (let i = 0; i < 80; i++) req.write(chunk); // 5 MB, Transfer-Encoding: chunked
        req.end();
      });
      expect(big.status).toBe(413);
      const next = await send("GET", "/v1/models", (req) => req.end());
      expect(next).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it("400 for invalid UTF-8", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"model":"auto","messages":[{"role":"user","content":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}]}')]);
    await expectOpenAIError(await post(bytes), 400, "invalid_encoding");
  });

  it("415 for a non-JSON content type", async () => {
    await expectOpenAIError(await post("model=auto", { "content-type": "application/x-www-form-urlencoded" }), 415);
  });

  it("rejects wrong types and missing fields, naming the param", async () => {
    const res = await post(JSON.stringify({ model: "auto", messages: [{ role: "user", content: 42 }] }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string } };
    expect(body.error.param).toMatch(/^messages\.0/);
    await expectOpenAIError(await post(JSON.stringify({ messages: [] })), 400, "invalid_request");
    await expectOpenAIError(await post(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], temperature: "hot" })), 400);
  });

  it("400 for JSON nested deeper than any API body needs, cached path or not, and the upstream is untouched", async () => {
    const nested = "[".repeat(30_000) + "]".repeat(30_000);
    const body = `{"model":"auto","messages":[{"role":"user","content":"hi"}],"x":${nested}}`;
    const before = stack.sim.requests().length;
    await expectOpenAIError(await post(body), 400, "too_deep");
    await expectOpenAIError(await post(body, { "cache-control": "no-cache, no-store" }), 400, "too_deep");
    expect(stack.sim.requests().length).toBe(before);
    const ok = await post(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "still fine" }], x: [[[1]]] }), { "cache-control": "no-cache, no-store" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-upstream-attempt")).toBe("1");
  });

  it("does not echo injected header values", async () => {
    const res = await post(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }] }), { "x-request-id": "bad id with spaces;x=1", "x-feature": "ok" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(res.headers.get("x-client-request-id")).toBeNull();
    await expectOpenAIError(await post(JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }] }), { "x-feature": "a b;c=<script>" }), 400);
  });

  it("unknown routes and methods are OpenAI-shaped 404s", async () => {
    await expectOpenAIError(await stack.fetch("/v1/nothing-here", { headers: bearer(key) }), 404, "not_found");
  });
});

describe("property: random bodies never produce a 5xx", () => {
  const message = fc.record(
    {
      role: fc.oneof(fc.constantFrom("user", "system", "assistant", "tool", "developer"), fc.string()),
      content: fc.oneof(fc.string(), fc.constant(null), fc.integer(), fc.array(fc.record({ type: fc.constantFrom("text", "image_url", "x"), text: fc.string() }), { maxLength: 3 })),
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        model: fc.oneof(fc.constantFrom("auto", "small-sim", "frontier-sim", "frontier", "nope"), fc.string()),
        messages: fc.oneof(fc.array(message, { maxLength: 4 }), fc.jsonValue()),
        max_tokens: fc.oneof(fc.integer(), fc.double(), fc.string()),
        temperature: fc.oneof(fc.double(), fc.constant(null)),
        stream: fc.oneof(fc.boolean(), fc.string()),
        tools: fc.jsonValue(),
        response_format: fc.jsonValue(),
      },
      { requiredKeys: [] },
    ),
  );

  it("holds for generated JSON and near-valid chat bodies", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await post(JSON.stringify(value));
        await res.arrayBuffer();
        expect(res.status, JSON.stringify(value).slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
  });
});
