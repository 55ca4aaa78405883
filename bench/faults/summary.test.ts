import { describe, expect, it } from "vitest";
import type { Sent } from "./drive";
import { explainMisses } from "./explain";
import type { LedgerCheck } from "./measure";
import { scenarios } from "./scenarios";
import { summarize, type ScenarioResult } from "./summary";

const sent = (over: Partial<Sent>): Sent => ({ ok: true, status: 200, streamed: false, latencyMs: 100, requestId: "r", tier: "small", attempt: 1, failure: null, ...over });
const ledger = (over: Partial<LedgerCheck> = {}): LedgerCheck => ({ rows: 4, missing: 0, extra: 0, byStatus: { "200": 3 }, billedComplete: 3, costUsd: 0.01, ...over });
const all = scenarios({ requests: 4, concurrency: 1, seconds: 1 });
const errors = all.find((s) => s.id === "errors")!;
const explicit = all.find((s) => s.id === "explicit")!;

function result(over: Partial<ScenarioResult>): ScenarioResult {
  const requests = [sent({}), sent({ streamed: true, attempt: 3 }), sent({ tier: "frontier", attempt: 4 }), sent({ ok: false, streamed: true, tier: "small", failure: "stream_interrupted", latencyMs: 12_000 })];
  return { scenario: errors, sent: requests, startedAt: 0, wallMs: 1_000, transitions: [], upstreamAnswers: 3, continuations: 0, ledger: ledger(), ...over };
}

describe("bench:faults summary", () => {
  it("splits success by streamed and whole, and measures the miss against the target", () => {
    const s = summarize(result({}));
    expect([s.requests, s.succeeded, s.success, s.wholeSuccess, s.streamedSuccess]).toEqual([4, 3, 0.75, 1, 0.5]);
    expect(s.met).toBe(false);
    expect(s.missByPoints).toBeCloseTo(24.9, 5);
    expect(s.servedBy).toEqual({ small: 0.75, frontier: 0.25 });
    expect(s.meanAnsweringCall).toBeCloseTo(9 / 4, 10);
    expect(s.failures).toEqual({ stream_interrupted: 1 });
  });

  it("holds a sampled target to 3 standard errors under its expectation", () => {
    const many = (ok: number, n: number) => Array.from({ length: n }, (_, i) => sent({ ok: i < ok }));
    // 87.5% expected; 40 requests: 3 standard errors = 15.7 points.
    expect(summarize(result({ scenario: explicit, sent: many(30, 40) })).met).toBe(true);
    expect(summarize(result({ scenario: explicit, sent: many(28, 40) })).met).toBe(false);
    expect(summarize(result({ scenario: explicit, sent: many(28, 40) })).bar).toBeCloseTo(0.875 - 3 * Math.sqrt((0.875 * 0.125) / 40), 10);
  });

  it("flags ledger rows that do not match the requests, and complete answers billed more or less than once", () => {
    expect(summarize(result({})).ledgerMatches && summarize(result({})).billedOnce).toBe(true);
    expect(summarize(result({ ledger: ledger({ rows: 3, missing: 1 }) })).ledgerMatches).toBe(false);
    expect(summarize(result({ ledger: ledger({ extra: 1, rows: 5 }) })).ledgerMatches).toBe(false);
    expect(summarize(result({ upstreamAnswers: 2 })).billedOnce).toBe(false);
  });

  it("explains a miss from cut streams and a slow tail from the run's own numbers", () => {
    const text = explainMisses([result({})]);
    expect(text).toMatch(/0 continuations answered \(cut streams resumed\); 1 of 2 streamed requests ended with `stream_interrupted`/);
    expect(text).toMatch(/2 of 2 succeeded/);
    expect(text).toMatch(/1 requests took over 10 s/);
  });

  it("reports resumed streams even when none was left cut", () => {
    const clean = result({ sent: [sent({}), sent({ streamed: true })], continuations: 7 });
    expect(explainMisses([clean])).toMatch(/7 continuations answered \(cut streams resumed\); 0 of 1 streamed requests ended/);
    expect(explainMisses([result({ sent: [sent({})] })])).not.toMatch(/continuations/);
  });
});
