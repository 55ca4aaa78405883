import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RateLimiterCore } from "./rate-limiter-core";

const req = (limitPerMinute: number, cost = 1, id = "tenant:req") => ({ checks: [{ id, limitPerMinute, cost }] });

describe("RateLimiterCore (token buckets)", () => {
  it("allows exactly the per-minute limit in a burst, then asks to retry after the refill time", () => {
    const core = new RateLimiterCore();
    for (let i = 0; i < 60; i++) expect(core.consume(req(60), 0).ok).toBe(true);
    expect(core.consume(req(60), 0)).toMatchObject({ ok: false, id: "tenant:req", retryAfterSeconds: 1 });
    expect(core.consume(req(60), 1_000).ok).toBe(true);
  });

  it("is all-or-nothing across buckets: a denied check charges none", () => {
    const core = new RateLimiterCore();
    const both = { checks: [{ id: "tenant:req", limitPerMinute: 100, cost: 1 }, { id: "key:k:req", limitPerMinute: 1, cost: 1 }] };
    expect(core.consume(both, 0).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect(core.consume(both, 0)).toMatchObject({ ok: false, id: "key:k:req" });
    // Only the one allowed request was charged to the tenant bucket: 99 left.
    for (let i = 0; i < 99; i++) expect(core.consume(req(100), 0).ok).toBe(true);
    expect(core.consume(req(100), 0).ok).toBe(false);
  });

  it("reserves token estimates and settles to actual usage (refund and debt)", () => {
    const core = new RateLimiterCore();
    const tok = (cost: number) => req(1000, cost, "tenant:tok");
    expect(core.consume(tok(800), 0).ok).toBe(true);
    expect(core.consume(tok(300), 0).ok).toBe(false);
    core.settle({ adjustments: [{ id: "tenant:tok", limitPerMinute: 1000, delta: -700 }] }, 0); // used 100, not 800
    expect(core.consume(tok(300), 0).ok).toBe(true);
    core.settle({ adjustments: [{ id: "tenant:tok", limitPerMinute: 1000, delta: 2000 }] }, 0); // far more than reserved
    expect(core.consume(tok(1), 60_000)).toMatchObject({ ok: false });
  });

  it("reports each bucket's limit, what is left and when it is full again", () => {
    const core = new RateLimiterCore();
    const both = { checks: [{ id: "tenant:req", limitPerMinute: 60, cost: 1 }, { id: "tenant:tok", limitPerMinute: 1_000, cost: 250 }] };
    expect(core.consume(both, 0).buckets).toEqual([
      { id: "tenant:req", limit: 60, remaining: 59, resetSeconds: 1 },
      { id: "tenant:tok", limit: 1_000, remaining: 750, resetSeconds: 15 },
    ]);
    const denied = core.consume({ checks: [{ id: "tenant:tok", limitPerMinute: 1_000, cost: 900 }] }, 0);
    expect(denied).toMatchObject({ ok: false, buckets: [{ id: "tenant:tok", remaining: 750 }] });
  });

  it("lets a single request larger than the minute's allowance through from a full bucket", () => {
    const core = new RateLimiterCore();
    expect(core.consume(req(100, 5_000, "tenant:tok"), 0).ok).toBe(true);
    expect(core.consume(req(100, 1, "tenant:tok"), 0).ok).toBe(false);
  });

  it("never admits more than limit + refill over any sequence", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 200 }), (limit, gaps) => {
        const core = new RateLimiterCore();
        let now = 0;
        let allowed = 0;
        for (const g of gaps) {
          now += g;
          if (core.consume(req(limit), now).ok) allowed++;
        }
        return allowed <= limit + Math.floor((now / 60_000) * limit) + 1;
      }),
    );
  });
});
