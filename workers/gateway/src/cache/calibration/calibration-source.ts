/**
 * Where the gate's band counts come from. In the gateway: D1 rows (migration 0055, written by
 * the evaluator and by POST /v1/feedback) read through a per-isolate cache, so a namespace costs
 * one D1 query per TTL per isolate and none per request. A failed read serves the namespace as
 * if it had no feedback (cold: the strict threshold or exact hits only), never as certified.
 */
import { TtlCache } from "../../../../../shared/ttl-cache";
import type { CalibrationKey } from "../../../../../shared/cache-calibration";
import { bandFromKey } from "./bands";
import { emptyCounts, type BandCounts } from "./error-bound";

export type { CalibrationKey };

export interface CalibrationSource {
  counts(key: CalibrationKey, now: number): Promise<readonly BandCounts[]>;
}

/** How long an isolate serves a namespace's counts before re-reading them (feedback lag). */
export const CALIBRATION_TTL_MS = 30_000;

const COLD: readonly BandCounts[] = Object.freeze(emptyCounts());

export function noCalibration(): CalibrationSource {
  return { counts: async () => COLD };
}

export function countsFromRows(rows: ReadonlyArray<{ band_key: number; checks: number; wrong: number }>): BandCounts[] {
  const counts = emptyCounts();
  for (const r of rows) {
    const band = bandFromKey(Number(r.band_key));
    const c = counts[band];
    if (!c) continue;
    c.checks += Math.max(0, Number(r.checks) || 0);
    c.wrong += Math.min(Math.max(0, Number(r.wrong) || 0), c.checks);
  }
  return counts;
}

// Keyed by tenant, feature and scorer; the feature is any X-Feature a caller sends: bounded.
const cache = new TtlCache<readonly BandCounts[]>({ ttlMs: CALIBRATION_TTL_MS, maxEntries: 10_000 });

export function d1Calibration(db: D1Database): CalibrationSource {
  return {
    counts(key, now) {
      return cache.get(`${key.tenantId}\u0000${key.feature}\u0000${key.scorerId}`, now, () => load(db, key));
    },
  };
}

async function load(db: D1Database, key: CalibrationKey): Promise<readonly BandCounts[]> {
  try {
    const rows = await db
      .prepare("SELECT band_key, checks, wrong FROM cache_calibration WHERE tenant_id = ?1 AND feature = ?2 AND scorer_id = ?3")
      .bind(key.tenantId, key.feature, key.scorerId)
      .all<{ band_key: number; checks: number; wrong: number }>();
    return countsFromRows(rows.results);
  } catch (err) {
    console.warn(JSON.stringify({ event: "cache_calibration_unavailable", error: String(err).slice(0, 200) }));
    return COLD;
  }
}
