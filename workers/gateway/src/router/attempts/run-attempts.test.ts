import { afterEach, describe, expect, it, vi } from "vitest";
import { registryFor } from "../../config/registry-loader";
import type { BreakerClient } from "./circuit-breaker";
import { runChat, runChatStream, type RunContext } from "./run-attempts";

const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://sim.test" });
const model = registry.model("small-sim")!;
const attempts = [{ model, tier: model.tier }];
const request = { model: "small-sim", messages: [{ role: "user" as const, content: "hi" }] };
const breaker: BreakerClient = { allow: async () => true, report: async () => undefined };

/** An upstream that never answers, but gives up when the call's signal aborts. */
const hanging: typeof fetch = (_input, init) =>
  new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));

function sse(chunks: string[]): Response {
  const body = chunks.map((c) => `data: ${c}\n\n`).join("") + "data: [DONE]\n\n";
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}
const chunk = (content: string) => JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "small-sim", choices: [{ index: 0, delta: { content }, finish_reason: null }] });

afterEach(() => vi.useRealTimers());

describe("run attempts", () => {
  it("gives a stream that is answered whole a streamed answer's time, not the first-byte limit", async () => {
    vi.useFakeTimers();
    const ctx: RunContext = { bindings: {}, breaker, fetch: hanging, backoff: { baseMs: 1, capMs: 1 } };
    // Long enough for every first-byte-limited try to time out, short of one total limit.
    const span = model.timeouts.firstByteMs * (model.maxRetries + 2);
    expect(span).toBeLessThan(model.timeouts.totalMs);
    const settled = { whole: false, plain: false };
    runChat(request, attempts, ctx, "total").catch(() => undefined).finally(() => (settled.whole = true));
    runChat(request, attempts, ctx).catch(() => undefined).finally(() => (settled.plain = true));
    await vi.advanceTimersByTimeAsync(span);
    expect(settled).toEqual({ whole: false, plain: true });
    await vi.runAllTimersAsync();
  });

  it("clears a committed stream's total-time cap when the client leaves between reads", async () => {
    vi.useFakeTimers();
    const ctx: RunContext = { bindings: {}, breaker, fetch: async () => sse([chunk("a"), chunk("b")]) };
    const { value: open } = await runChatStream(request, attempts, ctx);
    expect(vi.getTimerCount()).toBe(1); // the cap
    open.abort();
    expect(vi.getTimerCount()).toBe(0);
  });
});
