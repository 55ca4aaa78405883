import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../shared/errors";
import { countTokens } from "../../../../shared/tokens";
import type { ModelEntry } from "../config/model-registry";
import { checkEmbeddingsFields, checkEmbeddingsInputSize, MAX_EMBEDDINGS_REQUEST_TOKENS } from "./request-checks";

const model = (contextWindow: number) => ({ id: `embed-${contextWindow}`, contextWindow }) as ModelEntry;
const codeOf = (run: () => void): string | null => {
  try {
    run();
    return null;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    expect(err.status).toBe(400);
    return err.code;
  }
};

describe("embeddings input sizes", () => {
  it("property: an input is refused exactly when its cl100k count is over the window", () => {
    const words = fc.constantFrom("kettle", "north", "of", "the", "granite", "ßtraße", "東京", "🙂", "  ", "42");
    const text = fc.array(words, { maxLength: 40 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 5 })), fc.integer({ min: 1, max: 60 }), (input, window) => {
        const texts = typeof input === "string" ? [input] : input;
        const over = texts.findIndex((t) => countTokens(t) > window);
        const code = codeOf(() => checkEmbeddingsInputSize(input, model(window)));
        expect(code).toBe(over >= 0 ? "context_length_exceeded" : null);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it("token-id inputs are measured by their length, per input and for the whole request", () => {
    expect(codeOf(() => checkEmbeddingsInputSize([1, 2, 3], model(3)))).toBeNull();
    expect(codeOf(() => checkEmbeddingsInputSize([1, 2, 3, 4], model(3)))).toBe("context_length_exceeded");
    expect(codeOf(() => checkEmbeddingsInputSize([[1], [2, 3, 4, 5]], model(3)))).toBe("context_length_exceeded");
    const batch = Array.from({ length: 40 }, () => Array.from({ length: 8_000 }, (_, i) => i));
    expect(codeOf(() => checkEmbeddingsInputSize(batch, model(8_192)))).toBe("max_tokens_per_request");
    expect(codeOf(() => checkEmbeddingsInputSize(batch.slice(0, 37), model(8_192)))).toBeNull(); // 296,000 tokens
  });

  it("a long text is refused after counting about one window, and a huge one after about the request's cap", () => {
    const messageOf = (text: string, window: number): string => {
      try {
        checkEmbeddingsInputSize(text, model(window));
      } catch (e) {
        if (e instanceof GatewayError) return e.message;
      }
      return "";
    };
    const long = messageOf("quarry lantern sleet orchard ".repeat(20_000), 8_192); // ~80k tokens
    expect(long).toContain("maximum context length");
    expect(Number(/has at least (\d+) tokens/.exec(long)?.[1])).toBeLessThan(8_192 + 20_000);
    const huge = messageOf("quarry lantern sleet orchard ".repeat(200_000), 8_192); // ~5.8 MB, ~800k tokens
    expect(huge).toContain(`max ${MAX_EMBEDDINGS_REQUEST_TOKENS} tokens per request`);
    expect(Number(/Requested at least (\d+) tokens/.exec(huge)?.[1])).toBeLessThan(MAX_EMBEDDINGS_REQUEST_TOKENS + 20_000);
  });
});

describe("embeddings fields", () => {
  it("unknown fields pass (the adapters drop them) unless the tenant is strict", () => {
    const body = { model: "m", input: "x", dimensions: 8, encoding_format: "float", user: "eu_1" };
    expect(() => checkEmbeddingsFields(body, true)).not.toThrow();
    expect(() => checkEmbeddingsFields({ ...body, routing_hint: "fast" }, false)).not.toThrow();
    expect(codeOf(() => checkEmbeddingsFields({ ...body, routing_hint: "fast" }, true))).toBe("unknown_parameter");
  });
});
