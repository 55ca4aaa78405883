import { describe, expect, it } from "vitest";
import { mean, pct, percentile, ratio, usd, when } from "./format";

describe("console formatting", () => {
  it("takes nearest-rank percentiles, as GET /v1/prompts/{id}/compare does", () => {
    const values = [120, 80, 300, 95, 2000, 110, 90, 100, 105, 130];
    expect(percentile(values, 0.5)).toBe(105);
    expect(percentile(values, 0.95)).toBe(2000);
    expect(percentile(values, 0.99)).toBe(2000);
    expect(percentile([42], 0.5)).toBe(42);
    expect(percentile([], 0.5)).toBeNull();
    expect(values).toEqual([120, 80, 300, 95, 2000, 110, 90, 100, 105, 130]);
  });

  it("shows missing values as a dash and small costs with their digits", () => {
    expect([usd(null), pct(null), pct(ratio(1, 0)), mean([])]).toEqual(["—", "—", "—", null]);
    expect(usd(0.000545)).toBe("$0.000545");
    expect(usd(1.23456)).toBe("$1.2346");
    expect(pct(0.25)).toBe("25.0%");
    expect(when(Date.UTC(2026, 11, 7, 6, 30))).toBe("2026-12-07 06:30:00Z");
  });
});
