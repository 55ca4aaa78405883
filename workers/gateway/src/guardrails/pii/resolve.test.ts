import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawFinding } from "../types";
import { resolveOverlaps } from "./resolve";

/** The rule written out plainly: each candidate, best first, kept when it overlaps nothing kept. */
function naive(findings: readonly RawFinding[]): RawFinding[] {
  const rank = (f: RawFinding) => (f.type === "URL" ? f.score - 1 : f.score);
  const sorted = [...findings].sort((a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: RawFinding[] = [];
  for (const f of sorted) if (f.end > f.start && !kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}

const finding = fc
  .record({
    type: fc.constantFrom("EMAIL_ADDRESS", "PERSON", "URL", "PHONE_NUMBER"),
    start: fc.integer({ min: 0, max: 120 }),
    length: fc.integer({ min: -2, max: 30 }),
    score: fc.constantFrom(0.4, 0.6, 0.85, 1),
  })
  .map(({ type, start, length, score }) => ({ type, start, end: start + length, score, text: "" }) as unknown as RawFinding);

describe("resolveOverlaps", () => {
  it("property: keeps exactly what the plain greedy rule keeps", () => {
    fc.assert(fc.property(fc.array(finding, { maxLength: 40 }), (fs) => {
        expect(resolveOverlaps(fs)).toEqual(naive(fs));
      }), { numRuns: 500, seed: 21 });
  });

  it("a URL loses to what is inside it; a longer span beats a shorter one of the same score", () => {
    const url = { type: "URL", start: 0, end: 40, score: 0.9, text: "" } as unknown as RawFinding;
    const email = { type: "EMAIL_ADDRESS", start: 10, end: 30, score: 0.5, text: "" } as unknown as RawFinding;
    expect(resolveOverlaps([url, email])).toEqual([email]);
    const short = { type: "PERSON", start: 5, end: 9, score: 0.8, text: "" } as unknown as RawFinding;
    const long = { type: "PERSON", start: 5, end: 14, score: 0.8, text: "" } as unknown as RawFinding;
    expect(resolveOverlaps([short, long])).toEqual([long]);
  });

  it("drops findings with offsets no detector gives (negative, not finite, empty) instead of trusting them", () => {
    const f = (start: number, end: number) => ({ type: "PERSON", start, end, score: 0.9, text: "" }) as unknown as RawFinding;
    expect(resolveOverlaps([f(-3, 4), f(0, 5), f(2, Number.NaN), f(1, Number.POSITIVE_INFINITY), f(6, 6)])).toEqual([f(0, 5)]);
  });

  it("resolves 200,000 disjoint findings (a dense megabyte of text)", () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({ type: "PHONE_NUMBER", start: i * 6, end: i * 6 + 5, score: 0.7, text: "" }) as unknown as RawFinding);
    expect(resolveOverlaps(many)).toHaveLength(200_000);
  });
});
