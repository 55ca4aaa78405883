import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { accumulate, collect, fixtureJson, fixtureText, jsonResponse, recordingFetch, sseDataValues, testContext } from "../testing/fixtures";
import { UpstreamError } from "../upstream";
import { eventStreamResponse, exceptionFrame, payloadFrames } from "./event-stream.test-support";
import { SageMakerConfigSchema, sageMakerUpstream as upstream, type SageMakerConfig } from "./sagemaker";

const here = import.meta.url;
const credential = JSON.stringify({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token" });
const openai = SageMakerConfigSchema.parse({ kind: "sagemaker", region: "us-east-1", endpointName: "llama-ep", payload: "openai-messages", inferenceComponent: "llama-ic" });
const tgi: SageMakerConfig = { ...openai, payload: "tgi", inferenceComponent: undefined };
const request: ChatCompletionRequest = {
  model: "sm",
  messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "Capital of France?" }],
  max_tokens: 50,
  temperature: 0.7,
  top_p: 0.9,
  stop: ["</s>", "\n\n"],
};
const ctx = (config: SageMakerConfig, fetch: typeof globalThis.fetch) => testContext(config, { fetch, credential, upstreamModel: "meta-llama/Llama-3.1-8B-Instruct" });
const isStream = (url: string) => url.endsWith("/invocations-response-stream");

describe("sagemaker openai-messages payload", () => {
  it("invokes the endpoint with a SigV4-signed OpenAI body through the injected fetch", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "openai.response.json")));
    const { response, usage } = await upstream.chat(request, ctx(openai, fetch));
    const call = calls[0];
    expect(call?.url).toBe("https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/llama-ep/invocations");
    expect(call?.headers.get("authorization")).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/sagemaker\/aws4_request/);
    expect(call?.headers.get("x-amz-security-token")).toBe("token");
    expect(call?.headers.get("x-amzn-sagemaker-inference-component")).toBe("llama-ic");
    expect(call?.body).toMatchObject({ model: "meta-llama/Llama-3.1-8B-Instruct", stream: false, messages: request.messages });
    expect(response.choices[0]?.message.content).toBe("Hello, world.");
    expect(usage).toEqual({ input: { total: 24, cached: 16 }, output: { total: 4, reasoning: 0 }, source: "upstream" });
  });

  it("streams payload parts split mid-line into the same chunks, with include_usage forced", async () => {
    const capture = fixtureText(here, "openai.chunks.txt");
    const { fetch, calls } = recordingFetch(() => eventStreamResponse(payloadFrames(capture)));
    const got = await collect((await upstream.chatStream(request, ctx(openai, fetch))).chunks);
    expect(isStream(calls[0]?.url ?? "")).toBe(true);
    expect(calls[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(got).toEqual(sseDataValues(capture));
  });

  it("accumulated stream equals the non-streamed response", async () => {
    const { fetch } = recordingFetch((c) =>
      isStream(c.url) ? eventStreamResponse(payloadFrames(fixtureText(here, "openai.chunks.txt"), 5)) : jsonResponse(fixtureJson(here, "openai.response.json")),
    );
    const plain = (await upstream.chat(request, ctx(openai, fetch))).response;
    const streamed = accumulate(await collect((await upstream.chatStream(request, ctx(openai, fetch))).chunks));
    expect(streamed).toEqual({ content: plain.choices[0]?.message.content, toolCalls: [], finishReason: plain.choices[0]?.finish_reason, usage: plain.usage });
  });

  it("a ModelStreamError frame after some parts fails the stream, non-retryable", async () => {
    const frames = [...payloadFrames(fixtureText(here, "openai.chunks.txt").slice(0, 600)), exceptionFrame("ModelStreamError", { Message: "reset", ErrorCode: "StreamBroken" })];
    const { fetch } = recordingFetch(() => eventStreamResponse(frames));
    const { chunks } = await upstream.chatStream(request, ctx(openai, fetch));
    const err = await collect(chunks).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ retryable: false, status: undefined, message: expect.stringContaining("ModelStreamError") });
  });
});

describe("sagemaker tgi payload", () => {
  it("renders the chat template and TGI parameters, and maps the generation", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse(fixtureJson(here, "tgi.response.json")));
    const { response, usage } = await upstream.chat(request, ctx(tgi, fetch));
    expect(calls[0]?.body).toEqual(fixtureJson(here, "tgi.request.json"));
    expect(calls[0]?.headers.has("x-amzn-sagemaker-inference-component")).toBe(false);
    expect(response.choices[0]).toEqual({ index: 0, message: { role: "assistant", content: "Paris is the capital of France." }, finish_reason: "stop" });
    expect(response.model).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(usage).toBeNull();
  });

  it("omits temperature 0 and top_p 1 (TGI rejects them) and refuses tools with a 400", async () => {
    const { fetch, calls } = recordingFetch(() => jsonResponse({ generated_text: "x", details: { finish_reason: "length", generated_tokens: 1 } }));
    const { response } = await upstream.chat({ ...request, temperature: 0, top_p: 1, stop: null }, ctx(tgi, fetch));
    expect((calls[0]?.body as { parameters: unknown }).parameters).toEqual({ max_new_tokens: 50, details: true });
    expect(response.choices[0]?.finish_reason).toBe("length");
    const tools = [{ type: "function" as const, function: { name: "f" } }];
    await expect(upstream.chat({ ...request, tools }, ctx(tgi, fetch))).rejects.toMatchObject({ status: 400, retryable: false });
  });

  it("translates the token stream chunk by chunk and matches the non-streamed text", async () => {
    const { fetch, calls } = recordingFetch((c) =>
      isStream(c.url) ? eventStreamResponse(payloadFrames(fixtureText(here, "tgi.chunks.txt"), 17)) : jsonResponse(fixtureJson(here, "tgi.response.json")),
    );
    const got = await collect((await upstream.chatStream(request, ctx(tgi, fetch))).chunks);
    expect((calls[0]?.body as { stream: boolean }).stream).toBe(true);
    expect(got.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason])).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "Paris" }, null],
      [{ content: " is the" }, null],
      [{ content: " capital of France." }, null],
      [{}, "stop"],
    ]);
    expect(new Set(got.map((c) => c.id)).size).toBe(1);
    const plain = (await upstream.chat(request, ctx(tgi, fetch))).response;
    const streamed = accumulate(got);
    expect([streamed.content, streamed.finishReason, streamed.usage]).toEqual([plain.choices[0]?.message.content, plain.choices[0]?.finish_reason, null]);
  });

  it("an error event mid-stream throws after the tokens before it", async () => {
    const { fetch } = recordingFetch(() => eventStreamResponse(payloadFrames(fixtureText(here, "tgi-error.chunks.txt"))));
    const { chunks } = await upstream.chatStream(request, ctx(tgi, fetch));
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const c of chunks) seen.push(c.choices[0]?.delta.content);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(["", "Paris"]);
    expect(err).toMatchObject({ name: "UpstreamError", retryable: false, message: expect.stringContaining("CUDA out of memory") });
  });
});

describe("sagemaker error classification", () => {
  const awsError = (status: number, type: string, body: object, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.sagemaker/`, ...headers } });

  it.each([
    ["ModelError with a 503 from the container", awsError(424, "ModelError", { message: "model busy", OriginalStatusCode: 503, OriginalMessage: "busy" }), { status: 503, retryable: true }],
    ["ModelError with a 400 from the container", awsError(424, "ModelError", { message: "bad input", OriginalStatusCode: 400 }), { status: 400, retryable: false }],
    ["ThrottlingException", awsError(400, "ThrottlingException", { message: "Rate exceeded" }), { status: 429, retryable: true }],
    ["ServiceUnavailable", awsError(503, "ServiceUnavailable", { message: "unavailable" }), { status: 503, retryable: true }],
    ["ValidationError", awsError(400, "ValidationError", { message: "Endpoint llama-ep not found" }), { status: 400, retryable: false }],
    ["an unmodeled 403", awsError(403, "AccessDeniedException", { message: "denied" }), { status: 403, retryable: false }],
  ])("%s", async (_name, res, expected) => {
    const { fetch } = recordingFetch(() => res.clone());
    await expect(upstream.chat(request, ctx(openai, fetch))).rejects.toMatchObject({ name: "UpstreamError", timeout: false, ...expected });
    await expect(upstream.chatStream(request, ctx(openai, fetch))).rejects.toMatchObject({ name: "UpstreamError", ...expected });
  });

  it("network error is retryable, abort is a timeout, bad credential JSON is a non-retryable config error", async () => {
    const down = (() => Promise.reject(new TypeError("fetch failed"))) as typeof fetch;
    await expect(upstream.chat(request, ctx(openai, down))).rejects.toMatchObject({ status: undefined, retryable: true, timeout: false });
    const ac = new AbortController();
    ac.abort();
    const { fetch } = recordingFetch(() => jsonResponse({}));
    await expect(upstream.chat(request, { ...ctx(openai, fetch), signal: ac.signal })).rejects.toMatchObject({ timeout: true });
    await expect(upstream.chat(request, { ...ctx(openai, fetch), credential: "not json" })).rejects.toMatchObject({ status: undefined, retryable: false });
  });
});
