import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../shared/schemas/openai-chat";
import { buildAnswer } from "./answer";
import { ModelConfigSchema } from "./config";
import { continueAnswer, isContinuation } from "./continuation";
import { ReplayIndex } from "./replay";
import type { RunningSimulator } from "./server";
import { startSimulator } from "./server";
import { chatBody, postJson, readChunks } from "./test-helpers";
import { countText } from "./tokens";

const model = ModelConfigSchema.parse({ id: "small-sim", defaultOutputTokens: 30 });
const noReplay = new ReplayIndex();
const ask = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: "small-sim", messages: [{ role: "user", content }], ...extra });
const cont = (req: ChatCompletionRequest, partial: string, max?: number): ChatCompletionRequest =>
  ({ ...req, messages: [...req.messages, { role: "assistant", content: partial }], ...(max !== undefined ? { max_tokens: max } : {}), continue_final_message: true, add_generation_prompt: false }) as ChatCompletionRequest;

describe("continue_final_message", () => {
  it("continues a synthetic answer from any of its word boundaries to the same whole answer", () => {
    const whole = buildAnswer(ask("tell me about caches"), model, noReplay);
    for (const k of [1, 5, whole.pieces.length - 1]) {
      const partial = whole.pieces.slice(0, k).join("");
      const rest = continueAnswer(cont(ask("tell me about caches"), partial), model, noReplay);
      expect(partial + rest.content).toBe(whole.content);
      expect(rest.finishReason).toBe(whole.finishReason);
      expect(rest.completionTokens).toBe(countText(rest.content ?? ""));
      expect(rest.pieces.join("")).toBe(rest.content);
    }
  });

  it("keeps the whole token budget: the partial answer plus max_tokens of continuation", () => {
    const whole = buildAnswer(ask("hello there", { max_tokens: 12 }), model, noReplay);
    expect(whole.finishReason).toBe("length");
    const partial = whole.pieces.slice(0, 4).join("");
    const rest = continueAnswer(cont(ask("hello there"), partial, 12 - countText(partial)), model, noReplay);
    expect(partial + rest.content).toBe(whole.content);
    expect(rest.finishReason).toBe("length");
  });

  it("continues a replayed answer from its matching prefix, and an ECHO: answer", () => {
    const replay = new ReplayIndex([{ prompt: "What is 2+2?", response: "Two plus two is four, as arithmetic says." }]);
    expect(continueAnswer(cont(ask("What is 2+2?"), "Two plus two"), model, replay).content).toBe(" is four, as arithmetic says.");
    expect(continueAnswer(cont(ask("ECHO: call <PERSON_1> now please"), "call <PERSON_1>"), model, noReplay).content).toBe(" now please");
  });

  it("writes synthetic prose after a partial answer that is not its own, with a separating space", () => {
    const rest = continueAnswer(cont(ask("hello"), "Something else entirely", 5), model, noReplay);
    expect(rest.content).toMatch(/^ \S/);
    expect(rest.completionTokens).toBeLessThanOrEqual(6);
  });

  it("refuses vLLM's invalid combinations with 400 and ignores requests without the switch", () => {
    expect(isContinuation(ask("x"))).toBe(false);
    expect(() => isContinuation({ ...cont(ask("x"), "y"), add_generation_prompt: true } as ChatCompletionRequest)).toThrow(/add_generation_prompt/);
    expect(() => isContinuation({ ...ask("x"), continue_final_message: true, add_generation_prompt: false } as ChatCompletionRequest)).toThrow(/last message/);
  });
});

describe("continuations over HTTP, and cutting them", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ config: { models: [{ id: "small-sim", defaultOutputTokens: 20 }] } });
  });
  afterAll(() => sim.close());

  const streamed = async (body: Record<string, unknown>) => readChunks(await postJson(`${sim.baseUrl}/chat/completions`, { ...body, stream: true, stream_options: { include_usage: true } }));
  const textOf = (chunks: Array<Record<string, unknown>>) =>
    chunks.map((c) => ((c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? "")).join("");

  it("streams only the continuation, bills the partial answer as prompt and counts it in sim:continuations_total", async () => {
    const whole = await streamed(chatBody("a story about routers"));
    const full = textOf(whole.chunks);
    const partial = full.split(" ").slice(0, 3).join(" ");
    const body = chatBody("a story about routers", { continue_final_message: true, add_generation_prompt: false });
    const rest = await streamed({ ...body, messages: [...(body.messages as unknown[]), { role: "assistant", content: partial }] });
    expect(rest.done).toBe(true);
    expect(partial + textOf(rest.chunks)).toBe(full);
    const usage = rest.chunks.at(-1)?.usage as { prompt_tokens: number };
    const plainUsage = whole.chunks.at(-1)?.usage as { prompt_tokens: number };
    expect(usage.prompt_tokens).toBe(plainUsage.prompt_tokens + 3 + countText(partial));
    expect(await (await fetch(`${sim.url}/metrics`)).text()).toMatch(/sim:continuations_total\{model_name="small-sim"\} 1\.0/);
  });

  it("disconnectNext cuts the next K streams, continuations included, then recovers", async () => {
    sim.setFaults({ model: "small-sim", disconnectNext: 2 });
    const body = chatBody("x", { continue_final_message: true, add_generation_prompt: false });
    const contBody = { ...body, messages: [...(body.messages as unknown[]), { role: "assistant", content: "Sure" }] };
    await expect(streamed(chatBody("x"))).rejects.toThrow();
    await expect(streamed(contBody)).rejects.toThrow();
    expect((await streamed(contBody)).done).toBe(true);
  });
});
