/**
 * Moves per-request rows older than each tenant's retention from D1 to R2, table by table,
 * oldest day first, in chunks: read a chunk (one tenant, one UTC day, ordered by time and id),
 * upload it as gzip NDJSON under a name derived from its first row, and only then delete exactly
 * those rows by id. A crash between upload and delete leaves the rows in D1; the next run reads
 * the same chunk, writes the same object over itself and deletes: nothing lost, nothing twice.
 *
 * Rows are archived only once no queue delivery can write them again (`horizonMs`, the usage
 * queue's message retention): the ledger's and the evaluations' idempotency is their primary key,
 * so a redelivery after a delete would count a request twice. Hourly rollups are never touched.
 */
import { ARCHIVE_TABLES, chunkKey, DAY_MS, dayOf, type ArchiveTable, type ArchiveTableSpec } from "../../../../shared/archive/layout";
import { encodeRows } from "../../../../shared/archive/ndjson-gzip";
import type { Retention } from "../../../../shared/schemas/retention";
import { loadTenantRetention } from "./retention-config";

/** The part of R2Bucket the job writes with. */
export interface ArchiveWriter {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string; contentEncoding?: string }; customMetadata?: Record<string, string> }): Promise<unknown>;
}

export interface ArchiveOptions {
  now: number;
  defaults: Retention;
  /** How long after a request its event can still be (re)delivered: the queue's retention. */
  horizonMs: number;
  chunkRows: number;
  /** Chunks per run: bounds D1 queries (2 a chunk) under a Worker invocation's limit. */
  maxChunks: number;
}

export interface ArchiveReport {
  chunks: number;
  rows: Partial<Record<ArchiveTable, number>>;
  /** True when the run stopped at maxChunks with old rows left (the next run continues). */
  more: boolean;
}

/** Start of the first UTC day a tenant keeps for a table: rows before it are archived. */
export function cutoffFor(retention: Retention, table: ArchiveTable, now: number, horizonMs: number): number {
  const spec: ArchiveTableSpec = ARCHIVE_TABLES[table];
  const days = Math.max(retention[spec.retention], spec.keepAtLeast ? retention[spec.keepAtLeast] : 0);
  const keepMs = Math.max(days * DAY_MS, horizonMs);
  return Math.floor((now - keepMs) / DAY_MS) * DAY_MS;
}

/** Each tenant with rows in the table and its oldest row's time: one index seek per tenant. */
async function oldestByTenant(db: D1Database, table: ArchiveTable): Promise<Array<{ tenant_id: string; oldest: number }>> {
  const time = ARCHIVE_TABLES[table].time;
  const sql = `WITH RECURSIVE t(id) AS (
      SELECT MIN(tenant_id) FROM ${table}
      UNION ALL SELECT (SELECT MIN(tenant_id) FROM ${table} WHERE tenant_id > t.id) FROM t WHERE t.id IS NOT NULL)
    SELECT id AS tenant_id, (SELECT MIN(${time}) FROM ${table} WHERE tenant_id = t.id) AS oldest FROM t WHERE id IS NOT NULL`;
  const { results } = await db.prepare(sql).all<{ tenant_id: string; oldest: number | null }>();
  return results.filter((r): r is { tenant_id: string; oldest: number } => r.oldest !== null);
}

type Row = Record<string, unknown> & { request_id: string };

async function readChunk(db: D1Database, table: ArchiveTable, tenantId: string, dayStart: number, limit: number): Promise<Row[]> {
  const time = ARCHIVE_TABLES[table].time;
  const { results } = await db
    .prepare(`SELECT * FROM ${table} WHERE tenant_id = ?1 AND ${time} >= ?2 AND ${time} < ?3 ORDER BY ${time}, request_id LIMIT ?4`)
    .bind(tenantId, dayStart, dayStart + DAY_MS, limit)
    .all<Row>();
  return results;
}

/** One chunk: upload, then delete exactly the uploaded ids (one bound JSON array, not 100 params). */
async function archiveChunk(db: D1Database, bucket: ArchiveWriter, table: ArchiveTable, tenantId: string, rows: Row[]): Promise<void> {
  const time = ARCHIVE_TABLES[table].time;
  const first = rows[0] as Row;
  const last = rows[rows.length - 1] as Row;
  const key = chunkKey(table, tenantId, Number(first[time]), first.request_id);
  await bucket.put(key, await encodeRows(rows), {
    httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
    customMetadata: { table, tenantId, day: dayOf(Number(first[time])), rows: String(rows.length), firstId: first.request_id, lastId: last.request_id },
  });
  await db
    .prepare(`DELETE FROM ${table} WHERE tenant_id = ?1 AND request_id IN (SELECT value FROM json_each(?2))`)
    .bind(tenantId, JSON.stringify(rows.map((r) => r.request_id)))
    .run();
}

async function oldestFrom(db: D1Database, table: ArchiveTable, tenantId: string, from: number): Promise<number | null> {
  const time = ARCHIVE_TABLES[table].time;
  const row = await db.prepare(`SELECT MIN(${time}) AS t FROM ${table} WHERE tenant_id = ?1 AND ${time} >= ?2`).bind(tenantId, from).first<{ t: number | null }>();
  return row?.t ?? null;
}

export async function runArchive(db: D1Database, bucket: ArchiveWriter, opts: ArchiveOptions): Promise<ArchiveReport> {
  const report: ArchiveReport = { chunks: 0, rows: {}, more: false };
  const custom = await loadTenantRetention(db, opts.defaults);
  for (const table of Object.keys(ARCHIVE_TABLES) as ArchiveTable[]) {
    for (const { tenant_id: tenantId, oldest } of await oldestByTenant(db, table)) {
      const cutoff = cutoffFor(custom.get(tenantId) ?? opts.defaults, table, opts.now, opts.horizonMs);
      let next: number | null = oldest;
      while (next !== null && next < cutoff) {
        if (report.chunks >= opts.maxChunks) return { ...report, more: true };
        const dayStart = Math.floor(next / DAY_MS) * DAY_MS;
        const rows = await readChunk(db, table, tenantId, dayStart, opts.chunkRows);
        if (rows.length > 0) {
          await archiveChunk(db, bucket, table, tenantId, rows);
          report.chunks++;
          report.rows[table] = (report.rows[table] ?? 0) + rows.length;
        }
        // A short chunk ends the day: skip to the tenant's next row (days may be empty).
        if (rows.length < opts.chunkRows) next = await oldestFrom(db, table, tenantId, dayStart + DAY_MS);
      }
    }
  }
  return report;
}
