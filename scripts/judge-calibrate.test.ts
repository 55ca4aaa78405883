import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJudgeStub, type JudgeStub } from "../workers/evaluator/src/testing/judge-stub";
import { main } from "./judge-calibrate";

const GOLDEN = resolve(import.meta.dirname, "../workers/evaluator/src/judge/__fixtures__/golden.jsonl");
let stub: JudgeStub;
beforeAll(async () => {
  stub = await startJudgeStub((_m, prompt) => (/90 days|I'm sorry/.test(prompt) ? 1 : 5));
});
afterAll(() => stub.close());

describe("judge:calibrate CLI", () => {
  it("appends a calibration run keyed by judge version to the output file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "calib-"));
    const judges = join(dir, "judges.json");
    writeFileSync(judges, JSON.stringify([{ name: "a", baseUrl: stub.url, model: "small-sim", version: "a@2" }, { name: "b", baseUrl: stub.url, model: "frontier-sim" }]));
    const out = join(dir, "cal.json");
    await main(["--golden", GOLDEN, "--judges", judges, "--out", out]);
    await main(["--golden", GOLDEN, "--judges", judges, "--out", out]);
    const stored = JSON.parse(readFileSync(out, "utf8")) as { runs: { judges: { version: string; accuracy: number }[]; panel: { kappa: number } }[] };
    expect(stored.runs).toHaveLength(2);
    expect(stored.runs[0]?.judges.map((j) => j.version)).toEqual(["a@2", "1"]);
    expect(stored.runs[0]?.panel.kappa).toBe(1);
  });

  it("refuses to run without a golden file", async () => {
    await expect(main([])).rejects.toThrow(/usage/);
  });
});
