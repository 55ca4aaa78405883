/**
 * Usage events this isolate put on the queue, counted per (tenant, feature, minute of the
 * event's completedAt), so /metrics can tell what the evaluator has NOT yet consumed: a bucket
 * whose published count exceeds the ledger rows of that (tenant, feature, minute) still has
 * events waiting, and the oldest such event's age is the queue lag. Counting what was recorded
 * alone (the ledger) reads 0 when the consumer stalls; the producer's side does not.
 *
 * The counts ride the live metrics' flush to the MetricsAggregator (live.ts). An isolate
 * evicted before its flush under-counts, which can only hide a waiting event, never invent one.
 */

export const BUCKET_MS = 60_000;
/** Bounds the map when nothing drains it (METRICS = "off"): dropped counts only under-count. */
const MAX_KEYS = 5_000;

export interface PublishedBucket {
  tenant: string;
  feature: string;
  /** Minute index: floor(completedAt / BUCKET_MS). */
  minute: number;
  n: number;
  /** The earliest completedAt counted in the bucket (ms). */
  firstAt: number;
}

const pending = new Map<string, PublishedBucket>();

/** Same key as the ledger row the evaluator writes: tenant_id, feature ('' for none), completed_at. */
export function recordPublished(event: { tenantId: string; feature: string | null; completedAt: number }): void {
  add({ tenant: event.tenantId, feature: event.feature ?? "", minute: Math.floor(event.completedAt / BUCKET_MS), n: 1, firstAt: event.completedAt });
}

function add(delta: PublishedBucket): void {
  const key = `${delta.tenant}\u0000${delta.feature}\u0000${delta.minute}`;
  const b = pending.get(key);
  if (b) {
    b.n += delta.n;
    b.firstAt = Math.min(b.firstAt, delta.firstAt);
    return;
  }
  if (pending.size >= MAX_KEYS) pending.clear();
  pending.set(key, { ...delta });
}

export const publishedSize = (): number => pending.size;

export function drainPublished(): PublishedBucket[] {
  const out = [...pending.values()];
  pending.clear();
  return out;
}

/** Puts back a delta whose flush failed. */
export function restorePublished(buckets: readonly PublishedBucket[]): void {
  for (const b of buckets) add(b);
}
