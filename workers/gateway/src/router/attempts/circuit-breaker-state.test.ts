import { describe, expect, it } from "vitest";
import { acquireProbe, initialState, recordOutcomes, viewOf, type BreakerConfig, type BreakerState } from "./circuit-breaker-state";

const cfg: BreakerConfig = { windowMs: 10_000, bucketMs: 1_000, minRequests: 10, failureRatio: 0.5, openMs: 1_000, maxOpenMs: 4_000, defaultProbeLeaseMs: 500, historySize: 10 };

function report(state: BreakerState, ok: number, failed: number, at = 0): BreakerState {
  return recordOutcomes(state, { ok, failed }, at, cfg);
}
const opened = (at = 0) => report(initialState(cfg), 0, 10, at);

describe("circuit breaker state machine", () => {
  it("does not open on a run of consecutive failures while the window's failure share is low", () => {
    // The old breaker opened on 5 consecutive failures: a 50%-error upstream did that within seconds.
    let s = report(initialState(cfg), 40, 0);
    for (let i = 0; i < 8; i++) s = report(s, 0, 1, 500);
    expect(s.phase).toBe("closed");
  });

  it("opens once the failure share reaches the ratio over at least the minimum of requests", () => {
    expect(report(initialState(cfg), 0, 9).phase).toBe("closed");
    const s = report(initialState(cfg), 5, 5, 100);
    expect(s.phase).toBe("open");
    expect(viewOf(s).openUntil).toBe(1_100);
    expect(s.transitions).toEqual([expect.objectContaining({ from: "closed", to: "open" })]);
  });

  it("forgets outcomes older than the window", () => {
    const old = report(initialState(cfg), 0, 9, 0);
    expect(report(old, 0, 1, 10_500).phase).toBe("closed");
    expect(report(old, 0, 1, 9_500).phase).toBe("open");
  });

  it("grants exactly one half-open probe after the open period", () => {
    const open = opened();
    expect(acquireProbe(open, 999, 500, cfg).admission).toBe("denied");
    const first = acquireProbe(open, 1_000, 500, cfg);
    expect(first.admission).toBe("probe");
    expect(first.state.phase).toBe("half-open");
    expect(acquireProbe(first.state, 1_100, 500, cfg).admission).toBe("denied");
  });

  it("closes on a successful probe with an empty window, and re-opens for twice as long on a failed one", () => {
    const probing = acquireProbe(opened(), 1_000, 500, cfg).state;
    const closed = recordOutcomes(probing, { ok: 1, failed: 0, probe: "ok" }, 1_050, cfg);
    expect(closed.phase).toBe("closed");
    expect(closed.buckets).toEqual([]);
    const reopened = recordOutcomes(probing, { ok: 0, failed: 1, probe: "failed" }, 1_050, cfg);
    expect(viewOf(reopened)).toEqual({ phase: "open", openUntil: 3_050 });
    const again = recordOutcomes(acquireProbe(reopened, 3_050, 500, cfg).state, { ok: 0, failed: 1, probe: "failed" }, 3_100, cfg);
    expect(viewOf(again).openUntil).toBe(3_100 + 4_000);
  });

  it("outcomes of ordinary calls do not settle a half-open circuit; only the probe's does", () => {
    const probing = acquireProbe(opened(), 1_000, 500, cfg).state;
    expect(report(probing, 20, 0, 1_010).phase).toBe("half-open");
    expect(report(probing, 0, 20, 1_010).phase).toBe("half-open");
  });

  it("frees the probe slot at once when the probing client went away, and when its lease runs out", () => {
    const probing = acquireProbe(opened(), 1_000, 500, cfg).state;
    const released = recordOutcomes(probing, { ok: 0, failed: 0, probe: "released" }, 1_010, cfg);
    expect(acquireProbe(released, 1_011, 500, cfg).admission).toBe("probe");
    expect(acquireProbe(probing, 1_499, 500, cfg).admission).toBe("denied");
    expect(acquireProbe(probing, 1_500, 500, cfg).admission).toBe("probe");
  });
});
