import { describe, expect, it } from "vitest";
import { DeadlineClock, type Expiry } from "./deadline-clock";

/** A clock driven by hand: `tick()` advances time by one tick and wakes the loop. */
function manualClock(tickMs = 100, lifetimeMs = 10_000) {
  let now = 0;
  let wake: Array<() => void> = [];
  const loops: Promise<unknown>[] = [];
  const clock = new DeadlineClock({ tickMs, lifetimeMs, now: () => now, sleep: () => new Promise<void>((resolve) => wake.push(resolve)) });
  const settled = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    clock,
    loops,
    background: (p: Promise<unknown>) => void loops.push(p),
    async tick(ms = tickMs) {
      now += ms;
      const sleepers = wake;
      wake = [];
      for (const resolve of sleepers) resolve();
      await settled();
    },
    /** Time passes but the loop never wakes (its request context is gone). */
    stall(ms: number) {
      now += ms;
      wake = [];
    },
  };
}

const outcome = (p: Promise<Expiry>) => {
  const seen: { why: Expiry | null } = { why: null };
  void p.then((why) => (seen.why = why));
  return seen;
};

describe("DeadlineClock", () => {
  it("expires a watch on the first tick at or after its deadline, and never a cancelled one", async () => {
    const m = manualClock();
    const slow = outcome(m.clock.watch(250, m.background).expired);
    const fast = m.clock.watch(250, m.background);
    const fastSeen = outcome(fast.expired);
    expect(m.loops).toHaveLength(1); // one loop serves every watch
    await m.tick();
    await m.tick();
    fast.cancel();
    expect(slow.why).toBeNull();
    await m.tick();
    expect(slow.why).toBe("deadline");
    expect(fastSeen.why).toBeNull();
    expect(m.clock.size).toBe(0);
  });

  it("stops ticking once nothing is watched, and a later watch starts a new loop", async () => {
    const m = manualClock();
    m.clock.watch(1_000, m.background).cancel();
    let ended = false;
    void m.loops[0]?.then(() => (ended = true));
    await m.tick();
    expect(ended).toBe(true);
    m.clock.watch(1_000, m.background);
    expect(m.loops).toHaveLength(2);
  });

  it("hands pending watches back to their requests when its lifetime is over", async () => {
    const m = manualClock(100, 300);
    const long = outcome(m.clock.watch(5_000, m.background).expired);
    for (let i = 0; i < 3; i++) await m.tick();
    expect(long.why).toBe("handover");
    expect(m.clock.size).toBe(0);
  });

  it("replaces a loop that stopped ticking, and the new loop serves the old watches", async () => {
    const m = manualClock();
    const old = outcome(m.clock.watch(150, m.background).expired);
    m.stall(400); // the first loop's context went away: it will never wake
    const fresh = outcome(m.clock.watch(1_000, m.background).expired);
    expect(m.loops).toHaveLength(2);
    await m.tick();
    expect(old.why).toBe("deadline");
    expect(fresh.why).toBeNull();
  });

  it("keeps the running loop while it is fresh", async () => {
    const m = manualClock();
    m.clock.watch(1_000, m.background);
    await m.tick();
    m.clock.watch(1_000, m.background);
    expect(m.loops).toHaveLength(1);
  });
});
