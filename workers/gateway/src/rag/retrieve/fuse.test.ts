import { describe, expect, it } from "vitest";
import { reciprocalRankFusion } from "./fuse";

describe("reciprocalRankFusion", () => {
  it("sums 1/(k + rank) over lists and keeps each list's rank", () => {
    const fused = reciprocalRankFusion([
      { name: "bm25", ids: ["a", "b", "c"] },
      { name: "dense", ids: ["c", "a"] },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["a", "c", "b"]);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62);
    expect(fused[1]?.ranks).toEqual({ bm25: 3, dense: 1 });
    expect(fused[2]?.ranks).toEqual({ bm25: 2 });
  });

  it("ignores a repeated id within one list", () => {
    expect(reciprocalRankFusion([{ name: "x", ids: ["a", "a"] }])[0]?.score).toBeCloseTo(1 / 61);
  });
});
