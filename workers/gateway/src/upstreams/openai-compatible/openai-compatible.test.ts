import { describe, expect, it } from "vitest";
import { ChatCompletionRequestSchema } from "../../../../../shared/schemas/openai-chat";
import { accumulate, collect, fixtureJson, fixtureText, jsonResponse, recordingFetch, sseDataValues, sseResponse, testContext } from "../testing/fixtures";
import { UpstreamError } from "../upstream";
import { openAICompatibleUpstream as upstream, type OpenAICompatibleConfig } from "./openai-compatible";

const here = import.meta.url;
const config: OpenAICompatibleConfig = { kind: "openai-compatible", baseUrl: "http://127.0.0.1:8000/v1/", headers: { "x-tenant": "t1" } };
const request = ChatCompletionRequestSchema.parse(fixtureJson(here, "request.json"));

describe("openai-compatible chat", () => {
  it("posts the request with the upstream model, stream false and bearer auth", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "text.response.json")));
    const { response, usage } = await upstream.chat(request, testContext(config, { fetch }));

    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("http://127.0.0.1:8000/v1/chat/completions");
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer sk-test");
    expect(calls[0]?.headers.get("x-tenant")).toBe("t1");
    expect(calls[0]?.body).toMatchObject({ model: "upstream-model", stream: false, temperature: 0.2, max_tokens: 64 });
    expect(calls[0]?.body).not.toHaveProperty("stream_options");
    expect(response.choices[0]?.message.content).toBe("Hello, world.");
    expect(usage).toEqual({ input: { total: 24, cached: 16 }, output: { total: 4, reasoning: 0 }, source: "upstream" });
  });

  it("sends no authorization header without a credential and reports null usage when absent", async () => {
    const body = { ...(fixtureJson(here, "text.response.json") as object), usage: undefined };
    const { fetch, calls } = recordingFetch(() => jsonResponse(body));
    const { usage } = await upstream.chat(request, testContext(config, { fetch, credential: undefined }));
    expect(calls[0]?.headers.has("authorization")).toBe(false);
    expect(usage).toBeNull();
  });

  it("rejects a 2xx body that is not a chat.completion as a retryable 502", async () => {
    const { fetch } = recordingFetch(() => jsonResponse({ hello: "world" }));
    const err = await upstream.chat(request, testContext(config, { fetch })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 502, retryable: true });
  });
});

describe("openai-compatible chatStream", () => {
  it("forces stream true with include_usage and yields every chunk of a text stream", async () => {
    const capture = fixtureText(here, "text.chunks.txt");
    const { fetch, calls } = recordingFetch(() => sseResponse(capture));
    const { chunks } = await upstream.chatStream(request, testContext(config, { fetch }));
    const got = await collect(chunks);

    expect(calls[0]?.body).toMatchObject({ model: "upstream-model", stream: true, stream_options: { include_usage: true } });
    expect(got).toEqual(sseDataValues(capture));
  });

  it.each(["text", "tool-call"])("accumulated %s stream equals the non-streamed response", async (name) => {
    const { fetch } = recordingFetch((call) =>
      (call.body as { stream: boolean }).stream
        ? sseResponse(fixtureText(here, `${name}.chunks.txt`))
        : jsonResponse(fixtureJson(here, `${name}.response.json`)),
    );
    const plain = await upstream.chat(request, testContext(config, { fetch }));
    const streamed = accumulate(await collect((await upstream.chatStream(request, testContext(config, { fetch }))).chunks));
    const choice = plain.response.choices[0];

    expect(streamed.content).toBe(choice?.message.content);
    expect(streamed.toolCalls).toEqual(choice?.message.tool_calls ?? []);
    expect(streamed.finishReason).toBe(choice?.finish_reason);
    expect(streamed.usage).toEqual(plain.response.usage);
  });

  it("yields chunks before a mid-stream error event, then throws a non-retryable UpstreamError", async () => {
    const { fetch } = recordingFetch(() => sseResponse(fixtureText(here, "error.chunks.txt")));
    const { chunks } = await upstream.chatStream(request, testContext(config, { fetch }));
    const seen: string[] = [];
    const err = await (async () => {
      for await (const c of chunks) seen.push(c.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);

    expect(seen).toEqual(["Par"]);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: undefined, retryable: false, message: expect.stringContaining("The server had an error") });
  });

  it("treats vLLM's {object:'error'} event and a malformed chunk as stream failures", async () => {
    for (const line of ['{"object":"error","message":"boom","type":"InternalServerError","code":500}', "{not json", '{"id":1}']) {
      const { fetch } = recordingFetch(() => sseResponse(`data: ${line}\n\n`));
      const { chunks } = await upstream.chatStream(request, testContext(config, { fetch }));
      await expect(collect(chunks)).rejects.toMatchObject({ name: "UpstreamError", retryable: false });
    }
  });

  it("ends cleanly when a server omits [DONE]", async () => {
    const capture = fixtureText(here, "text.chunks.txt").replace("data: [DONE]\n", "");
    const { fetch } = recordingFetch(() => sseResponse(capture));
    const { chunks } = await upstream.chatStream(request, testContext(config, { fetch }));
    expect(await collect(chunks)).toHaveLength(5);
  });

  it("rejects before any chunk when the status is not 2xx", async () => {
    const { fetch } = recordingFetch(() => new Response("overloaded", { status: 503 }));
    await expect(upstream.chatStream(request, testContext(config, { fetch }))).rejects.toMatchObject({ status: 503, retryable: true });
  });
});

describe("openai-compatible embed", () => {
  it("posts to /embeddings with the upstream model and validates the list", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "embeddings.response.json")));
    const out = await upstream.embed?.({ model: "embed", input: ["hello"] }, testContext(config, { fetch }));
    expect(calls[0]?.url).toBe("http://127.0.0.1:8000/v1/embeddings");
    expect(calls[0]?.body).toEqual({ model: "upstream-model", input: ["hello"] });
    expect(out?.data[0]?.embedding).toEqual([0.0023, -0.0091, 0.0157]);
  });
});
