/**
 * What any single threshold could do on a scorer, labels known (an in-sample oracle, so an upper
 * bound for the false-hit bound's recall on the same traffic, not a number to ship): per half,
 * the highest recall at which wrong answers are at most delta of the hits served (the guarantee's
 * measure, traffic = the labelled pairs as the stream draws them) and at which at most 1% of
 * non-paraphrases hit (the static target's measure). Used to compare scorers ("Features tried")
 * and to read the bound's recall against the best a threshold on this score can reach.
 */
import { BAND_COUNT, bandFloor, bandOf } from "../workers/gateway/src/cache/calibration/bands";
import { hitScore, type Decision, type ScoredPair } from "./cache-quality";

export interface Ceiling {
  /** Highest recall with wrong / served <= delta, per delta. */
  atShare: number[];
  /** Highest recall with every served similarity band's own wrong share <= delta (the bound's criterion), per delta. */
  perBand: number[];
  /** Highest recall with at most 1% of non-paraphrases hit. */
  atOnePercentFalseHits: number;
}

export function ceiling(half: readonly ScoredPair[], d: Decision, deltas: readonly number[]): Ceiling {
  const pos = half.filter((p) => p.score >= 4);
  const neg = half.filter((p) => p.score <= 2);
  const out: Ceiling = { atShare: deltas.map(() => 0), perBand: deltas.map((delta) => perBandCeiling(pos, neg, d, delta)), atOnePercentFalseHits: 0 };
  for (let t = 1; t >= 0.3; t -= 0.005) {
    const hit = (p: ScoredPair): boolean => p.guardOk && hitScore(p, d) >= t;
    const tp = pos.filter(hit).length;
    const fp = neg.filter(hit).length;
    const recall = tp / Math.max(1, pos.length);
    deltas.forEach((delta, i) => {
      if (fp <= delta * (tp + fp)) out.atShare[i] = Math.max(out.atShare[i] ?? 0, recall);
    });
    if (fp <= 0.01 * neg.length) out.atOnePercentFalseHits = Math.max(out.atOnePercentFalseHits, recall);
  }
  return out;
}

/** Served from the floor of the lowest band such that every band from it up has wrong <= delta x its pairs. */
function perBandCeiling(pos: readonly ScoredPair[], neg: readonly ScoredPair[], d: Decision, delta: number): number {
  const inBand = (ps: readonly ScoredPair[]): number[] => {
    const n = new Array<number>(BAND_COUNT).fill(0);
    for (const p of ps) {
      const b = p.guardOk ? bandOf(hitScore(p, d)) : -1;
      if (b >= 0) n[b] = (n[b] ?? 0) + 1;
    }
    return n;
  };
  const [tp, fp] = [inBand(pos), inBand(neg)];
  let lowest = BAND_COUNT;
  for (let b = BAND_COUNT - 1; b >= 0; b--) {
    if ((fp[b] ?? 0) > delta * ((tp[b] ?? 0) + (fp[b] ?? 0))) break;
    lowest = b;
  }
  if (lowest === BAND_COUNT) return 0;
  const t = bandFloor(lowest);
  return pos.filter((p) => p.guardOk && hitScore(p, d) >= t).length / Math.max(1, pos.length);
}
