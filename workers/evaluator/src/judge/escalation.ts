/**
 * Escalations to the strong judges, decoupled from the usage consumer: the cheap verdict is
 * stored with escalation_state 'pending' and a message goes to the escalation queue (binding
 * JUDGE_ESCALATIONS). Its consumer (this file) asks the strong judges, merges their verdict
 * into the evaluation (only while it is still 'pending', so a redelivery changes and bills
 * nothing twice) and counts the escalation in the coverage rollup. A slow strong judge (a
 * frontier API, or the simulator's frontier-sim at 8 sequences) then delays only the answers
 * it was asked about, never the ledger or the cheap pass of everything else.
 */
import { z } from "zod";
import { EMPTY_USAGE } from "../../../../shared/usage";
import { mapLimit } from "../concurrency";
import { newNonce, ledgerStatements } from "../ledger/ledger-statements";
import { loadPriceBook, type PriceBook } from "../pricing/price-book";
import type { ConsumerDeps } from "../process-event";
import { StoredContentSchema, type StoredContent } from "../trace/trace-record";
import { runChecks } from "./checks";
import { escalationCoverageStatement } from "./coverage-store";
import { escalationStatements, judgeLedgerRow, type JudgedRequest } from "./evaluation-store";
import { aggregate, mergeStrong, scored, type JudgeOutcome, type PanelResult } from "./panel";
import { ESCALATION_REASONS, type EscalationReason } from "./policy";
import { RUBRICS } from "./rubrics";
import { runStrong, strongJudges } from "./tiered";

export const ESCALATION_QUEUE = "llm-gateway-judge-escalations";

export const EscalationMessageSchema = z.object({
  type: z.literal("judge-escalation"),
  request: z.object({
    requestId: z.string().min(1),
    tenantId: z.string().min(1),
    keyId: z.string(),
    feature: z.string().nullable(),
    endUser: z.string().nullable(),
    model: z.string().nullable(),
    tier: z.string().nullable(),
    completedAt: z.number(),
  }),
  reasons: z.array(z.enum(ESCALATION_REASONS)).min(1),
  content: StoredContentSchema,
  finishReason: z.unknown().optional(),
  /** The request's server span (W3C traceparent), so the re-score joins its trace (otel/evaluation-spans.ts). */
  traceparent: z.string().max(256).optional(),
});
export type EscalationMessage = z.infer<typeof EscalationMessageSchema>;

export function escalationMessage(event: JudgedRequest & { decisions?: Record<string, unknown> }, content: StoredContent, reasons: EscalationReason[], finishReason: unknown): EscalationMessage {
  const { requestId, tenantId, keyId, feature, endUser, model, tier, completedAt } = event;
  const traceparent = event.decisions?.["traceparent"];
  return {
    type: "judge-escalation",
    request: { requestId, tenantId, keyId, feature, endUser, model, tier, completedAt },
    reasons,
    content,
    finishReason,
    ...(typeof traceparent === "string" ? { traceparent } : {}),
  };
}

/** Queues.sendBatch takes at most 100 messages and 256 KB; stay under both. */
export async function sendEscalations(queue: Queue, messages: readonly EscalationMessage[]): Promise<void> {
  let batch: { body: EscalationMessage }[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length) await queue.sendBatch(batch);
    batch = [];
    bytes = 0;
  };
  for (const body of messages) {
    const size = JSON.stringify(body).length + 100;
    if (batch.length === 100 || bytes + size > 200_000) await flush();
    batch.push({ body });
    bytes += size;
  }
  await flush();
}

const StoredJudgeSchema = z.object({
  name: z.string(),
  model: z.string(),
  version: z.string(),
  weight: z.number(),
  tier: z.enum(["cheap", "strong"]).default("cheap"),
  overall: z.number().nullable().default(null),
  scores: z.partialRecord(z.enum(RUBRICS), z.object({ score: z.number(), reason: z.string() })),
  confidence: z.number().nullable().default(null),
  error: z.string().nullable(),
});

/** The cheap verdict as stored: the judges' scores (usage was billed already, so it is zero here). */
async function pendingCheap(db: D1Database, requestId: string): Promise<JudgeOutcome[] | null> {
  const row = await db.prepare("SELECT judges_json FROM evaluations WHERE request_id = ?1 AND escalation_state = 'pending'").bind(requestId).first<{ judges_json: string }>();
  if (!row) return null;
  return z.array(StoredJudgeSchema).parse(JSON.parse(row.judges_json)).map((j) => ({ ...j, usage: EMPTY_USAGE }));
}

/** "stored": this delivery wrote the strong verdict; "done": nothing left to do (an earlier one did). */
type Outcome = "stored" | "done" | "retry";

async function finishEscalation(msg: Message<unknown>, m: EscalationMessage, book: PriceBook, deps: ConsumerDeps): Promise<Outcome> {
  const cheap = await pendingCheap(deps.db, m.request.requestId);
  if (!cheap) return "done"; // finished by an earlier delivery
  const now = deps.now();
  const checks = runChecks(m.content.response, m.content.responseFormat, m.finishReason);
  const cheapPanel: PanelResult = { checks, judges: cheap, ...aggregate(checks, cheap) };
  const strong = await runStrong(m.content, strongJudges(deps.judges), deps);
  const anyScored = strong.some(scored);
  const nonce = newNonce();
  if (!anyScored && msg.attempts < deps.maxJudgeAttempts) {
    // Answered-but-unusable calls were paid for: billed once per delivery attempt.
    const paid = strong.filter((o) => o.usage.input.total + o.usage.output.total > 0);
    const rows = paid.map((o) => judgeLedgerRow(m.request, o, book, now, `judge-failed-${msg.attempts}`));
    if (rows.length) await deps.db.batch(rows.flatMap((r) => ledgerStatements(deps.db, r, nonce, now)));
    return "retry";
  }
  const merged = anyScored ? mergeStrong(cheapPanel, strong) : { ...cheapPanel, judges: [...cheap, ...strong] };
  await deps.db.batch([
    ...escalationStatements(deps.db, m.request, merged, strong, book, anyScored ? "done" : "error", nonce, now),
    escalationCoverageStatement(deps.db, m.request.requestId, nonce),
  ]);
  return "stored";
}

export interface EscalationSummary {
  acked: number;
  retried: number;
  deadLettered: number;
  /** The escalations whose strong verdict this delivery stored (each re-score once, for tracing). */
  rescored: EscalationMessage[];
}

/** The escalation queue's consumer: each message acked once its verdict is stored, retried otherwise. */
export async function consumeEscalations(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<EscalationSummary> {
  const summary: EscalationSummary = { acked: 0, retried: 0, deadLettered: 0, rescored: [] };
  const valid: { msg: Message<unknown>; m: EscalationMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = EscalationMessageSchema.safeParse(typeof msg.body === "string" ? JSON.parse(msg.body) : msg.body);
    if (parsed.success) valid.push({ msg, m: parsed.data });
    else {
      if (deps.dlq) await deps.dlq.send({ reason: z.prettifyError(parsed.error).slice(0, 2_000), messageId: msg.id, attempts: msg.attempts, failedAt: deps.now(), body: msg.body });
      msg.ack();
      summary.deadLettered++;
    }
  }
  if (valid.length === 0) return summary;
  const book = await loadPriceBook(deps.db, valid.map((v) => v.m.request.tenantId));
  await mapLimit(valid, deps.concurrency, async ({ msg, m }) => {
    const outcome = await finishEscalation(msg, m, book, deps).catch((err: unknown) => {
      console.error(JSON.stringify({ msg: "escalation failed, will retry", id: msg.id, error: String(err).slice(0, 300) }));
      return "retry" as const;
    });
    if (outcome === "stored") summary.rescored.push(m);
    if (outcome !== "retry") {
      msg.ack();
      summary.acked++;
    } else {
      msg.retry({ delaySeconds: Math.min(300, 2 ** Math.max(1, msg.attempts)) });
      summary.retried++;
    }
  });
  return summary;
}
