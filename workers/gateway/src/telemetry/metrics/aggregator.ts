/**
 * MetricsAggregator: the Durable Object that sums every isolate's live counters (Workers share
 * no memory, so a scrape of one isolate would see only its own traffic). Isolates send deltas
 * in the background at most every FLUSH_MS; /metrics reads the totals here. One instance
 * (`global`): a flush per isolate every few seconds is far below what one object serves.
 * Counters only grow (Prometheus counter semantics); up to FLUSH_MS of one isolate's counts
 * are lost if it is evicted before its next flush.
 */
import { DurableObject } from "cloudflare:workers";

export class MetricsAggregator extends DurableObject {
  private ready = false;

  private table(): void {
    if (this.ready) return;
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS series (key TEXT PRIMARY KEY, value REAL NOT NULL)");
    this.ready = true;
  }

  async merge(delta: Record<string, number>): Promise<void> {
    this.table();
    for (const [key, value] of Object.entries(delta)) {
      if (!Number.isFinite(value) || key.length > 2048) continue;
      this.ctx.storage.sql.exec("INSERT INTO series (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value", key, value);
    }
  }

  async totals(): Promise<Record<string, number>> {
    this.table();
    const out: Record<string, number> = {};
    for (const row of this.ctx.storage.sql.exec<{ key: string; value: number }>("SELECT key, value FROM series")) out[row.key] = row.value;
    return out;
  }
}
