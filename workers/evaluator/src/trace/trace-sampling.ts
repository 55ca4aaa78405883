/**
 * Sampled trace rows: the first built step of the storage scale path (docs/evaluator.md,
 * "The arithmetic at 1k and 10k requests/s"). Every request keeps its ledger row in D1 (usage,
 * budgets and the rollups need them all); its trace row (stages, decisions and the sealed
 * exchange: ~5.3 KB of the ~8.6 KB a request costs D1) goes to D1 only for errors and a
 * deterministic sample (TRACE_SAMPLING). The others go straight to R2, in the archive's layout
 * (table request_traces, tenant, UTC day), so GET /admin/v1/tenants/{id}/archive/request_traces/{day}
 * reads them back with the rows the archive moved later.
 *
 * The draw is JUDGE_SAMPLING's (unitDraw of the request id): at a trace rate >= the judge rate,
 * every judged answer keeps its trace in D1, which the retraining and fine-tuning exports read.
 * One R2 object per queue message, tenant and day, named from the message id and its first
 * event: a redelivered message (Queues redeliver a message whole) rewrites the same object,
 * never adds a second copy. Without an ARCHIVE binding every trace stays in D1.
 */
import { chunkKey, dayOf } from "../../../../shared/archive/layout";
import { encodeRows } from "../../../../shared/archive/ndjson-gzip";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { ArchiveWriter } from "../archive/archive-job";
import { forEachLimit } from "../concurrency";
import { isSampled, SamplingSchema, type Sampling } from "../judge/config";
import { derivedParent } from "../ledger/ledger-row";
import { traceRow, type Seal } from "./trace-record";

/** TRACE_SAMPLING: the share of requests whose trace row stays in D1 (default 1: all of them). */
export function parseTraceSampling(raw: string | undefined): Sampling {
  return SamplingSchema.parse({ default: 1, ...(raw ? (JSON.parse(raw) as object) : {}) });
}

export interface TraceSamplingDeps {
  traceSampling?: Sampling;
  /** Where traces left out of D1 go; without it, every trace stays in D1. */
  traceArchive?: ArchiveWriter;
}

/**
 * Whether this request's trace row is written to D1 (errors always are). A cascade draft or a
 * shadow small-tier call is drawn with the request it was made for, as the judges draw it: the
 * exports read both traces of a pair from D1.
 */
export function traceInD1(event: UsageEvent, deps: TraceSamplingDeps): boolean {
  if (!deps.traceArchive || !deps.traceSampling) return true;
  return event.status >= 400 || isSampled(deps.traceSampling, derivedParent(event.decisions) ?? event.requestId, event.tenantId, event.feature);
}

interface Carried {
  msg: { id: string };
  event: UsageEvent;
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
 * Writes the traces of `items` (those not kept in D1) to R2; returns the items whose object
 * could not be written (their messages are retried; the rewrite is the same object).
 */
export async function archiveSampledOut<T extends Carried>(items: readonly T[], bucket: ArchiveWriter, seal: Seal | undefined, now: number, concurrency: number): Promise<T[]> {
  const failed: T[] = [];
  await forEachLimit(groups(items), concurrency, async (group) => {
      const first = group[0] as T;
      const rows = await Promise.all(group.map((it) => traceRow(it.event, seal, now)));
      const key = chunkKey("request_traces", first.event.tenantId, first.event.completedAt, `${first.msg.id}/${first.event.requestId}`);
      try {
        await bucket.put(key, await encodeRows(rows), {
          httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
          customMetadata: { table: "request_traces", tenantId: first.event.tenantId, day: dayOf(first.event.completedAt), rows: String(rows.length), source: "trace-sampling" },
        });
      } catch (err) {
        console.error(JSON.stringify({ msg: "sampled-out traces not written to R2, will retry", messageId: first.msg.id, rows: rows.length, error: String(err).slice(0, 300) }));
        failed.push(...group);
      }
  });
  return failed;
}
