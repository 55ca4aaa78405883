/**
 * Reads one archived day of one tenant and table back: every chunk under the day's prefix,
 * in name order (= time order), decompressed. Works on an R2 binding, locally under wrangler /
 * Miniflare as in production.
 */
import { dayPrefix, type ArchiveTable } from "./layout";
import { decodeRows } from "./ndjson-gzip";

/** The part of R2Bucket this needs (so tests and scripts can hand in any bucket). */
export interface ArchiveReader {
  list(options: { prefix: string; cursor?: string }): Promise<{ objects: { key: string }[]; truncated: boolean; cursor?: string }>;
  get(key: string): Promise<{ body: ReadableStream<Uint8Array> } | null>;
}

export async function listDayChunks(bucket: ArchiveReader, table: ArchiveTable, tenantId: string, day: string): Promise<string[]> {
  const prefix = dayPrefix(table, tenantId, day);
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** Yields each chunk's rows in order; a client streams them as NDJSON without holding the day. */
export async function* readArchivedDay(bucket: ArchiveReader, table: ArchiveTable, tenantId: string, day: string): AsyncGenerator<unknown[]> {
  for (const key of await listDayChunks(bucket, table, tenantId, day)) {
    const obj = await bucket.get(key);
    if (obj) yield await decodeRows(obj.body);
  }
}
