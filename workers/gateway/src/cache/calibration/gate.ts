/**
 * The threshold in force for one calibration namespace (tenant x feature x scorer), from its band
 * counts and the tenant's maximum false-hit rate delta:
 *
 * - static (delta null): the policy's threshold, as before this module existed;
 * - cold: no band certified at or below the cold threshold yet. Served from a strict static
 *   threshold measured for this embedder, or exact hits only for an embedder nobody measured.
 *   The static threshold is a hypothesis under test: dropped (exact hits only, or the bound's
 *   own higher threshold) as soon as the checks above it prove its error rate worse than delta;
 * - warm: the bound certifies a threshold at or below the cold one (any, for exact-only): the
 *   lowest band from which the upper bound of every band up is within delta.
 */
import { bandOf } from "./bands";
import { bandUpperBounds, certifiedThreshold, checksToCertify, DEFAULT_ALPHA, provenWorse, type BandCounts } from "./error-bound";

export type GatePhase = "static" | "cold" | "warm";

export interface Gate {
  phase: GatePhase;
  /** Lowest hit score served; null = exact hits only. */
  threshold: number | null;
  delta: number | null;
  /** Upper bound of the false-hit rate per band (empty in static mode). */
  bounds: readonly number[];
  /** Checks counted in this namespace, and how many the bound needs before it decides alone. */
  checks: number;
  checksNeeded: number;
}

export interface GateInput {
  counts: readonly BandCounts[];
  delta: number | null;
  /** Served at or above in static mode. */
  staticThreshold: number;
  /** Served at or above while cold; null = exact hits only (an embedder nobody measured). */
  coldThreshold: number | null;
  alpha?: number;
}

export function gateFor(input: GateInput): Gate {
  const { counts, delta } = input;
  const checks = counts.reduce((s, c) => s + c.checks, 0);
  if (delta === null) return { phase: "static", threshold: input.staticThreshold, delta, bounds: [], checks, checksNeeded: 0 };
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  const bounds = bandUpperBounds(counts, alpha);
  const certified = certifiedThreshold(counts, bounds, delta);
  const checksNeeded = checksToCertify(delta, alpha);
  const gate = (phase: GatePhase, threshold: number | null): Gate => ({ phase, threshold, delta, bounds, checks, checksNeeded });
  const cold = input.coldThreshold;
  if (certified !== null && (cold === null || certified <= cold)) return gate("warm", certified);
  if (cold !== null && !provenWorse(counts, bandOf(cold), delta, alpha)) return gate("cold", cold);
  // The bound's own view: a threshold above the refuted cold one, or exact hits only.
  return gate(certified === null ? "cold" : "warm", certified);
}

export type NearMissReason = "lexical" | "cold-start" | "bound";

/** Why a guard-passing neighbour scoring below the threshold in force was not served. */
export function refusalReason(gate: Gate): NearMissReason {
  if (gate.phase === "static") return "lexical";
  return gate.phase === "cold" ? "cold-start" : "bound";
}

/** The bound of the band a score falls in (1 = nothing known; null in static mode or below the bands). */
export function boundAt(gate: Gate, score: number): number | null {
  const band = bandOf(score);
  return band < 0 || gate.bounds.length === 0 ? null : (gate.bounds[band] ?? 1);
}
