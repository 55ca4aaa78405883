import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { accumulate, chunkedBody, collect, fixtureJson, fixtureText, testContext } from "../testing/fixtures";
import { UpstreamError, type UpstreamBindings } from "../upstream";
import { workersAIUpstream as upstream } from "./workers-ai";

const here = import.meta.url;
const config = { kind: "workers-ai" as const };
const MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
const tools = [{ type: "function" as const, function: { name: "get_weather", parameters: { type: "object" } } }];
const request: ChatCompletionRequest = {
  model: "edge",
  messages: [
    { role: "developer", content: "Be brief." },
    { role: "user", content: [{ type: "text", text: "Weather " }, { type: "text", text: "in Paris?" }] },
    { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }] },
    { role: "tool", tool_call_id: "call_1", content: "18C" },
  ],
  max_tokens: 100,
  temperature: 0.3,
  tools,
};

interface RunCall {
  model: string;
  inputs: Record<string, unknown>;
  options: unknown;
}

function fakeAI(answer: (inputs: Record<string, unknown>) => unknown): { bindings: UpstreamBindings; calls: RunCall[] } {
  const calls: RunCall[] = [];
  const run = async (model: string, inputs: unknown, options?: unknown) => {
    calls.push({ model, inputs: inputs as Record<string, unknown>, options });
    return answer(inputs as Record<string, unknown>);
  };
  return { bindings: { AI: { run } }, calls };
}

/** Plain JSON for non-stream runs, the SSE capture as a byte stream for stream runs. */
const replay = (name: string) => (inputs: Record<string, unknown>) =>
  inputs.stream ? chunkedBody(fixtureText(here, `${name}.chunks.txt`)) : fixtureJson(here, `${name}.output.json`);

const ctx = (bindings: UpstreamBindings, signal = new AbortController().signal) => testContext(config, { bindings, signal, upstreamModel: MODEL, credential: undefined });

describe("workers-ai chat", () => {
  it("calls the binding with translated messages and maps text + usage", async () => {
    const { bindings, calls } = fakeAI(replay("text"));
    const { response, usage } = await upstream.chat(request, ctx(bindings));
    expect(calls[0]?.model).toBe(MODEL);
    expect(calls[0]?.inputs).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: "", tool_calls: request.messages[2]?.role === "assistant" ? request.messages[2].tool_calls : [] },
        { role: "tool", content: "18C", tool_call_id: "call_1" },
      ],
      stream: false,
      max_tokens: 100,
      temperature: 0.3,
      tools,
    });
    expect(response.choices[0]).toEqual({ index: 0, message: { role: "assistant", content: "Hello from Workers AI." }, finish_reason: "stop" });
    expect(response.model).toBe(MODEL);
    expect(usage).toEqual({ input: { total: 20, cached: 0 }, output: { total: 6, reasoning: 0 }, source: "upstream" });
  });

  it("maps legacy and OpenAI-style tool_calls, generating ids where missing", async () => {
    const { bindings } = fakeAI(replay("tool-call"));
    const { response } = await upstream.chat(request, ctx(bindings));
    const choice = response.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: expect.stringMatching(/^call_[0-9a-f]{32}$/), type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "chatcmpl-tool-8f2a", type: "function", function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' } },
    ]);
  });

  it("refuses image parts with a 400 instead of dropping them", async () => {
    const { bindings, calls } = fakeAI(replay("text"));
    const image = { type: "image_url" as const, image_url: { url: "https://example.com/a.png" } };
    const withImage: ChatCompletionRequest = { ...request, messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, image] }] };
    await expect(upstream.chat(withImage, ctx(bindings))).rejects.toMatchObject({ status: 400, retryable: false });
    expect(calls).toHaveLength(0);
  });

  it("reports length when completion tokens reach max_tokens, and stringifies JSON-mode objects", async () => {
    const { bindings } = fakeAI(() => ({ response: { answer: 42 }, usage: { prompt_tokens: 5, completion_tokens: 100 } }));
    const { response } = await upstream.chat(request, ctx(bindings));
    expect(response.choices[0]).toMatchObject({ message: { content: '{"answer":42}' }, finish_reason: "length" });
    expect(response.usage?.total_tokens).toBe(105);
  });
});

describe("workers-ai chatStream", () => {
  it("translates a text stream chunk by chunk", async () => {
    const { bindings, calls } = fakeAI(replay("text"));
    const got = await collect((await upstream.chatStream(request, ctx(bindings))).chunks);
    expect(calls[0]?.inputs.stream).toBe(true);
    expect(got.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason, c.usage])).toEqual([
      [{ role: "assistant", content: "" }, null, undefined],
      [{ content: "Hello" }, null, undefined],
      [{ content: " from Workers AI." }, null, undefined],
      [{}, "stop", undefined],
      [undefined, undefined, { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 }],
    ]);
    expect(new Set(got.map((c) => c.id)).size).toBe(1);
  });

  it.each(["text", "tool-call"])("accumulated %s stream equals the non-streamed translation", async (name) => {
    const { bindings } = fakeAI(replay(name));
    const plain = (await upstream.chat(request, ctx(bindings))).response;
    const streamed = accumulate(await collect((await upstream.chatStream(request, ctx(bindings))).chunks));
    const message = plain.choices[0]?.message;
    const strip = (calls: { function: { name: string; arguments: string } }[]) => calls.map((c) => c.function);
    expect(streamed.content ?? null).toBe(message?.content);
    expect(strip(streamed.toolCalls)).toEqual(strip(message?.tool_calls ?? []));
    expect(streamed.finishReason).toBe(plain.choices[0]?.finish_reason);
    expect(streamed.usage).toEqual(plain.usage);
  });

  it("an error event fails the stream after earlier chunks, non-retryable", async () => {
    const { bindings } = fakeAI(() => chunkedBody(fixtureText(here, "error.chunks.txt")));
    const { chunks } = await upstream.chatStream(request, ctx(bindings));
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const c of chunks) seen.push(c.choices[0]?.delta.content);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["", "Hel"]);
    expect(err).toMatchObject({ name: "UpstreamError", retryable: false, message: expect.stringContaining("3043") });
  });

  it("abort while the binding stream stalls fails the read as a timeout", async () => {
    const ac = new AbortController();
    const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('data: {"response":"a"}\n\n')) });
    const { bindings } = fakeAI(() => stalled);
    const it = (await upstream.chatStream(request, ctx(bindings, ac.signal))).chunks[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    setTimeout(() => ac.abort(new DOMException("attempt timed out", "TimeoutError")), 5);
    await expect(it.next()).rejects.toMatchObject({ timeout: true, retryable: false });
  });
});

describe("workers-ai error classification", () => {
  it.each([
    ["AiError: 3040: Capacity temporarily exceeded, please try again.", { status: 429, retryable: true }],
    ["InferenceUpstreamError: 3043: Internal server error", { status: 500, retryable: true }],
    ["AiError: 5006: Error: required properties at '/' are 'messages'", { status: 400, retryable: false }],
    ["Network connection lost.", { status: undefined, retryable: true }],
  ])("%s", async (message, expected) => {
    const { bindings } = fakeAI(() => Promise.reject(new Error(message)));
    await expect(upstream.chat(request, ctx(bindings))).rejects.toMatchObject({ name: "UpstreamError", ...expected });
  });

  it("a missing binding is a non-retryable config error; an abort is a timeout", async () => {
    await expect(upstream.chat(request, ctx({}))).rejects.toMatchObject({ status: undefined, retryable: false });
    const ac = new AbortController();
    const { bindings } = fakeAI(() => new Promise(() => {}));
    const pending = upstream.chat(request, ctx(bindings, ac.signal));
    ac.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ timeout: true, retryable: true });
  });
});
