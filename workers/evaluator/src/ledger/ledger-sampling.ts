/**
 * Sampled client ledger rows (LEDGER_SAMPLING; docs/evaluator.md, "The arithmetic at 1k and 10k
 * requests/s", step 1): with ROLLUP_DEDUP=message, the consumer writes a client request's ledger
 * row (and its cascade draft's or shadow's) to D1 only for a deterministic sample. Every event is
 * still counted in the pack's hourly rollups, latency histograms and minute counters (their gate,
 * consumed_messages, needs no ledger row), so usage, budgets and alerts stay exact; the rows left
 * out go to R2 in the archive's layout (archive/sampled-out.ts), readable with
 * GET /admin/v1/tenants/{id}/archive/usage_ledger/{day}.
 *
 * The draw is JUDGE_SAMPLING's and TRACE_SAMPLING's (unitDraw of the request id; a draft or a
 * shadow drawn with the request it was made for): at a ledger rate >= the trace and judge rates,
 * a request whose trace or evaluation is in D1 has its ledger row there too. Errors are NOT kept
 * beyond the draw (unlike traces): readers that still compute rates from the ledger (drift, arm
 * stats, prompt compare) then see an unbiased sample, while error counts come from the counters.
 * Judge-call rows are not consumer events: they are always written to D1.
 */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { warnConfigOnce } from "../config-warning";
import type { ArchiveWriter } from "../archive/archive-job";
import type { Carried, SampledOutTable } from "../archive/sampled-out";
import { isSampled, SamplingSchema, type Sampling } from "../judge/config";
import type { PriceBook } from "../pricing/price-book";
import { derivedParent, ledgerRowFromEvent } from "./ledger-row";
import { ledgerRecord } from "./ledger-statements";
import type { RollupDedup } from "./pack-rollups";

/**
 * LEDGER_SAMPLING (TRACE_SAMPLING's shape; unset = every row in D1). Only meaningful with
 * ROLLUP_DEDUP=message: per-row rollups read the ledger rows back, so with "ledger" a sampled-out
 * row would not be counted at all. Then it is ignored, with a warning (once per isolate), rather than failing the consumer.
 */
export function parseLedgerSampling(raw: string | undefined, rollupDedup: RollupDedup): Sampling | undefined {
  if (raw === undefined || raw === "") return undefined;
  const sampling = SamplingSchema.parse({ default: 1, ...(JSON.parse(raw) as object) });
  const samples = sampling.default < 1 || sampling.rules.some((r) => r.rate < 1);
  if (!samples) return undefined;
  if (rollupDedup !== "message") {
    warnConfigOnce("LEDGER_SAMPLING ignored: it needs ROLLUP_DEDUP=\"message\"; every ledger row stays in D1", { rollupDedup });
    return undefined;
  }
  return sampling;
}

export interface LedgerSamplingDeps {
  ledgerSampling?: Sampling;
  /** Where ledger rows left out of D1 go; without it, every row stays in D1. */
  ledgerArchive?: ArchiveWriter;
  rollupDedup?: RollupDedup;
}

/** Whether this event's ledger row is written to D1. */
export function ledgerInD1(event: UsageEvent, deps: LedgerSamplingDeps): boolean {
  if (!deps.ledgerArchive || !deps.ledgerSampling || deps.rollupDedup !== "message") return true;
  return isSampled(deps.ledgerSampling, derivedParent(event.decisions) ?? event.requestId, event.tenantId, event.feature);
}

/** Where sampled-out ledger rows go (archive/sampled-out.ts writes them): the row D1 would have held, same price book. */
export function sampledOutLedger<T extends Carried>(book: PriceBook, counterfactualModel: string | undefined, now: number): SampledOutTable<T> {
  return { table: "usage_ledger", source: "ledger-sampling", row: (it) => ledgerRecord(ledgerRowFromEvent(it.event, book, counterfactualModel), now) };
}
