/**
 * Judging for one consumer batch, in two steps so the judge calls overlap the batch's ledger
 * writes (the consumer acks an event once both are done):
 *   prepareJudging (before any write of the batch): one D1 round trip for what is already
 *     decided (redeliveries judge and bill nothing twice) and for the spend since the start
 *     of the day per tenant (budget.ts), plus this batch's inference, priced in memory;
 *   runJudging: tiered judging, `concurrency` answers at once (tiered.ts); the outcomes
 *     written as they are decided, in D1 batches of JUDGE_WRITE_CHUNK answers with their
 *     coverage rollup (one transaction each; a failed chunk falls back to one transaction per
 *     answer); the
 *     escalations sent to the strong-judge queue in a few sendBatch calls.
 */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { forEachLimit, limiter } from "../concurrency";
import { ledgerInsert, ledgerStatements, newNonce, rollupStatements } from "../ledger/ledger-statements";
import type { PriceBook } from "../pricing/price-book";
import type { ConsumerDeps } from "../process-event";
import { ledgerRowFromEvent } from "../ledger/ledger-row";
import { loadJudgeBudget, type JudgeBudget } from "./budget";
import { panelVersion } from "./config";
import { coverageStatements, fallbackStatement, priorOutcomes } from "./coverage-store";
import { archivedCoverageStatement, archiveEvaluations, evaluationPlacement, type ArchivedEvaluation } from "./evaluation-sampling";
import { escalationMessage, sendEscalations, type EscalationMessage } from "./escalation";
import { evaluationErrorStatement, evaluationStatements, judgeLedgerRow } from "./evaluation-store";
import { DEFAULT_JUDGE_POLICY } from "./policy";
import type { JudgeOutcome } from "./panel";
import { finishAnswer, firstPassJudges, prepareAnswer, type TieredDecision } from "./tiered";
import { runTriage } from "./triage";

/** Answers per D1 transaction (an evaluation and its judges' ledger rows each). */
export const JUDGE_WRITE_CHUNK = 20;

export interface JudgeItem {
  event: UsageEvent;
  attempts: number;
}

interface Written {
  item: JudgeItem;
  /** The rows to write with the chunk's nonce, and the ids of the ledger rows among them (their rollup is grouped); an evaluation sampled out of D1 comes back as `archived`. */
  statements: (nonce: string) => { statements: D1PreparedStatement[]; ledgerIds: string[]; archived?: ArchivedEvaluation };
  escalation?: EscalationMessage;
}

function logFailure(event: UsageEvent, err: unknown): void {
  console.error(JSON.stringify({ msg: "judging failed, will retry", requestId: event.requestId, error: String(err).slice(0, 300) }));
}

/** Judges unreachable, message retried: what their answered-but-unusable calls cost, to bill now. */
interface Retry {
  retry: true;
  billing: D1PreparedStatement[];
}

/** What to write for one decision. */
function toWrite(item: JudgeItem, d: TieredDecision, book: PriceBook, deps: ConsumerDeps, now: number): Written | Retry {
  const { event } = item;
  const version = panelVersion(deps.judges);
  const content = event.content;
  if (!content) return { retry: true, billing: [] };
  if (d.kind === "fallback") return { item, statements: (n) => ({ statements: [fallbackStatement(deps.db, event, d.checks, d.reason, n, now)], ledgerIds: [] }) };
  if (d.kind === "evaluated") {
    const pending = d.escalation.state === "pending";
    // A pending escalation is updated in D1 later; a verdict without a judge call has no ledger row to mark it decided.
    const placement = evaluationPlacement(event, pending || d.panel.judges.length === 0, deps);
    return {
      item,
      statements: (n) => evaluationStatements(deps.db, event, d.panel, d.escalation, book, version, n, now, placement),
      ...(pending ? { escalation: escalationMessage(event, content, d.escalation.reasons, event.decisions["finishReason"]) } : {}),
    };
  }
  // Judges unreachable. Calls that were answered but unusable were still paid for: billed once
  // per delivery attempt (the attempt number is in the row id, so a replay adds nothing).
  const paid = d.error.judges.filter((j) => j.usage.input.total + j.usage.output.total > 0).map((j) => judgeLedgerRow(event, j, book, now, `judge-failed-${item.attempts}`));
  if (item.attempts < deps.maxJudgeAttempts) return { retry: true, billing: paid.flatMap((r) => ledgerStatements(deps.db, r, newNonce(), now)) };
  return {
    item,
    statements: (n) => ({
      statements: [...paid.map((r) => ledgerInsert(deps.db, r, n, now)), evaluationErrorStatement(deps.db, event, d.error.message, version, n, now)],
      ledgerIds: paid.map((r) => r.requestId),
    }),
  };
}

/**
 * One transaction: the answers' rows, their grouped rollup and their coverage. Evaluations
 * sampled out of D1 are put in R2 first: a failed put fails the chunk before D1 is touched, and
 * a D1 failure after it leaves an object the retry rewrites (same first row) or supersedes.
 */
async function writeTogether(ws: readonly Written[], deps: ConsumerDeps): Promise<void> {
  const nonce = newNonce();
  const parts = ws.map((w) => w.statements(nonce));
  const archived = parts.flatMap((p) => (p.archived ? [p.archived] : []));
  if (archived.length && deps.evaluationArchive) await archiveEvaluations(archived.map((a) => a.row), deps.evaluationArchive);
  await deps.db.batch([
    ...parts.flatMap((p) => p.statements),
    ...rollupStatements(deps.db, parts.flatMap((p) => p.ledgerIds), nonce),
    ...coverageStatements(deps.db, ws.map((w) => w.item.event.requestId), nonce),
    ...archivedCoverageStatement(deps.db, archived, nonce),
  ]);
}

/**
 * Writes outcomes as they are decided, in chunks of JUDGE_WRITE_CHUNK, two chunks at a time,
 * while the batch's other judge calls are still running (writing after the last call made the
 * writes a second, serial phase of every batch). A failed chunk falls back to one transaction
 * per answer.
 */
class OutcomeWriter {
  readonly all: Written[] = [];
  readonly committed = new Set<JudgeItem>();
  private buffer: Written[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: ConsumerDeps) {}

  async add(w: Written): Promise<void> {
    this.all.push(w);
    this.buffer.push(w);
    if (this.buffer.length >= JUDGE_WRITE_CHUNK) await this.flush();
  }

  /** Waits for every write; returns the outcomes committed. */
  async done(): Promise<Written[]> {
    await this.flush();
    await Promise.all(this.inFlight);
    return this.all.filter((w) => this.committed.has(w.item));
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = [];
    if (chunk.length === 0) return;
    while (this.inFlight.size >= 2) await Promise.race(this.inFlight);
    const write = this.write(chunk).finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  private async write(chunk: Written[]): Promise<void> {
    try {
      await writeTogether(chunk, this.deps);
      for (const w of chunk) this.committed.add(w.item);
    } catch {
      await forEachLimit(chunk, 4, async (w) => {
        try {
          await writeTogether([w], this.deps);
          this.committed.add(w.item);
        } catch (err) {
          logFailure(w.item.event, err);
        }
      });
    }
  }
}

export interface PreparedJudging {
  items: readonly JudgeItem[];
  todo: JudgeItem[];
  resend: EscalationMessage[];
  budget: JudgeBudget;
  book: PriceBook;
  now: number;
}

/**
 * Reads what judging needs before the batch writes anything: had the ledger rows of this
 * batch been committed first, the rollups would already hold their inference; read before,
 * it is added from `batch` here instead, so the allowance is the same either way (a
 * redelivered event whose ledger row exists counts twice: a small, one-off over-allowance).
 */
export async function prepareJudging(items: readonly JudgeItem[], batch: readonly UsageEvent[], book: PriceBook, deps: ConsumerDeps): Promise<PreparedJudging> {
  const now = deps.now();
  const policy = deps.policy ?? DEFAULT_JUDGE_POLICY;
  const since = Math.min(now, ...items.map((it) => it.event.completedAt));
  const [prior, budget] = await Promise.all([
    priorOutcomes(deps.db, items.map((it) => it.event.requestId)),
    loadJudgeBudget(deps.db, policy, deps.judges, items.map((it) => it.event.tenantId), since),
  ]);
  for (const e of batch) budget.addInference(e.tenantId, ledgerRowFromEvent(e, book, deps.counterfactualModel).costUsd);
  // A pending escalation whose message may not have been sent (the delivery failed after the
  // write): sent again; the escalation consumer finishes a request once whatever arrives.
  const resend = items.flatMap((it) => {
    const p = prior.get(it.event.requestId);
    return p?.kind === "evaluation" && p.escalationState === "pending" && it.event.content ? [escalationMessage(it.event, it.event.content, p.reasons, it.event.decisions["finishReason"])] : [];
  });
  return { items, todo: items.filter((it) => !prior.has(it.event.requestId)), resend, budget, book, now };
}

/** Judges, writes and escalates; returns the events whose message must be retried. */
export async function runJudging(p: PreparedJudging, deps: ConsumerDeps): Promise<Set<UsageEvent>> {
  const retry = new Set<UsageEvent>();
  const { todo, book, now } = p;
  const ctx = { judges: deps.judges, policy: deps.policy ?? DEFAULT_JUDGE_POLICY, budget: p.budget, book, transport: deps, strongInline: !deps.escalations, now };
  const writer = new OutcomeWriter(deps);
  const onDecision = async (item: JudgeItem, decision: TieredDecision): Promise<void> => {
    // Rows carry the time the verdict was reached (the lag a user sees), not the batch's start.
    const w = toWrite(item, decision, book, deps, deps.now());
    if (!("retry" in w)) return writer.add(w);
    retry.add(item.event);
    // Billing must not turn a judging failure into a storage failure: a lost row is logged.
    if (w.billing.length) await deps.db.batch(w.billing).catch((e: unknown) => logFailure(item.event, e));
  };
  const prepared = todo.flatMap((item) => (item.event.content ? [{ item, content: item.event.content, tenantId: item.event.tenantId, p: prepareAnswer(item.event, item.event.content, item.event.decisions["finishReason"], ctx) }] : []));
  // Strong judges may run inline (no escalation queue): `concurrency` answers are finished at once.
  const gate = limiter(deps.concurrency);
  const finishing: Promise<void>[] = [];
  const finish = (x: (typeof prepared)[number], outcomes: readonly JudgeOutcome[]): Promise<void> =>
    gate(async () => {
      try {
        await onDecision(x.item, x.p.kind === "decided" ? x.p.decision : await finishAnswer(x.item.event, x.content, x.p, outcomes, ctx));
      } catch (err) {
        logFailure(x.item.event, err);
        retry.add(x.item.event);
      }
    });
  for (const x of prepared) if (x.p.kind === "decided") finishing.push(finish(x, []));
  await runTriage(prepared.filter((x) => x.p.kind === "triage"), firstPassJudges(deps.judges), deps, deps.concurrency, (x, outcomes) => void finishing.push(finish(x, outcomes)));
  await Promise.all(finishing);
  const committed = await writer.done();
  for (const w of writer.all) if (!writer.committed.has(w.item)) retry.add(w.item.event);
  const messages = [...committed.flatMap((w) => (w.escalation ? [w.escalation] : [])), ...p.resend];
  if (messages.length && deps.escalations) {
    try {
      await sendEscalations(deps.escalations, messages);
    } catch (err) {
      // The evaluations say 'pending': the retried messages send them again.
      const ids = new Set(messages.map((m) => m.request.requestId));
      for (const it of p.items) if (ids.has(it.event.requestId)) retry.add(it.event);
      console.error(JSON.stringify({ msg: "escalations not sent, will retry", count: messages.length, error: String(err).slice(0, 300) }));
    }
  }
  return retry;
}
