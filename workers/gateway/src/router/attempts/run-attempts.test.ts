import { afterEach, describe, expect, it, vi } from "vitest";
import { registryFor } from "../../config/registry-loader";
import type { BreakerClient, CallOutcome } from "./circuit-breaker";
import type { Admission } from "./circuit-breaker-state";
import { runChat, runChatStream, type RunContext } from "./run-attempts";

const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://sim.test" });
const model = registry.model("small-sim")!;
const attempts = [{ model, tier: model.tier }];
const request = { model: "small-sim", messages: [{ role: "user" as const, content: "hi" }] };
const breaker: BreakerClient = { admit: async () => "closed", report: async () => undefined };
const frontier = registry.model("frontier-sim")!;
const bothTiers = [...attempts, { model: frontier, tier: frontier.tier }];
const fast = { baseMs: 1, capMs: 1 };

/** A breaker that admits as told and records every report. */
function recordingBreaker(admission: (model: string) => Admission = () => "closed") {
  const reports: Array<[string, CallOutcome, boolean]> = [];
  const client: BreakerClient = { admit: async (m) => admission(m), report: async (m, o, p) => void reports.push([m, o, p]) };
  return { client, reports };
}

/** An upstream whose answers per model are scripted: a status per call (200 = answer). */
function scripted(statuses: Record<string, number[]>) {
  const calls: string[] = [];
  const fetchFn: typeof fetch = async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as { model: string; stream?: boolean };
    calls.push(body.model);
    const status = statuses[body.model]?.shift() ?? 200;
    if (status !== 200) return Response.json({ error: { message: "boom", type: "server_error" } }, { status });
    if (body.stream) return sse([chunk("a"), chunk("b")]);
    return Response.json({ id: "x", object: "chat.completion", created: 1, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  };
  return { calls, fetchFn };
}

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

describe("run attempts and the circuit breaker", () => {
  it("reports one outcome per client request on a model, however many retries it took", async () => {
    const { client, reports } = recordingBreaker();
    const up = scripted({ "small-sim": [503, 503, 200] });
    const answered = await runChat(request, bothTiers, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast });
    expect(answered.attemptNumber).toBe(3);
    expect(reports).toEqual([["small-sim", "ok", false]]);
  });

  it("reports a model that failed every retry once, then the fallback's success", async () => {
    const { client, reports } = recordingBreaker();
    const up = scripted({ "small-sim": [500, 500, 500] });
    const answered = await runChat(request, bothTiers, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast });
    expect(answered.attempt.model.id).toBe("frontier-sim");
    expect(reports).toEqual([["small-sim", "failed", false], ["frontier-sim", "ok", false]]);
  });

  it("makes a half-open probe a single upstream call", async () => {
    const { client, reports } = recordingBreaker((m) => (m === "small-sim" ? "probe" : "closed"));
    const up = scripted({ "small-sim": [503, 503, 503] });
    const answered = await runChat(request, bothTiers, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast });
    expect(up.calls).toEqual(["small-sim", "frontier-sim"]);
    expect(answered.attemptNumber).toBe(2);
    expect(reports[0]).toEqual(["small-sim", "failed", true]);
  });

  it("gives a request whose every circuit is open one call instead of failing it unanswered", async () => {
    const { client, reports } = recordingBreaker(() => "denied");
    const up = scripted({ "small-sim": [503] });
    await expect(runChat(request, attempts, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast })).rejects.toMatchObject({ kind: "upstream_error" });
    expect(up.calls).toEqual(["small-sim"]);
    const answered = await runChat(request, bothTiers, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast });
    expect(answered.records.map((r) => r.outcome)).toEqual(["circuit_open", "circuit_open", "ok"]);
    expect(answered.attempt.model.id).toBe("small-sim");
    expect(reports).toEqual([["small-sim", "failed", false], ["small-sim", "ok", false]]);
  });

  it("gives the skipped model one call when every model the breaker let through failed", async () => {
    const { client, reports } = recordingBreaker((m) => (m === "small-sim" ? "denied" : "closed"));
    const up = scripted({ "frontier-sim": [500, 500, 500] });
    const answered = await runChat(request, bothTiers, { bindings: {}, breaker: client, fetch: up.fetchFn, backoff: fast });
    expect(up.calls).toEqual(["frontier-sim", "frontier-sim", "frontier-sim", "small-sim"]);
    expect(answered.attempt.model.id).toBe("small-sim");
    expect(reports).toEqual([["frontier-sim", "failed", false], ["small-sim", "ok", false]]);
  });

  it("books a stream's outcome when it ends: ok when complete, released when the client left", async () => {
    const { client, reports } = recordingBreaker();
    const up = scripted({});
    const streamed = { ...request, stream: true };
    const done = await runChatStream(streamed, attempts, { bindings: {}, breaker: client, fetch: up.fetchFn });
    expect(reports).toEqual([]);
    while (!(await done.value.rest.next()).done);
    const left = await runChatStream(streamed, attempts, { bindings: {}, breaker: client, fetch: up.fetchFn });
    left.value.abort();
    expect(reports).toEqual([["small-sim", "ok", false], ["small-sim", "released", false]]);
  });

  it("books a stream the upstream cuts after its first chunk as a failed request", async () => {
    const { client, reports } = recordingBreaker();
    const cut: typeof fetch = async () => {
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new TextEncoder().encode(`data: ${chunk("a")}\n\n`));
          else controller.error(new Error("connection reset"));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    };
    const open = await runChatStream({ ...request, stream: true }, attempts, { bindings: {}, breaker: client, fetch: cut });
    await expect((async () => { while (!(await open.value.rest.next()).done); })()).rejects.toBeTruthy();
    expect(reports).toEqual([["small-sim", "failed", false]]);
  });

  it("a cancel during a retry's backoff ends it at once and still reports the failure the upstream gave", async () => {
    const { client, reports } = recordingBreaker();
    const { calls, fetchFn } = scripted({ [model.upstreamModel]: [503, 503, 503] });
    const cancel = new AbortController();
    // A long backoff: only the cancel can end it within the test's time.
    const ctx: RunContext = { bindings: {}, breaker: client, fetch: fetchFn, backoff: { baseMs: 60_000, capMs: 60_000 }, cancel: cancel.signal };
    const running = runChatStream(request, attempts, ctx).then(() => "answered", () => "failed");
    await new Promise((r) => setTimeout(r, 20));
    cancel.abort();
    expect(await running).toBe("failed");
    expect(calls).toHaveLength(1);
    expect(reports).toEqual([[model.id, "failed", false]]);
  });

  it("a cancel that lands while the breaker admits a half-open probe releases the slot instead of holding it", async () => {
    const cancel = new AbortController();
    // The client leaves while admission is being decided: the probe slot is granted, then unused.
    const { client, reports } = recordingBreaker(() => {
      cancel.abort();
      return "probe";
    });
    const { calls, fetchFn } = scripted({});
    const ctx: RunContext = { bindings: {}, breaker: client, fetch: fetchFn, backoff: fast, cancel: cancel.signal };
    await expect(runChatStream(request, attempts, ctx)).rejects.toThrow();
    expect(calls).toHaveLength(0);
    expect(reports).toEqual([[model.id, "released", true]]);
  });
});
