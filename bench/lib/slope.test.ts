import { describe, expect, it } from "vitest";
import { t975 } from "./interval";
import { fitSlope } from "./slope";

describe("fitSlope", () => {
  it("recovers an exact line with a zero-width interval", () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const f = fitSlope(xs, xs.map((x) => 2 * x + 1));
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    expect(f.high - f.low).toBeCloseTo(0, 12);
  });

  it("matches the slope and interval worked by hand on six points", () => {
    // sxx = 17.5, sxy = 15.5, SSE = 3.771429; residual lag-1 products are negative, so ρ = 0.
    const f = fitSlope([0, 1, 2, 3, 4, 5], [1, 3, 2, 5, 4, 6]);
    expect(f.slope).toBeCloseTo(15.5 / 17.5, 10);
    expect(f.rho).toBe(0);
    expect(f.nEff).toBe(6);
    expect(f.se).toBeCloseTo(Math.sqrt(3.771429 / 4 / 17.5), 5);
    expect(f.high - f.slope).toBeCloseTo(t975(4) * f.se, 10);
    expect(f.high - f.slope).toBeGreaterThan(0.64);
    expect(f.high - f.slope).toBeLessThan(0.65);
  });

  it("widens the interval when residuals drift together (autocorrelated)", () => {
    const xs = Array.from({ length: 60 }, (_, i) => i);
    const wave = xs.map((x) => x * 0.5 + 8 * Math.sin(x / 6));
    const jitter = xs.map((x) => x * 0.5 + 8 * (x % 2 === 0 ? 1 : -1) * 0.7);
    const slow = fitSlope(xs, wave);
    const fast = fitSlope(xs, jitter);
    expect(slow.rho).toBeGreaterThan(0.8);
    expect(slow.nEff).toBeLessThan(10);
    expect(fast.rho).toBe(0);
    expect(slow.se).toBeGreaterThan(fitSlopeOlsSe(xs, wave) * 2);
  });

  it("gives no interval from too few points", () => {
    const f = fitSlope([0, 1, 2], [1, 2, 4]);
    expect(Number.isNaN(f.low)).toBe(true);
    expect(f.slope).toBeCloseTo(1.5, 12);
  });
});

function fitSlopeOlsSe(xs: number[], ys: number[]): number {
  const f = fitSlope(xs, ys);
  return f.se / Math.sqrt((1 + f.rho) / (1 - f.rho));
}
