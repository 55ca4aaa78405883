import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../shared/random";
import { BILLED, KINDS, planRun, REPEATED, WEIGHTS } from "./mix";
import { byKind, failureCounts, lagStats, memoryTrend, type Outcome, type Sample } from "./summary";

const series = (f: (t: number) => number, minutes = 10, everySec = 10): Sample[] =>
  Array.from({ length: (minutes * 60) / everySec + 1 }, (_, i) => ({ t: i * everySec, rssMb: f(i * everySec), backlog: 0 }));

describe("memoryTrend", () => {
  it("calls a level with noise flat, after a warm-up climb", () => {
    const noise = mulberry32(7);
    const trend = memoryTrend(series((t) => (t < 60 ? 200 + t * 3 : 380) + (noise() - 0.5) * 20));
    expect(trend.flat).toBe(true);
    expect(Math.abs(trend.slopeMbPerMin)).toBeLessThan(1);
    expect(trend.peakMb).toBeGreaterThan(380);
    expect(trend.slopeLow).toBeLessThan(0);
    expect(trend.slopeHigh).toBeGreaterThan(0);
  });

  it("flags a steady leak and measures its slope", () => {
    const trend = memoryTrend(series((t) => 300 + (t / 60) * 10));
    expect(trend.flat).toBe(false);
    expect(trend.slopeMbPerMin).toBeCloseTo(10, 5);
    expect(trend.growthShare).toBeGreaterThan(0.15);
    expect(trend.slopeLow).toBeCloseTo(10, 5);
    expect(trend.slopeHigh).toBeCloseTo(10, 5);
  });

  it("does not judge a run too short to have a trend", () => {
    expect(memoryTrend([{ t: 0, rssMb: 100, backlog: 0 }]).flat).toBe(false);
  });
});

describe("the traffic mix", () => {
  it("has weights summing to one and is deterministic for a seed", () => {
    expect(KINDS.reduce((a, k) => a + WEIGHTS[k], 0)).toBeCloseTo(1, 10);
    expect(planRun(50, 3, "ten_x")).toEqual(planRun(50, 3, "ten_x"));
    expect(planRun(50, 3, "ten_x")).not.toEqual(planRun(50, 4, "ten_x"));
  });

  it("draws every kind in about its share, and only repeats may hit the cache", () => {
    const plan = planRun(4_000, 11, "ten_x");
    for (const kind of KINDS) {
      const share = plan.filter((p) => p.kind === kind).length / plan.length;
      expect(Math.abs(share - WEIGHTS[kind])).toBeLessThan(0.02);
    }
    for (const p of plan.filter((x) => x.path === "/v1/chat/completions")) {
      const cacheable = p.headers?.["cache-control"] === undefined;
      expect(cacheable).toBe(p.kind === "cache-hit");
      if (p.kind === "cache-hit") expect(REPEATED).toContain((p.body as { messages: Array<{ content: string }> }).messages[0]?.content);
    }
    expect(plan.filter((p) => p.key === "admin").every((p) => p.path.startsWith("/admin/v1/tenants/ten_x/"))).toBe(true);
    expect([...BILLED].every((k) => plan.some((p) => p.kind === k))).toBe(true);
  });
});

describe("outcomes", () => {
  const o = (kind: Outcome["kind"], failure: string | null, latencyMs: number): Outcome => ({ kind, status: failure ? 503 : 200, failure, latencyMs, requestId: null, doneAtMs: 0 });

  it("groups by kind and counts failures by reason", () => {
    const outs = [o("chat", null, 10), o("chat", "http_503", 30), o("stream", "stream_ended_without_done", 50), o("chat", null, 20)];
    expect(byKind(outs).find((k) => k.kind === "chat")).toMatchObject({ sent: 3, failed: 1, p50Ms: 20, p99Ms: 30 });
    expect(failureCounts(outs)).toEqual({ http_503: 1, stream_ended_without_done: 1 });
  });

  it("reports booking delay percentiles and the largest backlog", () => {
    const lag = lagStats([300, 100, 200, 5_000], [{ t: 0, rssMb: 1, backlog: 4 }, { t: 10, rssMb: 1, backlog: 9 }, { t: 20, rssMb: 1, backlog: 0 }]);
    expect(lag).toEqual({ p50Ms: 200, p99Ms: 5_000, maxMs: 5_000, maxBacklog: 9 });
  });
});
