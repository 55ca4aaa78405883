import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerLogprobs } from "./logprobs";
import { startSimulator, type RunningSimulator } from "./server";
import { chatBody, postJson } from "./test-helpers";

describe("answerLogprobs", () => {
  it("simulates one deterministic logprob per token, never above 0, for unrecorded answers", () => {
    const a = answerLogprobs({ content: "The kettle boils at noon." }, "small-sim");
    expect(a?.content.map((t) => t.token).join("")).toBe("The kettle boils at noon.");
    expect(a?.content.every((t) => t.logprob <= 0 && t.logprob >= -2.5)).toBe(true);
    expect(answerLogprobs({ content: "The kettle boils at noon." }, "small-sim")).toEqual(a);
  });

  it("returns a recording's logprobs, and none when the recording has none", () => {
    expect(answerLogprobs({ content: "Yes.", recordedLogprobs: [-0.5, -3] }, "m")?.content.map((t) => t.logprob)).toEqual([-0.5, -3]);
    expect(answerLogprobs({ content: "Yes.", recordedLogprobs: null }, "m")).toBeNull();
    expect(answerLogprobs({ content: null }, "m")).toBeNull();
  });
});

describe("logprobs over HTTP", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      replay: [
        { model: "small-sim", prompt: "How many legs do 3 spiders have?", response: "3 x 8 = 24 legs.", logprobs: [-0.1, -0.2, -0.1, -0.3, -0.1, -0.2, -0.4] },
        { model: "small-sim", prompt: "Name a prime.", response: "7" },
      ],
    });
  });
  afterAll(() => sim.close());

  const ask = async (content: string, extra: Record<string, unknown> = {}) =>
    ((await (await postJson(`${sim.baseUrl}/chat/completions`, chatBody(content, extra))).json()) as { choices: Array<{ logprobs: { content: Array<{ logprob: number }> } | null }> }).choices[0]?.logprobs;

  it("answers logprobs only when asked, from the recording when it has them", async () => {
    expect(await ask("How many legs do 3 spiders have?")).toBeNull();
    expect((await ask("How many legs do 3 spiders have?", { logprobs: true }))?.content[0]?.logprob).toBe(-0.1);
    expect(await ask("Name a prime.", { logprobs: true })).toBeNull();
    expect((await ask("Tell me about tea.", { logprobs: true }))?.content.length).toBeGreaterThan(0);
  });
});
