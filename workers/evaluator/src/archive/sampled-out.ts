/**
 * Rows the consumer leaves out of D1 (TRACE_SAMPLING, LEDGER_SAMPLING) written straight to R2 in
 * the archive's layout (shared/archive/layout.ts), so GET /admin/v1/tenants/{id}/archive/{table}/{day}
 * reads them back with the rows the archive job moved later. One gzip NDJSON object per queue
 * message, tenant and day of completion, named from the message id and its first event: a
 * redelivered message (Queues redeliver a message whole) rewrites the same object, never adds a
 * second copy. The caller acks a message only once its objects are written.
 */
import { chunkKey, dayOf, type ArchiveTable } from "../../../../shared/archive/layout";
import { encodeRows } from "../../../../shared/archive/ndjson-gzip";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { forEachLimit } from "../concurrency";
import type { ArchiveWriter } from "./archive-job";

export interface Carried {
  msg: { id: string };
  event: UsageEvent;
}

/** What goes to R2: the table whose layout it takes, a label for the object's metadata and logs, and one row per event. */
export interface SampledOutTable<T extends Carried> {
  table: ArchiveTable;
  source: string;
  row: (item: T) => Promise<object> | object;
}

/** Groups by queue message, tenant and day of completion (the object a redelivery rewrites). */
function groups<T extends Carried>(items: readonly T[]): T[][] {
  const byKey = new Map<string, T[]>();
  for (const it of items) {
    const key = `${it.msg.id}\u0000${it.event.tenantId}\u0000${dayOf(it.event.completedAt)}`;
    const list = byKey.get(key);
    if (list) list.push(it);
    else byKey.set(key, [it]);
  }
  return [...byKey.values()];
}

/**
 * Writes the rows of `items` (those left out of D1) to R2; returns the items whose object could
 * not be written (their messages are retried; the rewrite is the same object).
 */
export async function archiveSampledOut<T extends Carried>(items: readonly T[], bucket: ArchiveWriter, spec: SampledOutTable<T>, concurrency: number): Promise<T[]> {
  const failed: T[] = [];
  await forEachLimit(groups(items), concurrency, async (group) => {
    const first = group[0] as T;
    const rows = await Promise.all(group.map((it) => spec.row(it)));
    const key = chunkKey(spec.table, first.event.tenantId, first.event.completedAt, `${first.msg.id}/${first.event.requestId}`);
    try {
      await bucket.put(key, await encodeRows(rows), {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
        customMetadata: { table: spec.table, tenantId: first.event.tenantId, day: dayOf(first.event.completedAt), rows: String(rows.length), source: spec.source },
      });
    } catch (err) {
      console.error(JSON.stringify({ msg: `sampled-out ${spec.table} rows not written to R2, will retry`, source: spec.source, messageId: first.msg.id, rows: rows.length, error: String(err).slice(0, 300) }));
      failed.push(...group);
    }
  });
  return failed;
}
