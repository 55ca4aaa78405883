import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import { countTokens } from "../../../../../shared/tokens";
import { registryFor } from "../../config/registry-loader";
import type { OpenStream, RunContext } from "../../router/attempts/run-attempts";
import { continuationRequest, segmentUsage } from "./continuation";
import { resumableStream } from "./resumable-stream";

const registry = registryFor({ MODEL_REGISTRY: "local", SIMULATOR_URL: "http://sim.test" });
const model = registry.model("small-sim")!;
const attempt = { model, tier: model.tier };
const request: ChatCompletionRequest = { model: "small-sim", messages: [{ role: "user", content: "Greet <PERSON_1> please" }], max_tokens: 40 };

const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: string | null = null, id = "first"): ChatCompletionChunk => ({
  id, object: "chat.completion.chunk", created: id === "first" ? 1 : 2, model: "small-sim", choices: [{ index: 0, delta, finish_reason: finish }],
});

/** An open stream that yields its chunks, then throws (a cut) or ends cleanly. */
function cutStream(chunks: ChatCompletionChunk[], cut = true): OpenStream & { aborted: boolean } {
  let i = 1;
  const s = {
    aborted: false,
    first: chunks[0] as ChatCompletionChunk,
    rest: {
      next: async (): Promise<IteratorResult<ChatCompletionChunk>> => {
        if (i < chunks.length) return { done: false, value: chunks[i++] as ChatCompletionChunk };
        if (cut) throw new Error("openai-compatible upstream unreachable: socket hang up");
        return { done: true, value: undefined };
      },
    },
    abort: () => void (s.aborted = true),
  };
  return s;
}

type Script = (body: Record<string, unknown>) => Response;
/** The resume calls' upstream: records each body and answers as scripted. */
function upstream(script: Script) {
  const bodies: Array<Record<string, unknown>> = [];
  const run: RunContext = {
    bindings: {},
    breaker: { admit: async () => "closed", report: async () => undefined },
    backoff: { baseMs: 1, capMs: 1 },
    fetch: async (_url, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      bodies.push(body);
      return script(body);
    },
  };
  return { run, bodies };
}

const sse = (chunks: unknown[], done = true) =>
  new Response(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : ""), { headers: { "content-type": "text/event-stream" } });
/** A body that sends its chunks and then fails mid-read (the connection is cut). */
const cutSse = (chunks: unknown[], sent = false) =>
  new Response(
    new ReadableStream({
      // Erroring drops what the SSE pipeline still holds: the cut comes a moment after the chunks.
      async pull(c) {
        if (sent) return new Promise<void>((r) => setTimeout(r, 20)).then(() => c.error(new Error("connection reset")));
        sent = true;
        c.enqueue(new TextEncoder().encode(chunks.map((x) => `data: ${JSON.stringify(x)}\n\n`).join("")));
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
const usage = { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34 };
const continuation = [chunk({ role: "assistant", content: "" }, null, "second"), chunk({ content: " how are" }, null, "second"), chunk({ content: " you?" }, "stop", "second"), { ...chunk({}, null, "second"), choices: [], usage }];

async function drain(s: OpenStream): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const chunks = [s.first];
  try {
    for (;;) {
      const r = await s.rest.next();
      if (r.done) return { chunks, error: null };
      chunks.push(r.value);
    }
  } catch (error) {
    return { chunks, error };
  }
}
const text = (cs: ChatCompletionChunk[]) => cs.map((c) => c.choices[0]?.delta.content ?? "").join("");
const cutAnswer = () => cutStream([chunk({ role: "assistant", content: "" }), chunk({ content: "Hello <PERSON_1>," })]);

describe("resumableStream", () => {
  it("continues a cut stream from its redacted partial text, seamlessly and billed once for both parts", async () => {
    const { run, bodies } = upstream(() => sse(continuation));
    const records: AttemptRecord[] = [{ model: "small-sim", tier: "small", upstream: "openai-compatible", attempt: 1, outcome: "ok", durationMs: 5 }];
    const r = resumableStream(cutAnswer(), { request, attempt, run, records });
    const { chunks, error } = await drain(r.stream);

    expect(error).toBeNull();
    expect(text(chunks)).toBe("Hello <PERSON_1>, how are you?");
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(["first"]));
    expect(chunks.filter((c) => c.choices[0]?.delta.role)).toHaveLength(1);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ continue_final_message: true, add_generation_prompt: false, max_tokens: 40 - countTokens("Hello <PERSON_1>,") });
    expect(bodies[0]?.messages).toEqual([...request.messages, { role: "assistant", content: "Hello <PERSON_1>," }]);

    const cut = segmentUsage(request, "Hello <PERSON_1>,");
    const billed = { input: { total: cut.input.total + 30, cached: 0 }, output: { total: cut.output.total + 4, reasoning: 0 }, source: "tokenizer" };
    expect(r.usage()).toEqual(billed);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: billed.input.total, completion_tokens: billed.output.total, total_tokens: billed.input.total + billed.output.total });
    expect(r.resumes).toEqual([{ model: "small-sim", cause: expect.stringContaining("socket hang up"), afterChars: 17, outcome: "resumed", calls: 1, atMs: expect.any(Number) }]);
    expect(records.map((x) => x.attempt)).toEqual([1, 2]);
  });

  it("resumes a continuation that is cut too, then gives up after maxRetries + 1 rounds with the original error", async () => {
    let n = 0;
    const { run, bodies } = upstream(() => cutSse([chunk({ role: "assistant", content: "" }, null, "second"), chunk({ content: ` w${++n}` }, null, "second")]));
    const r = resumableStream(cutAnswer(), { request, attempt, run, records: [] });
    const { chunks, error } = await drain(r.stream);

    expect(error).toBeInstanceOf(Error);
    expect(text(chunks)).toBe("Hello <PERSON_1>, w1 w2 w3");
    expect(bodies).toHaveLength(model.maxRetries + 1);
    // Each round continues from everything relayed so far.
    expect((bodies.at(-1)?.messages as Array<{ content: string }>).at(-1)?.content).toBe("Hello <PERSON_1>, w1 w2");
    expect(r.resumes.map((x) => x.outcome)).toEqual(["resumed", "resumed", "resumed"]);
    // Four cut segments, each billed once (the last from our count: no usage ever came).
    expect(r.usage()?.output.total).toBe(countTokens("Hello <PERSON_1>,") + 3 * countTokens(" w1"));
  });

  it("follows a round that fails before its first chunk with the next one, and ends the stream when all have failed", async () => {
    const calls = model.maxRetries + 1;
    let n = 0;
    const flaky = upstream(() => (++n <= calls ? new Response("overloaded", { status: 503 }) : sse(continuation)));
    const saved = resumableStream(cutAnswer(), { request, attempt, run: flaky.run, records: [] });
    expect(text((await drain(saved.stream)).chunks)).toBe("Hello <PERSON_1>, how are you?");
    expect(saved.resumes.map((x) => [x.outcome, x.calls])).toEqual([["failed", calls], ["resumed", 1]]);

    const { run, bodies } = upstream(() => new Response("overloaded", { status: 503 }));
    const records: AttemptRecord[] = [];
    const r = resumableStream(cutAnswer(), { request, attempt, run, records });
    const { error } = await drain(r.stream);

    expect(error).toBeInstanceOf(Error);
    expect(bodies).toHaveLength(calls * calls);
    expect(r.resumes.map((x) => x.outcome)).toEqual(Array(calls).fill("failed"));
    expect(records.map((x) => [x.attempt, x.outcome])).toEqual(Array.from({ length: calls * calls }, (_, i) => [i + 1, "error"]));
    // The cut segment is billed once, however many rounds failed after it.
    expect(r.usage()).toEqual(segmentUsage(request, "Hello <PERSON_1>,"));
  });

  it("does not resume a stream cut in a tool call, nor one the client left", async () => {
    const { run, bodies } = upstream(() => sse(continuation));
    const tool = cutStream([chunk({ role: "assistant", content: null }), chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: '{"a":' } }] })]);
    expect((await drain(resumableStream(tool, { request, attempt, run, records: [] }).stream)).error).toBeInstanceOf(Error);

    const open = cutAnswer();
    const left = resumableStream(open, { request, attempt, run, records: [] });
    left.stream.abort();
    expect(open.aborted).toBe(true);
    expect((await drain(left.stream)).error).toBeInstanceOf(Error);
    expect(bodies).toHaveLength(0);
    expect(left.usage()).toBeNull();
  });

  it("cancels a resume round's call in flight when the client leaves before its first chunk", async () => {
    const reports: string[] = [];
    let calls = 0;
    let signal: AbortSignal | undefined;
    const run: RunContext = {
      bindings: {},
      breaker: { admit: async () => "closed", report: async (_id, outcome) => void reports.push(outcome) },
      backoff: { baseMs: 1, capMs: 1 },
      // The continuation never answers: only an abort ends the call.
      fetch: (_url, init) => {
        calls++;
        signal = init?.signal ?? undefined;
        return new Promise<Response>((_resolve, reject) => signal?.addEventListener("abort", () => reject(new Error("aborted"))));
      },
    };
    const r = resumableStream(cutAnswer(), { request, attempt, run, records: [] });
    const drained = drain(r.stream);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the round is waiting for its first chunk
    expect(calls).toBe(1);
    r.stream.abort();
    expect(signal?.aborted).toBe(true);
    expect((await drained).error).toBeInstanceOf(Error);
    // No retry after the cancel, and the upstream is not blamed for it.
    expect(calls).toBe(1);
    expect(reports).toEqual(["released"]);
  });

  it("does not resume JSON mode or a JSON schema: the continuation would start a second document", async () => {
    const { run, bodies } = upstream(() => sse(continuation));
    const formats: NonNullable<ChatCompletionRequest["response_format"]>[] = [{ type: "json_object" }, { type: "json_schema", json_schema: { name: "reply", schema: { type: "object" } } }];
    for (const response_format of formats) {
      const cut = cutStream([chunk({ role: "assistant", content: "" }), chunk({ content: '{"greeting": "Hel' })]);
      expect((await drain(resumableStream(cut, { request: { ...request, response_format }, attempt, run, records: [] }).stream)).error).toBeInstanceOf(Error);
    }
    expect(bodies).toHaveLength(0);
    // Plain text output stays resumable.
    expect(text((await drain(resumableStream(cutAnswer(), { request: { ...request, response_format: { type: "text" } }, attempt, run, records: [] }).stream)).chunks)).toBe("Hello <PERSON_1>, how are you?");
  });

  it("stops resuming once one more of the model's totalMs has passed after the first stream's own", async () => {
    const { run, bodies } = upstream(() => sse(continuation));
    const quick = { ...attempt, model: { ...model, timeouts: { ...model.timeouts, firstByteMs: 10, totalMs: 10 } } };
    const late = resumableStream(cutAnswer(), { request, attempt: quick, run, records: [] });
    await new Promise((r) => setTimeout(r, 40)); // past 2 x totalMs before the cut is read
    expect((await drain(late.stream)).error).toBeInstanceOf(Error);
    expect(bodies).toHaveLength(0);
  });

  it("resumes a stream that ends cleanly without a finish_reason, and leaves a finished one alone", async () => {
    const { run, bodies } = upstream(() => sse(continuation));
    const clean = cutStream([chunk({ role: "assistant", content: "" }), chunk({ content: "Hello <PERSON_1>," })], false);
    expect(text((await drain(resumableStream(clean, { request, attempt, run, records: [] }).stream)).chunks)).toBe("Hello <PERSON_1>, how are you?");
    const finished = cutStream([chunk({ role: "assistant", content: "" }), chunk({ content: "Hi." }, "stop")], false);
    expect(text((await drain(resumableStream(finished, { request, attempt, run, records: [] }).stream)).chunks)).toBe("Hi.");
    expect(bodies).toHaveLength(1);
  });
});

describe("continuationRequest", () => {
  it("sends the partial answer as the final assistant message with the rest of the client's limit", () => {
    expect(continuationRequest({ ...request, max_tokens: undefined, max_completion_tokens: 10 }, "one two")).toMatchObject({ max_completion_tokens: 10 - countTokens("one two") });
    expect(continuationRequest({ ...request, max_tokens: undefined }, "one two")?.max_tokens).toBeUndefined();
    expect(continuationRequest({ ...request, max_tokens: 2 }, "one two three")).toBeNull();
    // Nothing relayed yet: the original request again.
    expect(continuationRequest(request, "")).toBe(request);
  });
});
