import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import { countTokens } from "../../../../shared/tokens";
import type { ModelEntry } from "../config/model-registry";
import { chatPromptTokens, contextLengthExceeded, fitsContext } from "./context-window";

const WORDS = ["river", "lantern", "copper", "meadow", "signal", "harbor", "quiet", "orbit", "ledger", "maple"];
const prose = (words: number) => Array.from({ length: words }, (_, i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length]).join(" ");
const chat = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest =>
  ({ model: "auto", messages: [{ role: "user", content }], ...extra }) as ChatCompletionRequest;
const model = (contextWindow: number, maxOutputTokens = 4096) => ({ id: `m${contextWindow}`, contextWindow, maxOutputTokens }) as ModelEntry;

describe("context window check", () => {
  it("decides an everyday prompt from its length alone, without tokenizing", () => {
    const counter = chatPromptTokens(chat(prose(2_000)));
    expect(counter.fitsIn(32_768)).toBe(true);
    expect(counter.known).toEqual({ tokens: 7, complete: false }); // framing only: nothing was counted
  });

  it("stops counting a huge prompt soon after the window, and resumes for a larger one", () => {
    const counter = chatPromptTokens(chat(prose(230_000)));
    expect(counter.fitsIn(32_768)).toBe(false);
    const first = counter.known;
    expect(first.complete).toBe(false);
    expect(first.tokens).toBeGreaterThan(32_768);
    expect(first.tokens).toBeLessThan(32_768 + 20_000); // one piece past the window, not the whole prompt
    expect(counter.fitsIn(128_000)).toBe(false);
    expect(counter.known.tokens).toBeLessThan(128_000 + 20_000);
  });

  it("counts the output the request asks for (clamped to the model's own output limit)", () => {
    const request = chat(prose(30_000));
    const exact = countTokens(prose(30_000)) + 7;
    expect(fitsContext({ ...request, max_tokens: 32_768 - exact } as ChatCompletionRequest, model(32_768, 8192))).toBe(true);
    expect(fitsContext({ ...request, max_tokens: 32_768 - exact + 1 } as ChatCompletionRequest, model(32_768, 8192))).toBe(false);
    expect(fitsContext({ ...request, max_tokens: 100_000 } as ChatCompletionRequest, model(exact + 8192, 8192))).toBe(true);
  });

  it("counts tool definitions and tool-call arguments as prompt", () => {
    const args = JSON.stringify({ notes: prose(3_000) });
    const request = chat("hi", {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "save", arguments: args } }] },
      ],
    } as Partial<ChatCompletionRequest>);
    expect(fitsContext(request, model(2_000, 100))).toBe(false);
    expect(fitsContext(request, model(8_000, 100))).toBe(true);
  });

  it("property: agrees with an exact count of the whole prompt (within one token per 16k-char piece)", () => {
    const text = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("数据", "🙂", "\n\n", "    ")), { maxLength: 4_000 }).map((parts) => parts.join(" "));
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6_000 }), (content, limit) => {
        const exact = countTokens(content) + 7;
        const slack = Math.ceil(content.length / 16_384) + 1;
        const fits = chatPromptTokens(chat(content)).fitsIn(limit);
        if (fits) expect(exact).toBeLessThanOrEqual(limit + slack);
        else expect(exact).toBeGreaterThan(limit - slack);
      }),
      { numRuns: 150 },
    );
  });

  it("explains itself as OpenAI does", () => {
    const request = chat(prose(40_000), { max_tokens: 500 });
    const small = model(32_768);
    expect(fitsContext(request, small)).toBe(false);
    const err = contextLengthExceeded(request, small);
    expect(err).toMatchObject({ status: 400, code: "context_length_exceeded", param: "messages" });
    expect(err.message).toMatch(/^This model's maximum context length is 32768 tokens \(m32768\)\. However, you requested at least \d+ tokens \(at least \d+ in the messages, 500 in the completion\)/);
  });
});

describe("inline payloads in the window", () => {
  const withPart = (part: unknown): ChatCompletionRequest =>
    ({ model: "auto", messages: [{ role: "user", content: [{ type: "text", text: "Summarise the attachment." }, part] }] }) as ChatCompletionRequest;
  const b64 = (text: string) => btoa(text);

  it("a text file counts as prompt; an image of the same size does not", () => {
    const text = prose(6_000); // ~6k tokens
    expect(fitsContext(withPart({ type: "file", file: { filename: "notes.txt", file_data: `data:text/plain;base64,${b64(text)}` } }), model(4_096, 16))).toBe(false);
    expect(fitsContext(withPart({ type: "file", file: { filename: "notes.txt", file_data: b64(text) } }), model(4_096, 16))).toBe(false);
    expect(fitsContext(withPart({ type: "file", file: { filename: "notes.txt", file_data: b64(text) } }), model(16_384, 16))).toBe(true);
    expect(fitsContext(withPart({ type: "image_url", image_url: { url: `data:image/png;base64,${b64(text)}` } }), model(4_096, 16))).toBe(true);
  });

  it("a response schema and stop strings count as prompt, as the guardrails read them", () => {
    const base = { model: "auto", messages: [{ role: "user", content: "Answer in JSON." }] };
    const schema = { ...base, response_format: { type: "json_schema", json_schema: { name: "out", description: prose(6_000), schema: { type: "object" } } } } as ChatCompletionRequest;
    expect(fitsContext(schema, model(4_096, 16))).toBe(false);
    expect(fitsContext({ ...base, stop: [prose(3_000), prose(3_000)] } as ChatCompletionRequest, model(4_096, 16))).toBe(false);
    expect(fitsContext({ ...base, stop: "END" } as ChatCompletionRequest, model(4_096, 16))).toBe(true);
  });

  it("a predicted output counts as prompt, as the guardrails read it", () => {
    const request = { model: "auto", messages: [{ role: "user", content: "Fix the typo." }], prediction: { type: "content", content: prose(6_000) } } as ChatCompletionRequest;
    expect(fitsContext(request, model(4_096, 16))).toBe(false);
    expect(fitsContext(request, model(16_384, 16))).toBe(true);
  });
});
