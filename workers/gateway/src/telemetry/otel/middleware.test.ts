import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OtlpExporter } from "../../../../../shared/otel/exporter";
import type { AppEnv } from "../../app-env";
import type { ChatExchange } from "../../chat/exchange";
import { ServerTiming } from "../server-timing";
import { chatTrace, tracedRun } from "./chat-trace";
import { otelTrace } from "./middleware";
import type { RequestTrace } from "./request-trace";

const result = { status: 200, errorCode: null, usage: null, costUsd: 0, completedAt: 0, ttftMs: null, answer: "ok" };

/** A chat-shaped route behind the middleware: what the traced request left behind. */
function app(seen: { trace?: RequestTrace; held?: boolean; upstream?: string | null }) {
  const a = new Hono<AppEnv>();
  a.use(async (c, next) => {
    c.set("timing", new ServerTiming());
    c.set("receivedAt", Date.now());
    await next();
  });
  a.use(otelTrace());
  a.post("/v1/chat/completions", async (c) => {
    seen.trace = c.get("otel");
    const run = tracedRun(c);
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_i: RequestInfo | URL, init?: RequestInit) => ((seen.upstream = new Headers(init?.headers).get("traceparent")), new Response("{}"))) as typeof fetch;
    try {
      await run?.fetch("http://upstream.test/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" } });
    } finally {
      globalThis.fetch = realFetch;
    }
    const ex = { decisions: {}, auth: { tenantId: "t" }, feature: "f" } as unknown as ChatExchange;
    const done = chatTrace(c, ex);
    seen.held = done !== null;
    done?.({ ...result, completedAt: Date.now() });
    return c.body(null, 200);
  });
  return a;
}

const env = (ratio: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector.test:4318", OTEL_TRACES_SAMPLER_ARG: ratio, ENVIRONMENT: "test" });

afterEach(() => vi.restoreAllMocks());

describe("otelTrace", () => {
  it("an unsampled request still sends its traceparent upstream, and hands nothing to the exporter", async () => {
    const add = vi.spyOn(OtlpExporter.prototype, "add");
    const seen: Parameters<typeof app>[0] = {};
    const res = await app(seen).request("/v1/chat/completions", { method: "POST" }, env("0"));
    expect(res.status).toBe(200);
    expect(seen.trace?.context.sampled).toBe(false);
    expect(seen.upstream).toMatch(new RegExp(`^00-${seen.trace?.context.traceId}-[0-9a-f]{16}-00$`));
    expect(seen.held).toBe(false); // chatTrace: nothing to hold or contribute
    expect(seen.trace?.http).toBeNull(); // no HTTP facts gathered for a trace never written
    expect(add).not.toHaveBeenCalled();
  });

  it("a caller's unsampled traceparent is honoured the same way", async () => {
    const add = vi.spyOn(OtlpExporter.prototype, "add");
    const seen: Parameters<typeof app>[0] = {};
    await app(seen).request("/v1/chat/completions", { method: "POST", headers: { traceparent: `00-${"4".repeat(32)}-${"5".repeat(16)}-00` } }, env("1"));
    expect(seen.upstream).toMatch(new RegExp(`^00-${"4".repeat(32)}-[0-9a-f]{16}-00$`));
    expect(seen.held).toBe(false);
    expect(add).not.toHaveBeenCalled();
  });

  it("a sampled request is handed over once, with its HTTP facts, after the chat hold is released", async () => {
    const add = vi.spyOn(OtlpExporter.prototype, "add").mockReturnValue(null);
    const seen: Parameters<typeof app>[0] = {};
    await app(seen).request("/v1/chat/completions", { method: "POST" }, env("1"));
    expect(seen.upstream).toMatch(/-01$/);
    expect(seen.held).toBe(true);
    expect(add).toHaveBeenCalledTimes(1);
    expect(add.mock.calls[0]?.[0]).toBe(seen.trace);
    expect(seen.trace?.http).toEqual({ method: "POST", path: "/v1/chat/completions", host: "localhost", route: "/v1/chat/completions", status: 200, errorCode: null });
  });
});
