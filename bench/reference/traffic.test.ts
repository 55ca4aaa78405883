import { describe, expect, it } from "vitest";
import { mixTraffic, shareOf, withoutRows } from "./traffic";

interface Row {
  id: string;
  ok: boolean;
}

const pool = (name: string, n: number, ok: (i: number) => boolean): Row[] => Array.from({ length: n }, (_, i) => ({ id: `${name}-${i}`, ok: ok(i) }));
const pools = new Map<string, Row[]>([
  ["tea", pool("tea", 40, (i) => i % 2 === 0)],
  ["maps", pool("maps", 40, () => true)],
  ["poems", pool("poems", 5, () => false)],
]);

describe("mixTraffic", () => {
  it("is the same for a seed and different for another", () => {
    const a = mixTraffic(pools, { requests: 50, repeatShare: 0.1, seed: 7 });
    expect(mixTraffic(pools, { requests: 50, repeatShare: 0.1, seed: 7 })).toEqual(a);
    expect(mixTraffic(pools, { requests: 50, repeatShare: 0.1, seed: 8 }).map((r) => r.row.id)).not.toEqual(a.map((r) => r.row.id));
  });

  it("draws first sends without replacement, and a repeat only of an earlier request", () => {
    const t = mixTraffic(pools, { requests: 60, repeatShare: 0.2, seed: 3 });
    const firsts = t.filter((r) => !r.repeat).map((r) => r.row.id);
    expect(new Set(firsts).size).toBe(firsts.length);
    t.forEach((r, i) => {
      if (r.repeat) expect(t.slice(0, i).some((e) => !e.repeat && e.row === r.row)).toBe(true);
    });
    expect(t.filter((r) => r.repeat).length).toBeGreaterThan(3);
  });

  it("gives each source an equal chance until it runs out, whatever the labels", () => {
    const t = mixTraffic(pools, { requests: 60, repeatShare: 0, seed: 11 });
    const count = (p: string) => t.filter((r) => r.row.id.startsWith(p)).length;
    expect(count("poems")).toBe(5);
    expect(count("tea")).toBeGreaterThan(15);
    expect(count("maps")).toBeGreaterThan(15);
  });

  it("does not depend on the order the pools were read in", () => {
    const reversed = new Map([...pools].reverse());
    expect(mixTraffic(reversed, { requests: 30, repeatShare: 0.1, seed: 5 })).toEqual(mixTraffic(pools, { requests: 30, repeatShare: 0.1, seed: 5 }));
  });

  it("repeats once every row is used, and stops when there is nothing to draw", () => {
    const small = new Map([["tea", pool("tea", 3, () => true)]]);
    const t = mixTraffic(small, { requests: 6, repeatShare: 0, seed: 1 });
    expect(t).toHaveLength(6);
    expect(t.filter((r) => r.repeat)).toHaveLength(3);
    expect(mixTraffic(new Map<string, Row[]>(), { requests: 4, repeatShare: 0.5, seed: 1 })).toEqual([]);
  });
});

describe("shareOf", () => {
  it("counts first sends only", () => {
    const a = { id: "a", ok: true };
    const b = { id: "b", ok: false };
    expect(shareOf([{ row: a, repeat: false }, { row: b, repeat: false }, { row: a, repeat: true }, { row: a, repeat: true }], (r) => r.ok)).toBe(0.5);
    expect(shareOf([], (r: Row) => r.ok)).toBe(0);
  });
});

describe("withoutRows", () => {
  it("leaves every row the measured traffic used out, so a warm-up drawn from the rest shares no row with it", () => {
    const measured = mixTraffic(pools, { requests: 30, repeatShare: 0.1, seed: 5 });
    const rest = withoutRows(pools, measured);
    const used = new Set(measured.map((r) => r.row.id));
    expect([...rest.values()].flat().some((r) => used.has(r.id))).toBe(false);
    expect([...rest.values()].flat().length + used.size).toBe([...pools.values()].flat().length);
    const warm = mixTraffic(rest, { requests: 40, repeatShare: 0.1, seed: 6 });
    expect(warm.some((r) => used.has(r.row.id))).toBe(false);
    expect(warm).toHaveLength(40);
  });

  it("does not change the pools it was given", () => {
    const before = [...pools.values()].flat().length;
    withoutRows(pools, mixTraffic(pools, { requests: 10, repeatShare: 0, seed: 1 }));
    expect([...pools.values()].flat().length).toBe(before);
  });
});
