import { describe, expect, it } from "vitest";
import { logprobStats } from "./logprob-signals";

describe("logprobStats", () => {
  it("summarises OpenAI/vLLM choice logprobs: mean and the worst 5% of tokens", () => {
    const content = Array.from({ length: 40 }, (_, i) => ({ token: `t${i}`, logprob: i < 2 ? -8 : -0.1, top_logprobs: [] }));
    const s = logprobStats({ content });
    expect(s?.tokens).toBe(40);
    expect(s?.mean).toBeCloseTo((2 * -8 + 38 * -0.1) / 40);
    expect(s?.low).toBeCloseTo(-8);
  });

  it("is null when absent, empty or malformed, and clamps odd values", () => {
    expect(logprobStats(null)).toBeNull();
    expect(logprobStats({ content: [] })).toBeNull();
    expect(logprobStats({ content: [{ token: "x" }] })).toBeNull();
    expect(logprobStats("nope")).toBeNull();
    expect(logprobStats({ content: [{ logprob: -1e9 }, { logprob: 3 }] })).toMatchObject({ mean: -10, low: -20 });
  });
});
