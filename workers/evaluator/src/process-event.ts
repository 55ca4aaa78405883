/**
 * One event's parts of the consumer: validation, its ledger + rollup + trace statements, and
 * whether it is judged (the judging itself runs per batch, judge/judge-batch.ts). Every step
 * is idempotent, so the only safe answer to a failure is "retry the whole message" (and with
 * it the other events of its pack, which then change nothing).
 */
import { z } from "zod";
import { UsageEventPackSchema, UsageEventSchema, type UsageEvent } from "../../../shared/schemas/usage-event";
import type { CacheAuditConfig } from "./cache-audit/audit-cache-hit";
import type { Judge, Sampling } from "./judge/config";
import { isSampled } from "./judge/config";
import type { AiBinding, Fetch } from "./judge/judge-client";
import type { JudgePolicy } from "./judge/policy";
import { draftParent, ledgerRowFromEvent, shadowParent, type LedgerRow } from "./ledger/ledger-row";
import type { RollupDedup } from "./ledger/pack-rollups";
import { ledgerInsert } from "./ledger/ledger-statements";
import type { PriceBook } from "./pricing/price-book";
import { traceStatement, type Seal } from "./trace/trace-record";
import { traceInD1, type TraceSamplingDeps } from "./trace/trace-sampling";
import type { EvaluationSamplingDeps } from "./judge/evaluation-sampling";
import { ledgerInD1, type LedgerSamplingDeps } from "./ledger/ledger-sampling";

export interface ConsumerDeps extends TraceSamplingDeps, EvaluationSamplingDeps, LedgerSamplingDeps {
  db: D1Database;
  /** Invalid events go here with a reason; without it they fall to the platform DLQ via retries. */
  dlq?: Queue;
  judges: Judge[];
  sampling: Sampling;
  /**
   * Judge escalated cascade drafts (`<id>:draft`): only the fine-tuning export reads their
   * scores (a low-scoring draft paired with its better served answer). Off by default: nobody
   * saw the draft, so judging it is spend on the export alone.
   */
  judgeDrafts?: boolean;
  seal?: Seal;
  fetch: Fetch;
  credential: (secretName: string) => string | undefined;
  /** The Workers AI binding, for judges of kind "workers-ai". */
  ai?: AiBinding;
  /** Judge budget and escalation rules; DEFAULT_JUDGE_POLICY when absent. */
  policy?: JudgePolicy;
  /** The strong-judge queue; without it escalations run inline (tests, small deployments). */
  escalations?: Queue;
  /** Answers judged at once in a batch (and D1 chunks written at once). */
  concurrency: number;
  counterfactualModel?: string;
  /** Deliveries after which an unreachable panel is recorded as an error instead of retried. */
  maxJudgeAttempts: number;
  /** Audits of sampled semantic cache hits; defaults to DEFAULT_CACHE_AUDIT. */
  cacheAudit?: CacheAuditConfig;
  /** ROLLUP_DEDUP: rollups deduplicated per ledger row (default) or per pack (ledger/pack-rollups.ts). */
  rollupDedup?: RollupDedup;
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

/**
 * Ledger row + trace statements of one event (each only if kept in D1), written with `nonce`; callers batch them (one
 * transaction) with the rollup of the batch's ids (rollupStatements) or of the pack (pack-rollups.ts), which needs the row.
 */
export async function eventWrite(event: UsageEvent, book: PriceBook, deps: ConsumerDeps, nonce: string): Promise<{ row: LedgerRow; statements: D1PreparedStatement[] }> {
  const now = deps.now();
  const row = ledgerRowFromEvent(event, book, deps.counterfactualModel);
  // A ledger row or a trace sampled out of D1 goes to R2 instead (consume-batch.ts, ledger/ledger-sampling.ts,
  // trace/trace-sampling.ts); the row is still counted in the pack's rollups.
  const statements = ledgerInD1(event, deps) ? [ledgerInsert(deps.db, row, nonce, now)] : [];
  if (traceInD1(event, deps)) statements.push(await traceStatement(deps.db, event, deps.seal, now));
  return { row, statements };
}

export function wantsJudging(event: UsageEvent, deps: ConsumerDeps): boolean {
  if (!event.content || deps.judges.length === 0 || event.kind !== "chat") return false;
  if (event.status >= 400 || event.cache === "hit-exact" || event.cache === "hit-semantic") return false;
  // A draft is drawn with the answer served in its place: the export needs both judged or neither.
  const parent = draftParent(event.decisions);
  if (parent !== null) return deps.judgeDrafts === true && isSampled(deps.sampling, parent, event.tenantId, event.feature);
  // A shadow small-tier answer exists only to be judged (a router label): drawn with its served answer.
  const shadowOf = shadowParent(event.decisions);
  if (shadowOf !== null) return isSampled(deps.sampling, shadowOf, event.tenantId, event.feature);
  return isSampled(deps.sampling, event.requestId, event.tenantId, event.feature);
}
