import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache";

const counter = () => {
  let n = 0;
  return { load: async () => ++n, get count() { return n; } };
};

describe("TtlCache", () => {
  it("serves a value until its TTL is over, then loads again", async () => {
    const cache = new TtlCache<number>({ ttlMs: 100, maxEntries: 10 });
    const c = counter();
    expect(await cache.get("k", 0, c.load)).toBe(1);
    expect(await cache.get("k", 99, c.load)).toBe(1);
    expect(await cache.get("k", 100, c.load)).toBe(2);
    expect(await cache.get("k", 50, c.load)).toBe(3); // the clock went backwards: not trusted
  });

  it("shares one load among concurrent misses", async () => {
    const cache = new TtlCache<number>({ ttlMs: 100, maxEntries: 10 });
    let release: (v: number) => void = () => undefined;
    let loads = 0;
    const load = () => {
      loads++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const all = Promise.all([cache.get("k", 0, load), cache.get("k", 1, load), cache.get("k", 2, load)]);
    release(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
  });

  it("stops waiting for a load that never settles (its request was torn down) and loads itself, once", async () => {
    const cache = new TtlCache<string>({ ttlMs: 10_000, maxEntries: 10, joinWaitMs: 20 });
    void cache.get("k", 0, () => new Promise<string>(() => undefined)); // the loader's context died
    let loads = 0;
    const load = async () => `fresh${++loads}`;
    expect(await Promise.all([cache.get("k", 1, load), cache.get("k", 2, load)])).toEqual(["fresh1", "fresh1"]);
    expect(await cache.get("k", 3, load)).toBe("fresh1"); // the stalled entry was replaced
    expect(loads).toBe(1);
  });

  it("never caches a failed load, thrown or rejected", async () => {
    const cache = new TtlCache<number>({ ttlMs: 100, maxEntries: 10 });
    await expect(cache.get("k", 0, async () => Promise.reject(new Error("d1 down")))).rejects.toThrow("d1 down");
    await expect(cache.get("j", 0, () => { throw new Error("bad input"); })).rejects.toThrow("bad input");
    await Promise.resolve();
    expect(cache.size).toBe(0);
    expect(await cache.get("k", 1, async () => 5)).toBe(5);
  });

  it("holds at most maxEntries keys, evicting the least recently loaded", async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, maxEntries: 3 });
    for (const k of ["a", "b", "c"]) await cache.get(k, 0, async () => k);
    await cache.get("a", 2_000, async () => "a2"); // reloaded: now the newest
    await cache.get("d", 2_000, async () => "d");
    expect(cache.size).toBe(3);
    let reloads = 0;
    await cache.get("b", 2_000, async () => `b${++reloads}`); // b was the oldest: evicted, so loaded again
    expect(reloads).toBe(1);
    // Any number of distinct keys (e.g. client-chosen feature names) stays within the bound.
    for (let i = 0; i < 1_000; i++) await cache.get(`f${i}`, 2_000, async () => "x");
    expect(cache.size).toBe(3);
  });

  it("forgets selected keys on demand", async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, maxEntries: 10 });
    for (const k of ["t1:a", "t1:b", "t2:a"]) await cache.get(k, 0, async () => 1);
    cache.deleteWhere((k) => k.startsWith("t1:"));
    expect(cache.size).toBe(1);
  });
});
