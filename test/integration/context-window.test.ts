import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

// The local registry: small-sim has a 32,768-token window, frontier-sim 128,000.
let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  ({ key } = await seedKey(stack));
});
afterAll(async () => stack?.close());

const WORDS = ["river", "lantern", "copper", "meadow", "signal", "harbor", "quiet", "orbit", "ledger", "maple"];
/** About one cl100k token per word. */
const prose = (words: number) => Array.from({ length: words }, (_, i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length]).join(" ");
const chat = (model: string, words: number, extra: Record<string, unknown> = {}) =>
  stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(key, { "cache-control": "no-store" }),
    body: JSON.stringify({ model, messages: [{ role: "user", content: `Summarize: ${prose(words)}` }], ...extra }),
  });

async function expectContextError(res: Response, window: number): Promise<void> {
  expect(res.status).toBe(400);
  const { error } = (await res.json()) as { error: { code: string; param: string; type: string; message: string } };
  expect(error).toMatchObject({ code: "context_length_exceeded", param: "messages", type: "invalid_request_error" });
  expect(error.message).toContain(`maximum context length is ${window} tokens`);
}

describe("context window", () => {
  it("a ~232k-token prompt to the 32k model is a 400 context_length_exceeded, and no upstream is called", async () => {
    const before = stack.sim.requests().length;
    await expectContextError(await chat("small-sim", 232_000), 32_768);
    expect(stack.sim.requests().length).toBe(before);
  });

  it("auto and tier requests go to a model whose window fits", async () => {
    for (const model of ["auto", "small"]) {
      const res = await chat(model, 50_000, { max_tokens: 16 });
      expect(res.status, model).toBe(200);
      expect(res.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
      await res.arrayBuffer();
    }
  });

  it("auto with a prompt no available model fits is a 400 naming the largest window", async () => {
    await expectContextError(await chat("auto", 232_000), 128_000);
    const { key: smallOnly } = await seedKey(stack, { tiers: ["small"] });
    const res = await stack.fetch("/v1/chat/completions", {
      method: "POST",
      headers: bearer(smallOnly),
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: prose(50_000) }] }),
    });
    await expectContextError(res, 32_768);
  });

  it("property: any prompt size and model is served by a model that fits, or refused with context_length_exceeded, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("auto", "small", "small-sim", "frontier-sim"), fc.constantFrom(5, 20_000, 40_000, 140_000), fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }), async (model, words, maxTokens) => {
        const res = await chat(model, words, maxTokens === undefined ? {} : { max_tokens: maxTokens });
        if (res.status === 200) {
          const served = res.headers.get("x-upstream");
          await res.arrayBuffer();
          if (words >= 40_000) expect(served).toBe("openai-compatible:frontier-sim");
          if (words >= 140_000) expect.fail("a prompt over every window was served");
        } else {
          expect(res.status).toBe(400);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe("context_length_exceeded");
          expect(words === 140_000 || (words >= 40_000 && model === "small-sim")).toBe(true);
        }
      }),
      { numRuns: 12 },
    );
  });
});
