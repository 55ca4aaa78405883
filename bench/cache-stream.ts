/**
 * The false-hit guarantee under traffic: labelled pairs streamed as requests through the same
 * gate the gateway runs (cache/calibration), with feedback simulated. Each request draws a pair
 * (cached question, new question) at random; a guard-passing neighbour above the cosine floor is
 * served when its hit score reaches the threshold in force. A served hit is revealed (the
 * judge's verdict = the pair's label) with probability `auditRate`; a refused one is
 * shadow-checked with probability `shadowRate`. The calibration the gate reads is refreshed every
 * `refreshEvery` requests, as the gateway's isolate cache re-reads D1.
 */
import { bandOf } from "../workers/gateway/src/cache/calibration/bands";
import { certifiedThreshold, emptyCounts, type BandCounts } from "../workers/gateway/src/cache/calibration/error-bound";
import { gateFor, type Gate } from "../workers/gateway/src/cache/calibration/gate";
import { hitScore, type Decision, type ScoredPair } from "./cache-quality";

export interface StreamOptions {
  delta: number;
  coldThreshold: number | null;
  decision: Decision;
  requests: number;
  auditRate: number;
  shadowRate: number;
  refreshEvery: number;
  seed: number;
  /** Chance that the judge gets a verdict wrong (0 = the label). */
  judgeError?: number;
  /** Chance that a paraphrase's cached answer is wrong anyway (stale, say): errors the score cannot see. */
  baseError?: number;
}

export interface StreamResult {
  served: number;
  servedWrong: number;
  positives: number;
  positivesServed: number;
  negatives: number;
  negativesServed: number;
  checks: number;
  /** Requests until the bound certified a threshold at or below the cold one (null: not within the stream). */
  coldStartRequests: number | null;
  /** Checks counted by then. */
  coldStartChecks: number | null;
  /** Requests until the bound first certified any threshold (null: never). */
  firstCertified: number | null;
  finalThreshold: number | null;
  /** Served / correct hits over the last quarter of the stream (steady state). */
  tail: { positives: number; positivesServed: number; served: number; servedWrong: number };
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Only pairs with a label: paraphrases (>= 4) and different meanings (<= 2). */
export const labelled = (pairs: readonly ScoredPair[]): ScoredPair[] => pairs.filter((p) => p.score >= 4 || p.score <= 2);

export function simulateStream(pairs: readonly ScoredPair[], o: StreamOptions): StreamResult {
  const rand = rng(o.seed);
  const traffic = labelled(pairs);
  const counts: BandCounts[] = emptyCounts();
  const snapshot = (): Gate => gateFor({ counts: counts.map((c) => ({ ...c })), delta: o.delta, staticThreshold: 1, coldThreshold: o.coldThreshold });
  let gate = snapshot();
  const r: StreamResult = {
    served: 0, servedWrong: 0, positives: 0, positivesServed: 0, negatives: 0, negativesServed: 0, checks: 0,
    coldStartRequests: null, coldStartChecks: null, firstCertified: null, finalThreshold: null, tail: { positives: 0, positivesServed: 0, served: 0, servedWrong: 0 },
  };
  const tailFrom = Math.floor(o.requests * 0.75);
  const record = (band: number, wrong: boolean): void => {
    const verdict = o.judgeError && rand() < o.judgeError ? !wrong : wrong;
    const c = counts[band] as BandCounts;
    c.checks++;
    if (verdict) c.wrong++;
    r.checks++;
  };
  for (let i = 0; i < o.requests; i++) {
    if (i % o.refreshEvery === 0) {
      gate = snapshot();
      if (gate.phase === "warm" && r.coldStartRequests === null) [r.coldStartRequests, r.coldStartChecks] = [i, r.checks];
      if (r.firstCertified === null && certifiedThreshold(counts, gate.bounds, o.delta) !== null) r.firstCertified = i;
    }
    const p = traffic[Math.floor(rand() * traffic.length)] as ScoredPair;
    const positive = p.score >= 4;
    // Whether serving the cached answer would be wrong (recall still counts paraphrases served).
    const wrongAnswer = !positive || (o.baseError !== undefined && rand() < o.baseError);
    const tail = i >= tailFrom;
    if (positive) r.positives++;
    else r.negatives++;
    if (tail && positive) r.tail.positives++;
    const score = hitScore(p, o.decision);
    const band = bandOf(score);
    if (!p.guardOk || band < 0) continue;
    if (gate.threshold !== null && score >= gate.threshold) {
      r.served++;
      if (positive) r.positivesServed++;
      else r.negativesServed++;
      if (wrongAnswer) r.servedWrong++;
      if (tail) (r.tail.served++, positive && r.tail.positivesServed++, wrongAnswer && r.tail.servedWrong++);
      if (rand() < o.auditRate) record(band, wrongAnswer);
    } else if (rand() < o.shadowRate) {
      record(band, wrongAnswer);
    }
  }
  r.finalThreshold = gate.threshold;
  return r;
}
