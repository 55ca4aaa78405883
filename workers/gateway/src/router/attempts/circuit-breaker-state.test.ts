import { describe, expect, it } from "vitest";
import { acquireProbe, CLOSED, recordOutcome, viewOf, type BreakerConfig, type BreakerState } from "./circuit-breaker-state";

const cfg: BreakerConfig = { failureThreshold: 3, openMs: 1_000, probeTimeoutMs: 500 };

function failTimes(n: number, state: BreakerState = CLOSED, at = 0): BreakerState {
  let s = state;
  for (let i = 0; i < n; i++) s = recordOutcome(s, false, at, cfg);
  return s;
}

describe("circuit breaker state machine", () => {
  it("opens after the threshold of consecutive failures, and a success resets the count", () => {
    expect(failTimes(2).phase).toBe("closed");
    expect(recordOutcome(failTimes(2), true, 0, cfg)).toEqual(CLOSED);
    const open = failTimes(3, CLOSED, 100);
    expect(open.phase).toBe("open");
    expect(viewOf(open, cfg).openUntil).toBe(1_100);
  });

  it("grants exactly one half-open probe after the open period", () => {
    const open = failTimes(3, CLOSED, 0);
    expect(acquireProbe(open, 999, cfg).granted).toBe(false);
    const first = acquireProbe(open, 1_000, cfg);
    expect(first.granted).toBe(true);
    expect(first.state.phase).toBe("half-open");
    expect(acquireProbe(first.state, 1_100, cfg).granted).toBe(false);
  });

  it("closes on a successful probe and re-opens on a failed one", () => {
    const probing = acquireProbe(failTimes(3), 1_000, cfg).state;
    expect(recordOutcome(probing, true, 1_050, cfg)).toEqual(CLOSED);
    const reopened = recordOutcome(probing, false, 1_050, cfg);
    expect(reopened.phase).toBe("open");
    expect(viewOf(reopened, cfg).openUntil).toBe(2_050);
  });

  it("frees a probe slot whose caller never reported back", () => {
    const probing = acquireProbe(failTimes(3), 1_000, cfg).state;
    expect(acquireProbe(probing, 1_499, cfg).granted).toBe(false);
    expect(acquireProbe(probing, 1_500, cfg).granted).toBe(true);
  });
});
