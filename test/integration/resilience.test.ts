import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../../shared/sse";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  ({ key } = await seedKey(stack));
});
afterAll(async () => stack?.close());
afterEach(() => {
  stack.sim.setFaults({ model: "small-sim", reset: true });
  stack.sim.setFaults({ model: "frontier-sim", reset: true });
});

const chat = (body: Record<string, unknown>) =>
  stack.fetch("/v1/chat/completions", {
    method: "POST",
    // Each call must reach the upstream: no cache lookups or stores in these tests.
    headers: bearer(key, { "cache-control": "no-cache, no-store" }),
    body: JSON.stringify({ messages: [{ role: "user", content: "resilience probe" }], ...body }),
  });

describe("retries, fallback and streams", () => {
  it("retries a 503 on the same model with backoff and answers", async () => {
    stack.sim.setFaults({ model: "small-sim", failNext: 2, failStatus: 503 });
    const res = await chat({ model: "auto" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("openai-compatible:small-sim");
    expect(res.headers.get("x-upstream-attempt")).toBe("3");
  });

  it("honours Retry-After on a 429", async () => {
    stack.sim.setFaults({ model: "small-sim", failNext: 1, failStatus: 429, retryAfterSeconds: 1 });
    const res = await chat({ model: "auto" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream-attempt")).toBe("2");
  });

  it("falls back to the next tier when a model keeps failing", async () => {
    stack.sim.setFaults({ model: "small-sim", failNext: 3, failStatus: 500 });
    const res = await chat({ model: "auto" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
    expect(res.headers.get("x-upstream-attempt")).toBe("4");
  });

  it("does not retry a non-retryable 400 and reports it as a client error", async () => {
    stack.sim.setFaults({ model: "frontier-sim", failNext: 1, failStatus: 400 });
    const res = await chat({ model: "frontier-sim" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("upstream_rejected");
    expect(res.headers.get("x-upstream-attempts")).toBe("1");
  });

  it("ends a stream that breaks after its first bytes with an error event, not a silent fallback", async () => {
    stack.sim.setFaults({ model: "frontier-sim", disconnectMidStreamRate: 1 });
    const res = await chat({ model: "frontier-sim", stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
    const events: string[] = [];
    for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) events.push(ev.data);
    const last = JSON.parse(events.at(-1) ?? "{}") as { error?: { code: string } };
    expect(last.error?.code).toBe("stream_interrupted");
    expect(events).not.toContain("[DONE]");
  });
});

// The circuit breaker's behaviour under faults is in circuit-breaker.test.ts (its own stack, so
// an open circuit never leaks into these tests).
