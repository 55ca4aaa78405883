import { describe, expect, it } from "vitest";
import { ceiling } from "./cache-ceiling";
import type { ScoredPair } from "./cache-quality";

const d = { lexicalWeight: 0, minCosine: 0 };
const pair = (cos: number, score: number, guardOk = true): ScoredPair => ({ a: "x", b: "y", score, cos, overlap: 1, guardOk });

describe("ceiling", () => {
  // 10 paraphrases from 0.95 down to 0.59 (0.04 apart), one non-paraphrase at 0.80, one refused by a guard at 0.99.
  const half = [...Array.from({ length: 10 }, (_, i) => pair(0.95 - 0.04 * i, 5)), pair(0.8, 0), pair(0.99, 0, false), pair(0.3, 1)];

  it("finds the highest recall a single threshold reaches within each share of wrong hits", () => {
    const c = ceiling(half, d, [0, 0.05, 0.1]);
    expect(c.atShare[0]).toBeCloseTo(0.4); // above 0.80: 0.95, 0.91, 0.87, 0.83
    expect(c.atShare[1]).toBeCloseTo(0.4); // 1 wrong needs 20 served; there are 11 at most
    expect(c.atShare[2]).toBeCloseTo(1); // 1 wrong of 11 served
  });

  it("per band, stops at the band holding the wrong answer unless that band alone is within delta", () => {
    const c = ceiling(half, d, [0, 0.5]);
    expect(c.perBand[0]).toBeCloseTo(0.4);
    // The 0.80 band holds the non-paraphrase alone (share 1): never certified.
    expect(c.perBand[1]).toBeCloseTo(0.4);
  });

  it("caps the non-paraphrases hit at 1% for the static measure", () => {
    expect(ceiling(half, d, [0.01]).atOnePercentFalseHits).toBeCloseTo(0.4);
  });
});
