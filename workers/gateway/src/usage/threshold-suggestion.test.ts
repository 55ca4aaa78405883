import { describe, expect, it } from "vitest";
import { precision, suggestThreshold, wilsonLowerBound, type AuditBucket } from "./threshold-suggestion";

/** n hits at a similarity, `wrong` of them judged incorrect. */
const at = (similarity: number, n: number, wrong = 0): AuditBucket => ({ similarity, audited: n, correct: n - wrong });

describe("hit precision", () => {
  it("is correct / audited, null without audits", () => {
    expect(precision(40, 38)).toBe(0.95);
    expect(precision(0, 0)).toBeNull();
  });

  it("has a Wilson lower bound that is strict on small samples", () => {
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 3);
    expect(wilsonLowerBound(124, 124)).toBeLessThan(0.97);
    expect(wilsonLowerBound(125, 125)).toBeGreaterThanOrEqual(0.97);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe("suggestThreshold", () => {
  it("picks the lowest threshold whose precision over hits at or above it meets the target", () => {
    // 0.95..0.90: 200 hits, all correct; 0.89: 10 hits, 5 wrong; 0.87: 20 hits, 10 wrong.
    const buckets = [at(0.95, 100), at(0.9, 100), at(0.89, 10, 5), at(0.87, 20, 10)];
    const s = suggestThreshold(buckets, { currentThreshold: 0.865 });
    // At 0.89: 205/210 = 0.976 >= 0.97; at 0.87: 215/230 = 0.935 < 0.97.
    expect(s).toMatchObject({ suggestedThreshold: 0.89, samples: 210, precisionAtThreshold: 0.9762, confidence: "medium" });
    expect(s.note).toContain("Consider raising the threshold from 0.865");
    expect(suggestThreshold(buckets, { targetPrecision: 0.9 }).suggestedThreshold).toBe(0.87);
    expect(suggestThreshold(buckets, { targetPrecision: 1 }).suggestedThreshold).toBe(0.9);
  });

  it("uses cumulative precision: one wrong hit near the top does not block a good lower threshold", () => {
    const s = suggestThreshold([at(0.99, 1, 1), at(0.95, 200)]);
    expect(s).toMatchObject({ suggestedThreshold: 0.95, samples: 201, confidence: "high" });
  });

  it("merges buckets with the same similarity and ignores empty ones", () => {
    const s = suggestThreshold([at(0.9, 20), at(0.9, 20, 1), at(0.8, 0)]);
    expect(s).toMatchObject({ suggestedThreshold: 0.9, samples: 40, precisionAtThreshold: 0.975 });
  });

  it("says how little a few samples show, and that lower thresholds are untested", () => {
    const s = suggestThreshold([at(0.93, 5), at(0.9, 7)], { minSamples: 30 });
    expect(s).toMatchObject({ suggestedThreshold: 0.9, samples: 12, confidence: "low" });
    expect(s.note).toContain("Only 12 audited hits");
    expect(s.note).toContain("a threshold under 0.9 is untested");
  });

  it("suggests nothing when no threshold reaches the target, and nothing without audits", () => {
    const bad = suggestThreshold([at(0.97, 10, 2), at(0.9, 10, 5)]);
    expect(bad).toMatchObject({ suggestedThreshold: null, samples: 20, precisionAtThreshold: 0.65, confidence: "low" });
    expect(bad.note).toContain("No threshold in the audited range");
    expect(suggestThreshold([])).toMatchObject({ suggestedThreshold: null, samples: 0, precisionAtThreshold: null, confidence: "none" });
  });
});
