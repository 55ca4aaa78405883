import { describe, expect, it } from "vitest";
import { binomialCdf, lowerBound, upperBound } from "./binomial-bound";

describe("exact binomial bounds", () => {
  it("matches Clopper-Pearson reference values (beta quantiles)", () => {
    expect(upperBound(0, 100, 0.05)).toBeCloseTo(1 - 0.05 ** (1 / 100), 10);
    expect(upperBound(1, 100, 0.05)).toBeCloseTo(0.04656, 4);
    expect(upperBound(2, 300, 0.05)).toBeCloseTo(0.020836, 5);
    expect(upperBound(5, 1000, 0.05)).toBeCloseTo(0.010484, 5);
    expect(lowerBound(3, 300, 0.05)).toBeCloseTo(0.002731, 5);
  });

  it("is honest at the edges", () => {
    expect(upperBound(0, 0, 0.05)).toBe(1);
    expect(upperBound(4, 4, 0.05)).toBe(1);
    expect(lowerBound(0, 50, 0.05)).toBe(0);
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
    expect(binomialCdf(0, 10, 0.1)).toBeCloseTo(0.9 ** 10, 10);
  });

  it("tightens with more evidence and loosens with more errors", () => {
    expect(upperBound(0, 1000, 0.05)).toBeLessThan(upperBound(0, 100, 0.05));
    expect(upperBound(3, 1000, 0.05)).toBeGreaterThan(upperBound(2, 1000, 0.05));
    expect(upperBound(0, 300, 0.01)).toBeGreaterThan(upperBound(0, 300, 0.05));
  });
});
