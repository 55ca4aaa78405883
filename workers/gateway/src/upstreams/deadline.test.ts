import { describe, expect, it } from "vitest";
import { deadline } from "./deadline";
import { DeadlineClock } from "./deadline-clock";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("deadline", () => {
  it("aborts with its timeout reason when the time is up", async () => {
    const d = deadline(5, () => new Error("too slow"));
    await wait(30);
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).message).toBe("too slow");
  });

  it("never fires once cleared, and aborts at once on demand", async () => {
    const d = deadline(5, () => new Error("too slow"));
    d.clear();
    await wait(30);
    expect(d.signal.aborted).toBe(false);
    d.abort(new Error("client gone"));
    expect((d.signal.reason as Error).message).toBe("client gone");
  });

  describe("on the shared clock (a request's waitUntil given)", () => {
    it("aborts with its reason, and a cleared one never fires", async () => {
      const clock = new DeadlineClock({ tickMs: 5, lifetimeMs: 10_000 });
      const background: Promise<unknown>[] = [];
      const late = deadline(20, () => new Error("too slow"), (p) => background.push(p), clock);
      const done = deadline(20, () => new Error("too slow"), (p) => background.push(p), clock);
      done.clear();
      await wait(80);
      expect((late.signal.reason as Error | undefined)?.message).toBe("too slow");
      expect(done.signal.aborted).toBe(false);
      await Promise.all(background); // the loop ended once nothing was watched
      expect(clock.size).toBe(0);
    });

    it("times itself after the clock hands it back, for the time it had left", async () => {
      const clock = new DeadlineClock({ tickMs: 5, lifetimeMs: 10 });
      const d = deadline(120, () => new Error("too slow"), () => undefined, clock);
      const cleared = deadline(120, () => new Error("too slow"), () => undefined, clock);
      await wait(50); // handed back by now
      expect(d.signal.aborted).toBe(false);
      cleared.clear();
      await wait(150);
      expect((d.signal.reason as Error | undefined)?.message).toBe("too slow");
      expect(cleared.signal.aborted).toBe(false);
    });
  });
});
