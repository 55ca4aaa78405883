import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../../../../shared/schemas/openai-chat";
import { readSse } from "../../../../shared/sse";
import type { OpenStream } from "../router/attempts/run-attempts";
import type { OutputFilter } from "./output-filter";
import { bookedStatus, relayStream } from "./stream-response";

const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], extra: Partial<ChatCompletionChunk> = {}, finish: string | null = null): ChatCompletionChunk => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "upstream-model",
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});

function openStream(chunks: ChatCompletionChunk[], failAfter?: number): OpenStream {
  let i = 1;
  return {
    first: chunks[0] as ChatCompletionChunk,
    rest: {
      async next() {
        if (failAfter !== undefined && i >= failAfter) throw new Error("boom");
        return i < chunks.length ? { done: false, value: chunks[i++] as ChatCompletionChunk } : { done: true, value: undefined };
      },
    },
    abort: () => undefined,
  };
}

/** Replaces <X_1> with "secret" across chunk boundaries, holding back partial placeholders. */
const restoring: OutputFilter = {
  policy: (v) => v,
  replayPolicy: (v) => v,
  restore: (v) => v.replaceAll("<X_1>", "secret"),
  text: (v) => v.replaceAll("<X_1>", "secret"),
  stream() {
    let held = "";
    return {
      push(d) {
        const buf = held + d;
        const lt = buf.lastIndexOf("<");
        if (lt >= 0 && !buf.slice(lt).includes(">")) {
          held = buf.slice(lt);
          return buf.slice(0, lt).replaceAll("<X_1>", "secret");
        }
        held = "";
        return buf.replaceAll("<X_1>", "secret");
      },
      flush: () => held,
    };
  },
};

async function events(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of readSse(body)) out.push(e.data);
  return out;
}

describe("relayStream", () => {
  it("restores placeholders split across chunks in content and tool-call arguments", async () => {
    const chunks = [
      chunk({ role: "assistant", content: "a <X" }),
      chunk({ content: "_1> b" }),
      chunk({ tool_calls: [{ index: 0, id: "t1", type: "function", function: { name: "f", arguments: '{"k":"<X_' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1>"}' } }] }, {}, "tool_calls"),
      chunk({}, { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }),
    ];
    const { body, outcome } = relayStream(openStream(chunks), { publicModel: "pub", includeUsage: true, filter: restoring, startedAt: Date.now() });
    const evs = await events(body);
    const parsed = evs.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e) as ChatCompletionChunk);
    const content = parsed.map((c) => c.choices[0]?.delta.content ?? "").join("");
    const args = parsed.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? "").join("");
    expect(content).toBe("a secret b");
    expect(args).toBe('{"k":"secret"}');
    expect(parsed.every((c) => c.model === "pub")).toBe(true);
    expect(parsed.at(-1)?.usage?.total_tokens).toBe(7);
    expect(evs.at(-1)).toBe("[DONE]");
    expect((await outcome).usage?.output.total).toBe(4);
  });

  it("drops the usage chunk when the client did not ask for it, but still accounts it", async () => {
    const chunks = [chunk({ content: "hi" }, {}, "stop"), chunk({}, { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })];
    const { body, outcome } = relayStream(openStream(chunks), { publicModel: "pub", includeUsage: false, filter: restoring, startedAt: Date.now() });
    const evs = await events(body);
    expect(evs.some((e) => e.includes('"usage":{'))).toBe(false);
    expect((await outcome).usage?.input.total).toBe(1);
  });

  it("ends with an error event when the upstream fails mid-stream", async () => {
    const chunks = [chunk({ content: "par" }), chunk({ content: "tial" })];
    const { body, outcome } = relayStream(openStream(chunks, 1), { publicModel: "pub", includeUsage: false, filter: restoring, startedAt: Date.now() });
    const evs = await events(body);
    expect(JSON.parse(evs.at(-1) as string)).toMatchObject({ error: { code: "stream_interrupted" } });
    expect(evs).not.toContain("[DONE]");
    expect((await outcome).error).toBe("boom");
  });

  it("reads the upstream only as fast as the client reads (backpressure), and aborts it when the client leaves", async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => chunk({ content: `w${i} ` }));
    let read = 1;
    let aborted = false;
    const inner = openStream(chunks);
    const open: OpenStream = { ...inner, rest: { next: () => (read++, inner.rest.next()) }, abort: () => (aborted = true) };
    const { body, outcome } = relayStream(open, { publicModel: "m", includeUsage: false, filter: restoring, startedAt: Date.now() });
    const reader = body.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(read).toBeLessThanOrEqual(3); // a chunk or two ahead, not the whole answer
    await reader.cancel();
    expect(aborted).toBe(true);
    expect((await outcome).error).toBe("client disconnected");
  });

  it("books a stream the client left as a client cancellation (499), one the upstream cut as a 502", async () => {
    // Before, both were 502 stream_interrupted, so client disconnects showed up as upstream errors.
    const chunks = [chunk({ content: "one " }), chunk({ content: "two" }, {}, "stop")];
    const left = relayStream(openStream(chunks), { publicModel: "m", includeUsage: false, filter: restoring, startedAt: Date.now() });
    const reader = left.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(bookedStatus(await left.outcome)).toEqual({ status: 499, errorCode: "client_closed" });
    // The client leaving while a read is pending: the aborted read must not re-book it as an upstream cut.
    let fail: (e: Error) => void = () => undefined;
    const pending: OpenStream = { first: chunks[0] as ChatCompletionChunk, rest: { next: () => new Promise((_, reject) => (fail = reject)) }, abort: () => fail(new Error("aborted")) };
    const racing = relayStream(pending, { publicModel: "m", includeUsage: false, filter: restoring, startedAt: Date.now() });
    const r2 = racing.body.getReader();
    await r2.read();
    void r2.read().catch(() => undefined);
    await r2.cancel();
    expect(bookedStatus(await racing.outcome)).toEqual({ status: 499, errorCode: "client_closed" });
    const cut = relayStream(openStream(chunks, 1), { publicModel: "m", includeUsage: false, filter: restoring, startedAt: Date.now() });
    await events(cut.body);
    expect(bookedStatus(await cut.outcome)).toEqual({ status: 502, errorCode: "stream_interrupted" });
    const whole = relayStream(openStream(chunks), { publicModel: "m", includeUsage: false, filter: restoring, startedAt: Date.now() });
    await events(whole.body);
    expect(bookedStatus(await whole.outcome)).toEqual({ status: 200, errorCode: null });
  });
});

