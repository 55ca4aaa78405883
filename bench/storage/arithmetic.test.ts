import { describe, expect, it } from "vitest";
import { atRate, keepDays, project, sampledShare, type Scenario } from "./arithmetic";

const DAYS = { ledgerDays: 30, tracesDays: 14, evaluationsDays: 30 };
const per = {
  usage_ledger: { d1Bytes: 1000, r2Bytes: 100, rows: 2, rowsWritten: 10 },
  request_traces: { d1Bytes: 4000, r2Bytes: 3000, rows: 1, rowsWritten: 3 },
};

describe("storage arithmetic", () => {
  it("keeps a row its retention, at least the horizon, plus the rest of its UTC day", () => {
    const s: Scenario = { name: "x", retention: { ledgerDays: 1, tracesDays: 14, evaluationsDays: 2 }, horizonHours: 96 };
    expect(keepDays(s, "usage_ledger")).toBe(5);
    expect(keepDays(s, "request_traces")).toBe(15);
    // Client reports never leave before traces.
    expect(keepDays(s, "cache_feedback")).toBe(15);
  });

  it("projects D1 held, R2 growth and writes; sampling a table scales its D1 share only", () => {
    const full = project(per, { name: "a", retention: DAYS, horizonHours: 96 });
    expect(full.d1BytesPerReqPerS).toBe((1000 * 31 + 4000 * 15) * 86_400);
    expect(full.r2BytesPerMillion).toBe(3100 * 1e6);
    expect(full.rowsWrittenPerRequest).toBe(26);
    const sampled = project(per, { name: "b", retention: DAYS, horizonHours: 96, d1Share: { request_traces: 0.01 } });
    expect(sampled.d1BytesPerMillion).toBe((1000 + 40) * 1e6);
    expect(sampled.r2BytesPerMillion).toBe(full.r2BytesPerMillion);
    const line = atRate(full, 1000, 1000, 3);
    expect(line.databases).toBe(Math.ceil((full.d1BytesPerReqPerS * 1000) / 10e9));
    expect(line.d1WritesUsdPerDay).toBeCloseTo(26 * 86_400_000 * 1e-6);
  });

  it("keeps a sampled table's drawn share plus what must stay in D1 among the rest", () => {
    expect(sampledShare(1)).toBe(1);
    expect(sampledShare(0.01)).toBe(0.01);
    // 1% drawn, and 15% of rows (escalations) kept anyway: 1% + 99% x 15%.
    expect(sampledShare(0.01, 0.15)).toBeCloseTo(0.1585, 10);
  });
});
