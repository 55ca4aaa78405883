/**
 * The gate of one lookup: the namespace's counts (calibration source) turned into the threshold
 * in force for the policy's delta and cold start. Gates are memoised per counts snapshot, so the
 * bounds (a few hundred exact binomial bounds) are computed once per snapshot, not per request.
 */
import type { CachePolicy } from "../settings";
import type { CalibrationKey, CalibrationSource } from "./calibration-source";
import type { BandCounts } from "./error-bound";
import { gateFor, type Gate } from "./gate";
import { coldThresholdFor } from "./scorer";

const memo = new WeakMap<readonly BandCounts[], Map<string, Gate>>();

export function gateOf(counts: readonly BandCounts[], policy: CachePolicy, scorer: string): Gate {
  let gates = memo.get(counts);
  if (!gates) memo.set(counts, (gates = new Map()));
  const cold = coldThresholdFor(policy.coldThreshold, scorer);
  const id = `${policy.maxFalseHitRate}|${cold}|${policy.threshold}`;
  let gate = gates.get(id);
  if (!gate) {
    gate = gateFor({ counts, delta: policy.maxFalseHitRate, staticThreshold: policy.threshold, coldThreshold: cold });
    gates.set(id, gate);
  }
  return gate;
}

export async function namespaceGate(source: CalibrationSource, key: CalibrationKey, policy: CachePolicy, now: number): Promise<Gate> {
  // Static mode reads no feedback at all.
  if (policy.maxFalseHitRate === null) return gateFor({ counts: [], delta: null, staticThreshold: policy.threshold, coldThreshold: null });
  return gateOf(await source.counts(key, now), policy, key.scorerId);
}
