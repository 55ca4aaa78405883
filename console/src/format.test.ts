import { describe, expect, it } from "vitest";
import { ms, pct, ratio, usd, when } from "./format";

describe("console formatting", () => {
  it("shows missing values as a dash and small costs with their digits", () => {
    expect([usd(null), pct(null), pct(ratio(1, 0)), ms(null)]).toEqual(["—", "—", "—", "—"]);
    expect(ms(198.6)).toBe("199 ms");
    expect(usd(0.000545)).toBe("$0.000545");
    expect(usd(1.23456)).toBe("$1.2346");
    expect(pct(0.25)).toBe("25.0%");
    expect(when(Date.UTC(2026, 11, 7, 6, 30))).toBe("2026-12-07 06:30:00Z");
  });
});
