/**
 * MetricsAggregator: the Durable Object that sums every isolate's live counters (Workers share
 * no memory, so a scrape of one isolate would see only its own traffic). Isolates send deltas
 * in the background at most every FLUSH_MS; /metrics reads the totals here. One instance
 * (`global`): a flush per isolate every few seconds is far below what one object serves.
 * Counters only grow (Prometheus counter semantics); up to FLUSH_MS of one isolate's counts
 * are lost if it is evicted before its next flush.
 */
import { DurableObject } from "cloudflare:workers";
import { BUCKET_MS, type PublishedBucket } from "./published";

/** A bucket still unmatched after a day is given up (an event dead-lettered or lost in the queue). */
export const PUBLISHED_KEEP_MS = 24 * 3_600_000;

export class MetricsAggregator extends DurableObject {
  private ready = false;

  private table(): void {
    if (this.ready) return;
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS series (key TEXT PRIMARY KEY, value REAL NOT NULL)");
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS published (tenant TEXT NOT NULL, feature TEXT NOT NULL, minute INTEGER NOT NULL, n INTEGER NOT NULL, first_at INTEGER NOT NULL, PRIMARY KEY (tenant, feature, minute))",
    );
    this.ready = true;
  }

  async merge(delta: Record<string, number>, published: readonly PublishedBucket[] = []): Promise<void> {
    this.table();
    for (const [key, value] of Object.entries(delta)) {
      if (!Number.isFinite(value) || key.length > 2048) continue;
      this.ctx.storage.sql.exec("INSERT INTO series (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value", key, value);
    }
    for (const b of published) {
      if (!Number.isSafeInteger(b.n) || b.n <= 0 || b.tenant.length > 256 || b.feature.length > 256) continue;
      this.ctx.storage.sql.exec(
        `INSERT INTO published (tenant, feature, minute, n, first_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant, feature, minute) DO UPDATE SET n = n + excluded.n, first_at = MIN(first_at, excluded.first_at)`,
        b.tenant, b.feature, b.minute, b.n, b.firstAt,
      );
    }
  }

  /** Published-event buckets not yet matched by the ledger (all tenants when tenant is null). */
  async publishedBuckets(tenant: string | null, now: number): Promise<PublishedBucket[]> {
    this.table();
    this.ctx.storage.sql.exec("DELETE FROM published WHERE minute < ?", Math.floor((now - PUBLISHED_KEEP_MS) / BUCKET_MS));
    const sql = "SELECT tenant, feature, minute, n, first_at AS firstAt FROM published";
    const rows = tenant === null ? this.ctx.storage.sql.exec<Record<string, SqlStorageValue>>(sql) : this.ctx.storage.sql.exec<Record<string, SqlStorageValue>>(`${sql} WHERE tenant = ?`, tenant);
    return [...rows].map((r) => ({ tenant: String(r.tenant), feature: String(r.feature), minute: Number(r.minute), n: Number(r.n), firstAt: Number(r.firstAt) }));
  }

  /** Forgets buckets the ledger has caught up with (the scrape decides; see queue-backlog.ts). */
  async settle(buckets: ReadonlyArray<Pick<PublishedBucket, "tenant" | "feature" | "minute">>): Promise<void> {
    this.table();
    for (const b of buckets) this.ctx.storage.sql.exec("DELETE FROM published WHERE tenant = ? AND feature = ? AND minute = ?", b.tenant, b.feature, b.minute);
  }

  async totals(): Promise<Record<string, number>> {
    this.table();
    const out: Record<string, number> = {};
    for (const row of this.ctx.storage.sql.exec<{ key: string; value: number }>("SELECT key, value FROM series")) out[row.key] = row.value;
    return out;
  }
}
