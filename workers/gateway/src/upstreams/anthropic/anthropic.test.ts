import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatCompletionRequestSchema, type ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { accumulate, collect, fixtureJson, fixtureText, jsonResponse, recordingFetch, sseResponse, testContext } from "../testing/fixtures";
import { UpstreamError } from "../upstream";
import { AnthropicConfigSchema, anthropicUpstream as upstream } from "./anthropic";

const here = import.meta.url;
const config = AnthropicConfigSchema.parse({ kind: "anthropic" });
const request = ChatCompletionRequestSchema.parse(fixtureJson(here, "request.json"));
const simple: ChatCompletionRequest = { model: "frontier", messages: [{ role: "user", content: "Hi" }] };
const ctx = (fetch: typeof globalThis.fetch) => testContext(config, { fetch, upstreamModel: "claude-sonnet-4-5" });
const NOW = new Date("2025-11-27T03:00:00Z");

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

describe("anthropic request translation", () => {
  it("translates the full OpenAI request and sends Anthropic headers", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "text.response.json")));
    await upstream.chat(request, ctx(fetch));
    expect(calls[0]?.url).toBe("https://api.anthropic.com/v1/messages");
    expect(calls[0]?.headers.get("x-api-key")).toBe("sk-test");
    expect(calls[0]?.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(calls[0]?.headers.has("authorization")).toBe(false);
    expect(calls[0]?.body).toEqual(fixtureJson(here, "request.anthropic.json"));
  });

  it("defaults max_tokens from config, prefers max_completion_tokens, sets stream for streams", async () => {
    const { fetch, calls } = recordingFetch((c) =>
      (c.body as { stream?: boolean }).stream ? sseResponse(fixtureText(here, "text.chunks.txt")) : jsonResponse(fixtureJson(here, "text.response.json")),
    );
    await upstream.chat(simple, testContext({ ...config, defaultMaxTokens: 777 }, { fetch }));
    await upstream.chat({ ...simple, max_tokens: 10, max_completion_tokens: 20 }, ctx(fetch));
    await collect((await upstream.chatStream(simple, ctx(fetch))).chunks);
    expect(calls.map((c) => (c.body as { max_tokens: number }).max_tokens)).toEqual([777, 20, 4096]);
    expect(calls[2]?.body).toMatchObject({ stream: true, messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
    expect(calls[0]?.body).not.toHaveProperty("stream");
  });

  it.each([
    ["auto", undefined, undefined],
    ["none", undefined, { type: "none" }],
    ["required", undefined, { type: "any" }],
    ["required", false, { type: "any", disable_parallel_tool_use: true }],
    [undefined, false, { type: "auto", disable_parallel_tool_use: true }],
  ])("maps tool_choice %s (parallel %s)", async (choice, parallel, expected) => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "text.response.json")));
    const tools = request.tools;
    await upstream.chat({ ...simple, tools, tool_choice: choice as ChatCompletionRequest["tool_choice"], ...(parallel === undefined ? {} : { parallel_tool_calls: parallel }) }, ctx(fetch));
    expect((calls[0]?.body as { tool_choice?: unknown }).tool_choice).toEqual(expected);
  });

  it("turns response_format json_schema into a system instruction (best effort)", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "text.response.json")));
    const schema = { type: "object", properties: { warmer: { type: "string" } } };
    await upstream.chat({ ...simple, messages: [{ role: "system", content: "Be exact." }, ...simple.messages], response_format: { type: "json_schema", json_schema: { name: "answer", schema } } }, ctx(fetch));
    const system = (calls[0]?.body as { system: string }).system;
    expect(system.startsWith("Be exact.\n\nRespond with a single JSON value")).toBe(true);
    expect(system).toContain(JSON.stringify(schema));
  });

  it("rejects content Anthropic cannot take as a non-retryable 400, before any call", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse({}));
    const audio = { ...simple, messages: [{ role: "user" as const, content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }] }] };
    const http = { ...simple, messages: [{ role: "user" as const, content: [{ type: "image_url" as const, image_url: { url: "http://insecure/x.png" } }] }] };
    for (const bad of [audio, http]) await expect(upstream.chat(bad, ctx(fetch))).rejects.toMatchObject({ status: 400, retryable: false });
    expect(calls).toHaveLength(0);
  });
});

describe("anthropic response translation", () => {
  it("maps text, finish_reason and usage with cache tokens", async () => {
    const { fetch } = recordingFetch(() => jsonResponse(fixtureJson(here, "text.response.json")));
    const { response, usage } = await upstream.chat(simple, ctx(fetch));
    expect(response).toEqual({
      id: "msg_01TextXYZ",
      object: "chat.completion",
      created: NOW.getTime() / 1000,
      model: "claude-sonnet-4-5-20250929",
      choices: [{ index: 0, message: { role: "assistant", content: "Lyon is warmer, at 21C." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1942, completion_tokens: 9, total_tokens: 1951, prompt_tokens_details: { cached_tokens: 1800 } },
    });
    expect(usage).toEqual({ input: { total: 1942, cached: 1800 }, output: { total: 9, reasoning: 0 }, source: "upstream" });
  });

  it("maps tool_use blocks to tool_calls with JSON-string arguments, skipping thinking", async () => {
    const { fetch } = recordingFetch(() => jsonResponse(fixtureJson(here, "tool-use.response.json")));
    const { response } = await upstream.chat(simple, ctx(fetch));
    expect(response.choices[0]).toEqual({
      index: 0,
      finish_reason: "tool_calls",
      message: {
        role: "assistant",
        content: "Checking both cities.",
        tool_calls: [
          { id: "toolu_01Paris", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","units":"metric"}' } },
          { id: "toolu_01Lyon", type: "function", function: { name: "get_weather", arguments: '{"city":"Lyon"}' } },
        ],
      },
    });
  });

  it.each([
    ["max_tokens", "length"],
    ["stop_sequence", "stop"],
    ["refusal", "content_filter"],
  ])("maps stop_reason %s to %s", async (stop, finish) => {
    const body = { ...(fixtureJson(here, "text.response.json") as object), stop_reason: stop };
    const { fetch } = recordingFetch(() => jsonResponse(body));
    expect((await upstream.chat(simple, ctx(fetch))).response.choices[0]?.finish_reason).toBe(finish);
  });
});

describe("anthropic stream translation", () => {
  const streamOf = async (name: string) => {
    const { fetch } = recordingFetch(() => sseResponse(fixtureText(here, name)));
    return (await upstream.chatStream(simple, ctx(fetch))).chunks;
  };

  it("translates a tool-use stream chunk by chunk", async () => {
    const got = await collect(await streamOf("tool-use.chunks.txt"));
    const header = { id: "msg_01ToolXYZ", object: "chat.completion.chunk", created: NOW.getTime() / 1000, model: "claude-sonnet-4-5-20250929" };
    const expected = (fixtureJson(here, "tool-use.openai-chunks.json") as object[]).map((c) => ({ ...header, ...c }));
    expect(got).toEqual(expected);
  });

  it.each(["text", "tool-use"])("accumulated %s stream equals the non-streamed translation", async (name) => {
    const { fetch } = recordingFetch((c) =>
      (c.body as { stream?: boolean }).stream ? sseResponse(fixtureText(here, `${name}.chunks.txt`)) : jsonResponse(fixtureJson(here, `${name}.response.json`)),
    );
    const plain = (await upstream.chat(simple, ctx(fetch))).response;
    const streamed = accumulate(await collect((await upstream.chatStream(simple, ctx(fetch))).chunks));
    const message = plain.choices[0]?.message;
    expect(streamed.content).toBe(message?.content);
    // Argument text differs in whitespace (Anthropic streams raw JSON); the values must match.
    const parsed = (calls: { id: string; function: { name: string; arguments: string } }[]) =>
      calls.map((c) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }));
    expect(parsed(streamed.toolCalls)).toEqual(parsed(message?.tool_calls ?? []));
    expect(streamed.finishReason).toBe(plain.choices[0]?.finish_reason);
    expect(streamed.usage).toEqual(plain.usage);
  });

  it("fails with a non-retryable UpstreamError on an error event after the role chunk", async () => {
    const chunks = await streamOf("error.chunks.txt");
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const c of chunks) seen.push(c.choices[0]?.delta);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ role: "assistant", content: "" }]);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining("overloaded_error: Overloaded") });
  });

  it("fails when the stream ends before message_stop, and skips unknown event types", async () => {
    const truncated = fixtureText(here, "text.chunks.txt").split("event: message_stop")[0] ?? "";
    const withUnknown = `event: future\ndata: {"type":"future_event"}\n\n${truncated}`;
    const { fetch } = recordingFetch(() => sseResponse(withUnknown));
    const chunks = (await upstream.chatStream(simple, ctx(fetch))).chunks;
    await expect(collect(chunks)).rejects.toMatchObject({ message: expect.stringContaining("before message_stop"), retryable: false });
  });

  it("rejects before streaming on HTTP 529 overloaded (retryable)", async () => {
    const { fetch } = recordingFetch(() => new Response('{"type":"error","error":{"type":"overloaded_error"}}', { status: 529 }));
    await expect(upstream.chatStream(simple, ctx(fetch))).rejects.toMatchObject({ status: 529, retryable: true });
  });
});
