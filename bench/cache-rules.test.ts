import { describe, expect, it } from "vitest";
import type { ScoredPair } from "./cache-quality";
import { tailColdPick } from "./cache-rules";

const d = { lexicalWeight: 0, minCosine: 0.5 };
const pair = (cos: number, score: number, guardOk = true): ScoredPair => ({ a: "x", b: "y", score, cos, overlap: 1, guardOk });

describe("tail rule for the cold threshold", () => {
  it("sets the threshold where an equal unseen sample expects <= 0.05 non-paraphrases above it", () => {
    // 11 non-paraphrases 0.01 apart from 0.60 to 0.70: excess scale 0.055 over 0.60, so 0.60 + 0.055 x ln(200) = 0.8914.
    const set = Array.from({ length: 11 }, (_, i) => pair(0.6 + 0.01 * i, 1));
    expect(tailColdPick([...set, pair(0.99, 5), pair(0.95, 0, false), pair(0.4, 0)], d)).toBe(0.895);
  });

  it("never picks under the highest non-paraphrase + 0.02", () => {
    const set = [...Array.from({ length: 10 }, () => pair(0.6, 1)), pair(0.61, 1)];
    expect(tailColdPick(set, d)).toBe(0.63);
  });

  it("gives exact hits only (Infinity) for a sparse tail or too few pairs to fit one", () => {
    expect(tailColdPick([pair(0.9, 0), pair(0.6, 0), pair(0.55, 0), pair(0.52, 1), pair(0.51, 2)], d)).toBe(Infinity);
    expect(tailColdPick([pair(0.7, 0), pair(0.6, 0)], d)).toBe(Infinity);
  });
});
