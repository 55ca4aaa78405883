/**
 * The local vector index: one Durable Object per tenant (so tenants never share memory or
 * storage), rows in the DO's SQLite storage, each namespace loaded into a FlatIndex on first
 * use and scanned in memory. Survives restarts because SQLite is the source of truth; the
 * in-memory indexes are only a cache of it. Expired rows are pruned by an alarm.
 */
import { DurableObject } from "cloudflare:workers";
import { FlatIndex } from "./flat-index";
import type { Match, PurgeFilter, VectorItem, VectorMetadata } from "../vector-store";

const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Rows kept in memory across namespaces (~40 MB at 100 dims) before dropping loaded indexes. */
const MAX_LOADED_ROWS = 250_000;

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  vector: ArrayBuffer;
  tenant: string;
  feature: string;
  fingerprint: string;
  entry_key: string;
}

export class LocalVectorIndex extends DurableObject {
  private loaded = new Map<string, FlatIndex>();
  private loadedRows = 0;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS vectors (
      namespace TEXT NOT NULL, id TEXT NOT NULL, vector BLOB NOT NULL, tenant TEXT NOT NULL,
      feature TEXT NOT NULL, fingerprint TEXT NOT NULL, entry_key TEXT NOT NULL, expires_at INTEGER,
      PRIMARY KEY (namespace, id))`);
    ctx.storage.sql.exec("CREATE INDEX IF NOT EXISTS vectors_tenant_feature ON vectors (tenant, feature)");
  }

  async query(vector: Float32Array, namespace: string, tenantId: string, topK: number, minScore: number): Promise<Match[]> {
    const index = this.load(namespace);
    if (!index) return [];
    // Re-checked here as well as by the caller: a row of another tenant is never returned.
    return index.query(vector, topK, minScore).filter((m) => m.metadata.tenantId === tenantId);
  }

  async upsert(items: VectorItem[]): Promise<void> {
    for (const item of items) {
      const m = item.metadata;
      const blob = item.vector.buffer.slice(item.vector.byteOffset, item.vector.byteOffset + item.vector.byteLength);
      this.ctx.storage.sql.exec(
        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        item.namespace, item.id, blob, m.tenantId, m.feature, m.fingerprint, m.entryKey, item.expiresAt ?? null,
      );
      const index = this.loaded.get(item.namespace);
      if (index) {
        const before = index.size;
        index.upsert(item.id, item.vector, m);
        this.loadedRows += index.size - before;
      }
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
  }

  async purge(filter: PurgeFilter): Promise<number> {
    const cursor =
      filter.feature == null
        ? this.ctx.storage.sql.exec("DELETE FROM vectors WHERE tenant = ?", filter.tenantId)
        : this.ctx.storage.sql.exec("DELETE FROM vectors WHERE tenant = ? AND feature = ?", filter.tenantId, filter.feature);
    this.unloadAll();
    return cursor.rowsWritten;
  }

  async count(): Promise<number> {
    return Number(this.ctx.storage.sql.exec("SELECT COUNT(*) AS n FROM vectors").one().n);
  }

  override async alarm(): Promise<void> {
    const removed = this.ctx.storage.sql.exec("DELETE FROM vectors WHERE expires_at IS NOT NULL AND expires_at < ?", Date.now()).rowsWritten;
    if (removed > 0) this.unloadAll();
    const left = await this.count();
    if (left > 0) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
  }

  private load(namespace: string): FlatIndex | undefined {
    const cached = this.loaded.get(namespace);
    if (cached) return cached;
    const rows = this.ctx.storage.sql
      .exec<Row>("SELECT id, vector, tenant, feature, fingerprint, entry_key FROM vectors WHERE namespace = ?", namespace)
      .toArray();
    if (rows.length === 0) return undefined;
    const first = rows[0] as Row;
    const index = new FlatIndex(first.vector.byteLength / 4, rows.length);
    for (const r of rows) {
      const meta: VectorMetadata = { tenantId: r.tenant, feature: r.feature, fingerprint: r.fingerprint, entryKey: r.entry_key };
      index.upsert(r.id, new Float32Array(r.vector), meta);
    }
    if (this.loadedRows + rows.length > MAX_LOADED_ROWS) this.unloadAll();
    this.loaded.set(namespace, index);
    this.loadedRows += rows.length;
    return index;
  }

  private unloadAll(): void {
    this.loaded.clear();
    this.loadedRows = 0;
  }
}
