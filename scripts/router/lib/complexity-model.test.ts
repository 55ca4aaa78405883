// The complexity head and its calibration on synthetic rows with planted structure.
import { describe, expect, it } from "vitest";
import type { OutcomeRow } from "../outcomes/outcome-row";
import { applyPlatt, ece, fitPlatt } from "./calibration";
import { fitComplexity, linearLogit, type ComplexityRow } from "./complexity-model";
import { crossFitLogits, subjectFolds } from "./cross-fit";
import { auc } from "./metrics";
import { mulberry32 } from "./rng";

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Two features: f0 drives the label within every group; f1 only names the group (a "set marker"). */
function plantedRows(seed: number): ComplexityRow[] {
  const rng = mulberry32(seed);
  const rows: ComplexityRow[] = [];
  for (let group = 0; group < 3; group++)
    for (let i = 0; i < 400; i++) {
      const f0 = rng() * 2 - 1;
      const base = [-2, 0, 1.5][group]!; // very different base rates
      rows.push({ f: Float64Array.of(f0, group), y: rng() < sigmoid(base + 2 * f0) ? 1 : 0, weight: 1, group });
    }
  return rows;
}

describe("complexity model", () => {
  it("learns the within-set signal and lets the offsets, not a set marker, absorb base rates", () => {
    const m = fitComplexity(plantedRows(1), 3);
    expect(m.coef[0]).toBeGreaterThan(1.5);
    expect(Math.abs(m.coef[1]!)).toBeLessThan(0.15);
  });

  it("is deterministic", () => {
    expect(fitComplexity(plantedRows(2), 3)).toEqual(fitComplexity(plantedRows(2), 3));
  });

  it("Platt scaling recovers a planted calibration map", () => {
    const rng = mulberry32(3);
    const z = Array.from({ length: 4000 }, () => rng() * 6 - 3);
    const y = z.map((v) => (rng() < sigmoid(0.5 * v - 1) ? 1 : 0));
    const c = fitPlatt(z, y);
    expect(Math.abs(c.a - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(c.b + 1)).toBeLessThan(0.15);
    expect(ece(z.map((v) => applyPlatt(c, v)), y)).toBeLessThan(0.03);
  });
});

describe("cross-fitting", () => {
  // Set "odd" has the signal reversed: a model that saw it would learn less of the others' sign,
  // a model that did not must score it with the others' sign (AUC < 0.5 against its labels).
  const rng = mulberry32(4);
  const rows: OutcomeRow[] = [];
  const inputs: Float64Array[] = [];
  for (const [family, sign] of [["a", 1], ["b", 1], ["odd", -1]] as const)
    for (let i = 0; i < 300; i++) {
      const f = rng() * 2 - 1;
      const y = rng() < sigmoid(3 * sign * f) ? 1 : 0;
      rows.push({ prompt: `${family} ${i}`, family, group: family, label: y, weakOk: y === 0, strongOk: true, pair: "mixtral-gpt4", subject: `s${i % 6}` });
      inputs.push(Float64Array.of(f));
    }

  it("scores each left-out set only with a model fitted without it", () => {
    const z = crossFitLogits(rows, inputs, (r) => r.family, ["odd"]);
    const odd = rows.map((_, i) => i).filter((i) => rows[i]!.family === "odd");
    expect(rows.every((r, i) => (r.family === "odd") === Number.isFinite(z[i]))).toBe(true);
    expect(auc(odd.map((i) => z[i]!), odd.map((i) => rows[i]!.label === 1))).toBeLessThan(0.2);
    const m = fitComplexity(rows.map((r, i) => ({ f: inputs[i]!, y: r.label, weight: 1, group: ["a", "b", "odd"].indexOf(r.family) })), 3);
    expect(linearLogit(m, Float64Array.of(1))).toBeLessThan(z[odd.find((i) => inputs[i]![0]! > 0.9)!]!);
  });

  it("groups MMLU subjects into k folds and leaves other sets in every fold's training data", () => {
    const mmlu: OutcomeRow[] = rows.map((r) => ({ ...r, family: r.family === "odd" ? "mmlu" : r.family }));
    const { foldOf, folds } = subjectFolds(mmlu, 4);
    expect(folds).toEqual(["mmlu-subjects-0", "mmlu-subjects-1", "mmlu-subjects-2", "mmlu-subjects-3"]);
    expect(foldOf(mmlu[0]!)).toBeNull();
    const keys = mmlu.filter((r) => r.family === "mmlu").map(foldOf);
    expect(new Set(keys).size).toBe(4);
    expect(foldOf({ ...mmlu[650]!, subject: "s0" })).toBe(foldOf({ ...mmlu[700]!, subject: "s0" }));
  });
});
