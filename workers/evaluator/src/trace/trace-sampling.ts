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
 * One R2 object per queue message, tenant and day (archive/sampled-out.ts). Without an ARCHIVE
 * binding every trace stays in D1.
 */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { ArchiveWriter } from "../archive/archive-job";
import type { Carried, SampledOutTable } from "../archive/sampled-out";
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

/** Where sampled-out traces go (archive/sampled-out.ts writes them): the trace row, content sealed. */
export function sampledOutTraces<T extends Carried>(seal: Seal | undefined, now: number): SampledOutTable<T> {
  return { table: "request_traces", source: "trace-sampling", row: (it) => traceRow(it.event, seal, now) };
}
