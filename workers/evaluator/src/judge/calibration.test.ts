import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJudgeStub, type JudgeStub } from "../testing/judge-stub";
import { agreement, calibrate, cohensKappa, GoldenLineSchema } from "./calibration";
import { JudgeSchema } from "./config";

const golden = readFileSync(resolve(import.meta.dirname, "__fixtures__/golden.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => GoldenLineSchema.parse(JSON.parse(l)));

let stub: JudgeStub;
beforeAll(async () => {
  // "good" judge spots wrong facts and refusals; "lenient" passes everything.
  stub = await startJudgeStub((model, prompt) => (model === "lenient" ? 5 : /90 days|I'm sorry/.test(prompt) ? 1 : 5));
});
afterAll(() => stub.close());

describe("judge calibration", () => {
  it("computes Cohen's kappa", () => {
    expect(cohensKappa([true, false, true, false], [true, false, true, false])).toBe(1);
    expect(cohensKappa([true, true, false, false], [true, false, true, false])).toBe(0);
    expect(agreement([true, false], [true, null])).toEqual({ n: 1, accuracy: 1, kappa: 1 });
  });

  it("scores each judge and the panel against the shipped golden file", async () => {
    const judges = [
      JudgeSchema.parse({ name: "good", baseUrl: stub.url, model: "good", version: "g1" }),
      JudgeSchema.parse({ name: "lenient", baseUrl: stub.url, model: "lenient", version: "l1" }),
    ];
    const r = await calibrate(golden, judges, { fetch: (u, i) => fetch(u, i), credential: () => undefined }, 3.5, new Date("2026-11-27T00:00:00Z"));
    expect(r.goldenLines).toBe(10);
    const good = r.judges.find((j) => j.name === "good");
    const lenient = r.judges.find((j) => j.name === "lenient");
    // Judges alone miss the schema break and the PII leak (g4, g6); the checks catch them.
    expect(good).toMatchObject({ n: 10, accuracy: 0.8 });
    expect(lenient?.accuracy).toBeLessThan(good?.accuracy ?? 0);
    expect(r.panel).toMatchObject({ n: 10, accuracy: 1, kappa: 1, version: "good:good@g1x1,lenient:lenient@l1x1" });
  });
});
