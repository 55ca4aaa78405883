/**
 * Rollback markers written by the evaluator's cron (table router_rollouts). Read only for
 * canary traffic and cached per isolate for 30 s: a rollback takes effect within the TTL
 * without a D1 read on every request.
 */
import { TtlCache } from "../../../../../shared/ttl-cache";

export const MARKER_TTL_MS = 30_000;

const cache = new TtlCache<ReadonlySet<string>>({ ttlMs: MARKER_TTL_MS, maxEntries: 10_000 });

/** Candidate versions rolled back for this tenant. Throws when D1 cannot answer (not cached). */
export function rolledBackVersions(db: D1Database, tenantId: string, now = Date.now()): Promise<ReadonlySet<string>> {
  return cache.get(tenantId, now, async () => {
    const rows = await db
      .prepare("SELECT candidate_version FROM router_rollouts WHERE tenant_id = ?1 AND status = 'rolled_back'")
      .bind(tenantId)
      .all<{ candidate_version: string }>();
    return new Set(rows.results.map((r) => r.candidate_version));
  });
}

/** Tests only: forget cached markers. */
export function clearMarkerCache(): void {
  cache.clear();
}
