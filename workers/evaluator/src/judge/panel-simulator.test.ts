/** The panel against the real GPU simulator (OpenAI-compatible, json_schema answers). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../../../../gpu-backends/simulator/src/server";
import { JudgesSchema } from "./config";
import { runPanel } from "./panel";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe("judge panel with the simulator", () => {
  it("gets a schema-valid triage from the cheap judge and every rubric from the strong one, one call each", async () => {
    const judges = JudgesSchema.parse([
      { name: "small", baseUrl: sim.baseUrl, model: "small-sim" },
      { name: "frontier", baseUrl: sim.baseUrl, model: "frontier-sim", weight: 2, tier: "strong" },
    ]);
    const result = await runPanel(
      { messages: [{ role: "user", content: "Say hi to <PERSON_1>." }], response: "Hi <PERSON_1>!" },
      judges,
      { fetch: (u, i) => fetch(u, i), credential: () => undefined },
    );
    expect(result.judges.map((j) => j.error)).toEqual([null, null]);
    const [small, frontier] = result.judges;
    expect(small?.scores).toEqual({});
    expect(Object.keys(frontier?.scores ?? {}).sort()).toEqual(["faithfulness", "format", "relevance"]);
    for (const j of result.judges) {
      expect(j.overall).toBeGreaterThanOrEqual(1);
      expect(j.overall).toBeLessThanOrEqual(5);
      expect(j.usage.output.total).toBeGreaterThan(0);
      expect(j.confidence).toBeGreaterThanOrEqual(1);
    }
    // The triage answer is a few tokens: that is what the cheap pass waits on.
    expect(small?.usage.output.total).toBeLessThan(frontier?.usage.output.total ?? 0);
    expect(result.scoreMean).toBeGreaterThanOrEqual(1);
    expect(result.scoreMean).toBeLessThanOrEqual(5);
    const calls = sim.requests();
    expect(calls).toHaveLength(2);
  });
});
