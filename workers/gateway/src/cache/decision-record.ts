/**
 * The cache's part of the request trace (`decisions.cache`): what was served and with which
 * threshold, or why the closest neighbour was refused (a guard, the bound, the cold start), and
 * for a semantic hit the calibration namespace and band POST /v1/feedback counts a report in.
 * Scores and bounds only; texts ride only inside `audit` / `shadow`, which the trace drops.
 */
import { bandKey } from "./calibration/bands";
import type { CacheLookupResult } from "./types";

export interface CacheDecision {
  status: string;
  reason?: string;
  similarity?: number;
  threshold?: number | null;
  phase?: string;
  maxFalseHitRate?: number | null;
  checks?: number;
  nearMiss?: { score: number; band: number | null; reason: string; upperBound: number | null };
  calibration?: { scorer: string; feature: string; band: number };
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

export function cacheDecision(result: CacheLookupResult, feature: string | null): CacheDecision {
  const out: CacheDecision = { status: result.status };
  if (result.reason) out.reason = result.reason;
  if (result.status.startsWith("hit") && result.similarity !== undefined) out.similarity = round(result.similarity);
  const s = result.semantic;
  if (s) Object.assign(out, { threshold: s.threshold, phase: s.phase, maxFalseHitRate: s.delta, checks: s.checks });
  const near = result.nearMiss;
  if (near && result.status === "miss") {
    out.nearMiss = { score: round(near.score), band: near.band >= 0 ? bandKey(near.band) : null, reason: near.reason, upperBound: near.upperBound === null ? null : round(near.upperBound) };
  }
  if (s && result.status === "hit-semantic" && s.band !== undefined && s.band >= 0) out.calibration = { scorer: s.scorer, feature: feature ?? "", band: bandKey(s.band) };
  return out;
}
