import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "./server";
import { startSimulator } from "./server";
import { simEmbedding } from "./embeddings-handler";
import { chatBody, postJson, readChunks } from "./test-helpers";

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim-key", maxRetries: 0 });
});
afterAll(() => sim.close());

describe("simulator over HTTP with the openai SDK", () => {
  it("returns identical text and usage streamed and non-streamed", async () => {
    const messages = [{ role: "user" as const, content: "Explain caching in one paragraph." }];
    const whole = await client.chat.completions.create({ model: "small-sim", messages, max_tokens: 30 });
    const stream = await client.chat.completions.create({ model: "small-sim", messages, max_tokens: 30, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe(whole.choices[0]?.finish_reason);
    expect(usage).toEqual(whole.usage);
    expect(whole.usage?.total_tokens).toBe((whole.usage?.prompt_tokens ?? 0) + (whole.usage?.completion_tokens ?? 0));
  });

  it("sends a final usage chunk with empty choices only when include_usage is set", async () => {
    const withUsage = await readChunks(await postJson(`${sim.baseUrl}/chat/completions`, chatBody("hi", { stream: true, stream_options: { include_usage: true } })));
    expect(withUsage.done).toBe(true);
    const last = withUsage.chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    const without = await readChunks(await postJson(`${sim.baseUrl}/chat/completions`, chatBody("hi", { stream: true })));
    expect(without.done).toBe(true);
    expect(without.chunks.every((c) => c.usage === undefined && Array.isArray(c.choices) && c.choices.length === 1)).toBe(true);
  });

  it("streams a tool call that the SDK reassembles into valid arguments", async () => {
    const tools = [
      {
        type: "function" as const,
        function: { name: "lookup_order", parameters: { type: "object", properties: { order_id: { type: "string" }, priority: { type: "integer", minimum: 1, maximum: 3 } }, required: ["order_id", "priority"] } },
      },
    ];
    const messages = [{ role: "user" as const, content: "where is my order?" }];
    const whole = await client.chat.completions.create({ model: "small-sim", messages, tools });
    const call = whole.choices[0]?.message.tool_calls?.[0];
    expect(whole.choices[0]?.finish_reason).toBe("tool_calls");
    if (call?.type !== "function") throw new Error("expected a function call");
    const args = JSON.parse(call.function.arguments) as { order_id: unknown; priority: number };
    expect(typeof args.order_id).toBe("string");
    expect(args.priority).toBeGreaterThanOrEqual(1);
    const streamed = await client.chat.completions.stream({ model: "small-sim", messages, tools }).finalChatCompletion();
    const streamedCall = streamed.choices[0]?.message.tool_calls?.[0];
    if (streamedCall?.type !== "function") throw new Error("expected a function call");
    expect(streamedCall.function).toEqual(call.function);
  });

  it("echoes ECHO: prompts and records request bodies at /_sim/requests", async () => {
    await fetch(`${sim.url}/_sim/requests`, { method: "DELETE" });
    const res = await client.chat.completions.create({ model: "frontier-sim", messages: [{ role: "user", content: "ECHO: my email is <EMAIL_1>" }] });
    expect(res.choices[0]?.message.content).toBe("my email is <EMAIL_1>");
    const log = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { requests: Array<{ path: string; body: { messages: Array<{ content: string }> }; headers: Record<string, string> }> };
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]?.path).toBe("/v1/chat/completions");
    expect(log.requests[0]?.body.messages[0]?.content).toBe("ECHO: my email is <EMAIL_1>");
    expect(log.requests[0]?.headers.authorization).toBe("Bearer sim-key");
  });

  it("serves deterministic unit-vector embeddings (base64 via the SDK, float via fetch)", async () => {
    const sdk = await client.embeddings.create({ model: "small-sim", input: ["same text", "other text"], dimensions: 16 });
    const a = sdk.data[0]?.embedding ?? [];
    expect(a).toHaveLength(16);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(a[0]).toBeCloseTo(simEmbedding("same text", 16)[0] ?? NaN, 6);
    expect(sdk.data[1]?.embedding).not.toEqual(a);
    expect(sdk.usage.prompt_tokens).toBeGreaterThan(0);
    const raw = (await (await postJson(`${sim.baseUrl}/embeddings`, { model: "small-sim", input: "same text", dimensions: 16 })).json()) as { data: Array<{ embedding: number[] }> };
    raw.data[0]?.embedding.forEach((x, i) => expect(x).toBeCloseTo(a[i] ?? NaN, 6));
  });

  it("lists models, answers health, rejects unknown models with an OpenAI error", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["small-sim", "frontier-sim"]);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    await expect(client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
    const bad = await postJson(`${sim.baseUrl}/chat/completions`, { model: "small-sim", messages: [] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBeTruthy();
  });
});
