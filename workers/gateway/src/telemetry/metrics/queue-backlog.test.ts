import { describe, expect, it } from "vitest";
import { BUCKET_MS, type PublishedBucket } from "./published";
import { compareBuckets, SETTLE_MS } from "./queue-backlog";

const now = 1_800_000_000_000;
const minute = (at: number) => Math.floor(at / BUCKET_MS);
const bucket = (tenant: string, feature: string, at: number, n: number): PublishedBucket => ({ tenant, feature, minute: minute(at), n, firstAt: at });
const key = (b: PublishedBucket) => `${b.tenant}\u0000${b.feature}\u0000${b.minute}`;

describe("compareBuckets", () => {
  it("counts what the ledger has not recorded and dates the oldest waiting bucket", () => {
    const old = bucket("t1", "", now - 10 * BUCKET_MS, 3);
    const fresh = bucket("t1", "chat", now - 5_000, 4);
    const r = compareBuckets([fresh, old], new Map([[key(old), 1], [key(fresh), 4]]), now);
    expect(r.events).toBe(2);
    expect(r.oldestAt).toBe(old.firstAt);
    expect(r.settled).toEqual([]);
  });

  it("nothing waits when the ledger caught up; only buckets past the settle delay are forgotten", () => {
    const done = bucket("t1", "", now - SETTLE_MS - 2 * BUCKET_MS, 2);
    const recent = bucket("t2", "", now - 1_000, 1);
    // More recorded than published (an isolate evicted before its flush) is not a backlog either.
    const r = compareBuckets([done, recent], new Map([[key(done), 3], [key(recent), 1]]), now);
    expect(r).toEqual({ events: 0, oldestAt: null, settled: [done] });
  });

  it("keys by tenant and feature: another tenant's rows do not pay off a bucket", () => {
    const b = bucket("t1", "x", now - 1_000, 1);
    const r = compareBuckets([b], new Map([[key({ ...b, tenant: "t2" }), 1], [key({ ...b, feature: "y" }), 1]]), now);
    expect(r.events).toBe(1);
  });
});
