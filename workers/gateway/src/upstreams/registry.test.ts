import { describe, expect, it } from "vitest";
import { jsonResponse, recordingFetch, testContext } from "./testing/fixtures";
import { UPSTREAMS, UpstreamConfigSchema, upstreamFor } from "./registry";

describe("upstream registry", () => {
  it("every adapter is listed under its own kind and the config union covers exactly those kinds", () => {
    for (const [kind, adapter] of Object.entries(UPSTREAMS)) expect(adapter.kind).toBe(kind);
    const unionKinds = UpstreamConfigSchema.options.map((o) => o.shape.kind.value);
    expect(unionKinds.sort()).toEqual(Object.keys(UPSTREAMS).sort());
  });

  it("parses each kind's config, applying defaults, and rejects unknown kinds", () => {
    expect(UpstreamConfigSchema.parse({ kind: "anthropic" })).toEqual({ kind: "anthropic", baseUrl: "https://api.anthropic.com/v1", version: "2023-06-01" });
    expect(UpstreamConfigSchema.parse({ kind: "workers-ai" })).toEqual({ kind: "workers-ai" });
    expect(UpstreamConfigSchema.safeParse({ kind: "sagemaker", region: "us-east-1", endpointName: "e", payload: "tgi" }).success).toBe(true);
    expect(UpstreamConfigSchema.safeParse({ kind: "openai-compatible", baseUrl: "not a url" }).success).toBe(false);
    expect(UpstreamConfigSchema.safeParse({ kind: "mystery" }).success).toBe(false);
  });

  it("upstreamFor lets generic code call an adapter without naming it", async () => {
    const cfg = UpstreamConfigSchema.parse({ kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1" });
    const body = { id: "x", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] };
    const { fetch, calls } = recordingFetch(() => jsonResponse(body));
    const { response } = await upstreamFor(cfg).chat({ model: "m", messages: [{ role: "user", content: "hi" }] }, testContext(cfg, { fetch }));
    expect(upstreamFor(cfg).kind).toBe("openai-compatible");
    expect(calls[0]?.url).toBe("http://127.0.0.1:8000/v1/chat/completions");
    expect(response.choices[0]?.message.content).toBe("ok");
  });
});
