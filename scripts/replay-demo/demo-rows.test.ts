import { describe, expect, it } from "vitest";
import type { Gsm8kRecord } from "../cascade/lib/draft-rows";
import { parseReplayJsonl } from "../../gpu-backends/simulator/src/replay";
import { parseCascade, pickDemoRows, replayJsonl, servedAnswer, servedCorrect } from "./demo-rows";

/** Invented word problems with a small and a frontier answer each, not rows of the shared sets. */
const rec = (id: string, smallOk: boolean, frontierOk: boolean): Gsm8kRecord => ({
  id,
  prompt: `A baker fills ${id} trays with 6 rolls each. How many rolls?`,
  smallOk,
  frontierOk,
  smallResponse: `Small answer for ${id}. The answer is ${smallOk ? 18 : 16}.`,
  frontierResponse: `Frontier answer for ${id}. The answer is ${frontierOk ? 18 : 12}.`,
});
const records = [rec("a", true, true), rec("b", false, true), rec("c", false, false), rec("d", false, true), rec("e", true, true), rec("f", true, false), rec("g", false, true)];

describe("replay:demo rows", () => {
  it("takes wrong drafts the frontier gets right, then right drafts, in file order", () => {
    const rows = pickDemoRows(records, 2, 1);
    expect(rows.map((r) => [r.kind, r.record.id])).toEqual([["small wrong", "b"], ["small wrong", "d"], ["small right", "a"]]);
    // Both-wrong (c) and small-right-frontier-wrong (f) rows are never picked: escalating them shows nothing.
    expect(pickDemoRows(records, 9, 9).map((r) => r.record.id)).toEqual(["b", "d", "g", "a", "e"]);
  });

  it("writes a replay file the simulator accepts, one recorded answer per tier", () => {
    const rows = pickDemoRows(records, 1, 1);
    const entries = parseReplayJsonl(replayJsonl(rows));
    expect(entries).toEqual([
      { model: "small-sim", prompt: records[1]!.prompt, response: records[1]!.smallResponse },
      { model: "frontier-sim", prompt: records[1]!.prompt, response: records[1]!.frontierResponse },
      { model: "small-sim", prompt: records[0]!.prompt, response: records[0]!.smallResponse },
      { model: "frontier-sim", prompt: records[0]!.prompt, response: records[0]!.frontierResponse },
    ]);
  });

  it("tells which recorded answer was served and whether it is correct", () => {
    const b = records[1]!;
    expect(servedAnswer(`  ${b.smallResponse}\n`, b)).toBe("small");
    expect(servedCorrect("small", b)).toBe(false);
    expect(servedAnswer(b.frontierResponse, b)).toBe("frontier");
    expect(servedCorrect("frontier", b)).toBe(true);
    // A synthetic answer (the stack started without the replay file) is neither, with no verdict.
    expect(servedAnswer("lorem ipsum tokens", b)).toBe("neither");
    expect(servedCorrect("neither", b)).toBeNull();
  });

  it("reads the x-cascade header", () => {
    expect(parseCascade("accepted:small")).toEqual({ outcome: "accepted", detail: ["small"] });
    expect(parseCascade("escalated:p_wrong+arith_wrong")).toEqual({ outcome: "escalated", detail: ["p_wrong", "arith_wrong"] });
    expect(parseCascade(null)).toEqual({ outcome: "none", detail: [] });
    expect(parseCascade("something else")).toEqual({ outcome: "none", detail: [] });
  });
});
