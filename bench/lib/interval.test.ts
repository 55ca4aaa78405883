import { describe, expect, it } from "vitest";
import { hodgesLehmann, meanInterval, t975 } from "./interval";

describe("t975", () => {
  it("matches tabulated Student's t quantiles", () => {
    // Standard tables: t(0.975; df).
    for (const [df, t] of [[5, 2.571], [10, 2.228], [29, 2.045], [60, 2.0], [1000, 1.962]] as const) expect(t975(df)).toBeCloseTo(t, 2);
  });
});

describe("meanInterval", () => {
  it("centres on the mean and widens with the spread", () => {
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    expect(i.sd).toBeCloseTo(Math.sqrt(2.5), 10);
    expect(i.high - i.mean).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 2);
    expect(i.mean - i.low).toBeCloseTo(i.high - i.mean, 10);
    expect(meanInterval([3, 3, 3]).high).toBe(3);
  });
});

describe("hodgesLehmann", () => {
  it("is the median of the Walsh averages, and an outlier barely moves it", () => {
    expect(hodgesLehmann([1, 2, 3]).mean).toBe(2);
    const base = Array.from({ length: 30 }, (_, i) => 10 + ((i * 7) % 11) - 5);
    const clean = hodgesLehmann(base);
    const spiked = hodgesLehmann([...base.slice(0, 29), 1000]);
    expect(Math.abs(spiked.mean - clean.mean)).toBeLessThan(1);
    expect(spiked.high - spiked.low).toBeLessThan(meanInterval([...base.slice(0, 29), 1000]).high - meanInterval([...base.slice(0, 29), 1000]).low);
  });

  it("covers the centre of a symmetric sample", () => {
    const xs = Array.from({ length: 40 }, (_, i) => 50 + (i % 2 ? 1 : -1) * (i % 9) * 10);
    const i = hodgesLehmann(xs);
    expect(i.low).toBeLessThanOrEqual(50);
    expect(i.high).toBeGreaterThanOrEqual(50);
  });
});
