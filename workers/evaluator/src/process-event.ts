/**
 * One event, start to finish: validate -> ledger + rollup + trace in one D1 batch ->
 * (sampled) judge panel -> evaluation + judge ledger rows in a second batch. Every step is
 * idempotent, so the only safe answer to a failure is "retry the whole message" (and with
 * it the other events of its pack, which then change nothing).
 */
import { z } from "zod";
import { UsageEventPackSchema, UsageEventSchema, type UsageEvent } from "../../../shared/schemas/usage-event";
import type { CacheAuditConfig } from "./cache-audit/audit-cache-hit";
import type { Judge, Sampling } from "./judge/config";
import { isSampled, panelVersion } from "./judge/config";
import { evaluationErrorStatement, evaluationStatements, isEvaluated, judgeLedgerRow } from "./judge/evaluation-store";
import type { Fetch } from "./judge/judge-client";
import { PanelUnavailableError, runPanel, type PanelResult } from "./judge/panel";
import { ledgerRowFromEvent } from "./ledger/ledger-row";
import { ledgerStatements, newNonce } from "./ledger/ledger-statements";
import type { PriceBook } from "./pricing/price-book";
import { traceStatement, type Seal } from "./trace/trace-record";

export interface ConsumerDeps {
  db: D1Database;
  /** Invalid events go here with a reason; without it they fall to the platform DLQ via retries. */
  dlq?: Queue;
  judges: Judge[];
  sampling: Sampling;
  seal?: Seal;
  fetch: Fetch;
  credential: (secretName: string) => string | undefined;
  concurrency: number;
  counterfactualModel?: string;
  /** Deliveries after which an unreachable panel is recorded as an error instead of retried. */
  maxJudgeAttempts: number;
  /** Audits of sampled semantic cache hits; defaults to DEFAULT_CACHE_AUDIT. */
  cacheAudit?: CacheAuditConfig;
  now: () => number;
}

export type ParsedBody = { ok: true; event: UsageEvent } | { ok: false; reason: string };

/** One usage event, validated. */
export function parseEvent(value: unknown): ParsedBody {
  const parsed = UsageEventSchema.safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, reason: z.prettifyError(parsed.error).slice(0, 2_000) };
}

export type ParsedMessage =
  | { ok: true; events: Array<{ body: unknown; parsed: ParsedBody }> }
  | { ok: false; reason: string };

/**
 * A queue message: a pack of events (what the gateway sends) or one bare event. Events in a
 * pack are validated one by one: a malformed event is reported on its own and the rest of
 * the pack is still processed.
 */
export function parseMessage(body: unknown): ParsedMessage {
  const value = jsonValue(body);
  if (!value.ok) return value;
  const pack = UsageEventPackSchema.safeParse(value.value);
  if (pack.success) return { ok: true, events: pack.data.events.map((e) => ({ body: e, parsed: parseEvent(e) })) };
  const single = parseEvent(value.value);
  return single.ok ? { ok: true, events: [{ body: value.value, parsed: single }] } : single;
}

function jsonValue(body: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof body !== "string") return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
}

/** Ledger + rollup + trace statements of one event; callers batch them (one transaction). */
export async function ledgerBatchFor(event: UsageEvent, book: PriceBook, deps: ConsumerDeps): Promise<D1PreparedStatement[]> {
  const now = deps.now();
  const row = ledgerRowFromEvent(event, book, deps.counterfactualModel);
  const trace = await traceStatement(deps.db, event, deps.seal, now);
  return [...ledgerStatements(deps.db, row, newNonce(), now), trace];
}

export function wantsJudging(event: UsageEvent, deps: ConsumerDeps): boolean {
  if (!event.content || deps.judges.length === 0 || event.kind !== "chat") return false;
  if (event.status >= 400 || event.cache === "hit-exact" || event.cache === "hit-semantic") return false;
  return isSampled(deps.sampling, event.requestId, event.tenantId, event.feature);
}

/** Returns false when the message should be retried because the judges were unreachable. */
export async function judgeEvent(event: UsageEvent, attempts: number, book: PriceBook, deps: ConsumerDeps): Promise<boolean> {
  const content = event.content;
  if (!content || (await isEvaluated(deps.db, event.tenantId, event.requestId))) return true;
  const version = panelVersion(deps.judges);
  const finishReason = event.decisions["finishReason"];
  let panel: PanelResult;
  try {
    panel = await runPanel(content, deps.judges, { fetch: deps.fetch, credential: deps.credential }, finishReason);
  } catch (err) {
    // Calls that were answered but unusable were still paid for: billed once per delivery
    // attempt (the attempt number is in the row id, so a replay of this attempt adds nothing).
    // Billing must not turn a judging failure into a storage failure: a lost row is logged.
    if (err instanceof PanelUnavailableError) await billFailedJudging(event, err, attempts, book, deps).catch((e: unknown) => logBillingLoss(event, e));
    // Judges unreachable, or anything else on the judging side: retried with the message, and
    // after maxJudgeAttempts recorded as an evaluation error so the message cannot loop forever.
    if (attempts < deps.maxJudgeAttempts) return false;
    const reason = err instanceof PanelUnavailableError ? err.message : `judging failed: ${String(err instanceof Error ? err.message : err).slice(0, 300)}`;
    await evaluationErrorStatement(deps.db, event, reason, version, deps.now()).run();
    return true;
  }
  // A storage failure is not a judging failure: it throws, and the message is retried whole.
  await deps.db.batch(evaluationStatements(deps.db, event, panel, book, version, newNonce(), deps.now()));
  return true;
}

function logBillingLoss(event: UsageEvent, err: unknown): void {
  console.error(JSON.stringify({ msg: "failed judge calls not billed", requestId: event.requestId, error: String(err).slice(0, 300) }));
}

async function billFailedJudging(event: UsageEvent, err: PanelUnavailableError, attempts: number, book: PriceBook, deps: ConsumerDeps): Promise<void> {
  const paid = err.judges.filter((j) => j.usage.input.total + j.usage.output.total > 0);
  if (paid.length === 0) return;
  const now = deps.now();
  const nonce = newNonce();
  const rows = paid.map((j) => judgeLedgerRow(event, j, book, now, `judge-failed-${attempts}`));
  await deps.db.batch(rows.flatMap((r) => ledgerStatements(deps.db, r, nonce, now)));
}
