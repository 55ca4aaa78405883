import { describe, expect, it } from "vitest";
import { bandOf } from "./bands";
import { checksToCertify, emptyCounts } from "./error-bound";
import { boundAt, gateFor, refusalReason } from "./gate";

const counts = (entries: Array<[number, number, number?]>) => {
  const c = emptyCounts();
  for (const [score, checks, wrong = 0] of entries) {
    c[bandOf(score)]!.checks += checks;
    c[bandOf(score)]!.wrong += wrong;
  }
  return c;
};

describe("gateFor", () => {
  it("static mode ignores feedback", () => {
    const g = gateFor({ counts: counts([[0.9, 5000]]), delta: null, staticThreshold: 0.7, coldThreshold: null });
    expect(g).toMatchObject({ phase: "static", threshold: 0.7 });
    expect(refusalReason(g)).toBe("lexical");
  });

  it("starts cold: the strict threshold for a measured scorer, exact hits only otherwise", () => {
    expect(gateFor({ counts: emptyCounts(), delta: 0.01, staticThreshold: 0.7, coldThreshold: 0.78 })).toMatchObject({ phase: "cold", threshold: 0.78 });
    const exact = gateFor({ counts: emptyCounts(), delta: 0.01, staticThreshold: 0.7, coldThreshold: null });
    expect(exact).toMatchObject({ phase: "cold", threshold: null });
    expect(refusalReason(exact)).toBe("cold-start");
  });

  it("moves below the cold threshold once the bound certifies a lower band", () => {
    const n = checksToCertify(0.01);
    const g = gateFor({ counts: counts([[0.72, n], [0.74, n]]), delta: 0.01, staticThreshold: 0.7, coldThreshold: 0.78 });
    expect(g).toMatchObject({ phase: "warm", threshold: 0.72 });
    expect(refusalReason(g)).toBe("bound");
    expect(boundAt(g, 0.7)).toBe(1);
    expect(boundAt(g, 0.73)).toBeLessThanOrEqual(0.01);
  });

  it("drops a cold threshold the feedback refutes, and keeps it while it does not", () => {
    const refuted = gateFor({ counts: counts([[0.8, 200, 12]]), delta: 0.01, staticThreshold: 0.7, coldThreshold: 0.78 });
    expect(refuted.threshold).toBeNull();
    const clean = gateFor({ counts: counts([[0.8, 200]]), delta: 0.01, staticThreshold: 0.7, coldThreshold: 0.78 });
    expect(clean).toMatchObject({ phase: "cold", threshold: 0.78 });
  });

  it("a smaller delta needs more feedback for the same threshold", () => {
    const c = counts([[0.9, checksToCertify(0.01)]]);
    expect(gateFor({ counts: c, delta: 0.01, staticThreshold: 0.7, coldThreshold: null }).threshold).toBe(0.9);
    expect(gateFor({ counts: c, delta: 0.005, staticThreshold: 0.7, coldThreshold: null }).threshold).toBeNull();
  });
});
