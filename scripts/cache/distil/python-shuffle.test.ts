import { describe, expect, it } from "vitest";
import { PythonRandom } from "./python-shuffle";

describe("PythonRandom", () => {
  it("shuffles as CPython's random.seed(7); random.shuffle(list(range(20))) does", () => {
    // Printed by CPython 3.11.
    const xs = Array.from({ length: 20 }, (_, i) => i);
    new PythonRandom(7).shuffle(xs);
    expect(xs).toEqual([17, 15, 11, 18, 7, 6, 19, 3, 14, 0, 9, 5, 16, 8, 13, 2, 1, 12, 4, 10]);
  });

  it("continues one stream across shuffles (the sources draw in turn)", () => {
    const r = new PythonRandom(7);
    const a = Array.from({ length: 5000 }, (_, i) => i);
    r.shuffle(a);
    // CPython: sum(i * v) after the same shuffle, and the first ten.
    expect(a.slice(0, 10)).toEqual([2890, 4834, 1882, 4052, 303, 2059, 3, 461, 3295, 315]);
    expect(a.reduce((s, v, i) => s + i * v, 0)).toBe(31_458_773_268);
  });
});
