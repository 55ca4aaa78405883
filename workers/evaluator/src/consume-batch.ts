/**
 * The queue consumer. A message carries a pack of events (or one bare event); each message is
 * acked or retried on its own (one bad message never holds back the others), with exponential
 * backoff: it is acked once every event in it is recorded (or dead-lettered), and retried
 * whole if one of its events failed (the others' writes are idempotent, and a judged event is
 * never judged again). Invalid events are dead-lettered one by one with a reason instead of
 * being retried forever; at most `concurrency` events run at once.
 * Ledger writes go to D1 in chunks (record-ledger.ts: one transaction each; a failed chunk
 * falls back to one transaction per event, or per message with ROLLUP_DEDUP=message). Nothing
 * is acked before its ledger row is committed (or, sampled out of D1, written to R2 and counted
 * in its pack's rollups); a crash anywhere means redelivery, and redelivery is harmless because
 * every write is idempotent.
 */
import type { UsageEvent } from "../../../shared/schemas/usage-event";
import { auditCacheHit, wantsCacheAudit } from "./cache-audit/audit-cache-hit";
import { forEachLimit } from "./concurrency";
import { ensurePricesSeeded, loadPriceBook, type PriceBook } from "./pricing/price-book";
import { prepareJudging, runJudging } from "./judge/judge-batch";
import { judgingWithinBudget } from "./judge/monthly-budgets";
import { parseMessage, wantsJudging, type ConsumerDeps } from "./process-event";
import { logFailure, recordLedger, type Item } from "./record-ledger";
import { archiveSampledOut } from "./archive/sampled-out";
import { ledgerInD1, sampledOutLedger } from "./ledger/ledger-sampling";
import { sampledOutTraces, traceInD1 } from "./trace/trace-sampling";

export interface BatchSummary {
  acked: number;
  retried: number;
  deadLettered: number;
}

/** 2s, 4s, 8s ... capped at 5 minutes (Queues allow up to 12h). */
export const backoffSeconds = (attempts: number): number => Math.min(300, 2 ** Math.max(1, attempts));

/**
 * Sends one invalid body (a whole message, or one event of a pack) to the DLQ. Returns false
 * when there is no DLQ binding: the message must then be retried, which carries it into the
 * platform's dead-letter queue.
 */
async function deadLetter(msg: Message<unknown>, body: unknown, reason: string, deps: ConsumerDeps): Promise<boolean> {
  if (!deps.dlq) {
    console.warn(JSON.stringify({ msg: "invalid usage event, no DLQ binding", id: msg.id, reason: reason.slice(0, 300) }));
    return false;
  }
  await deps.dlq.send({ reason, messageId: msg.id, attempts: msg.attempts, failedAt: deps.now(), body });
  return true;
}

/** Audits a recorded semantic cache hit when it is marked and sampled; false = retry its message. */
async function audit(it: Item, book: PriceBook, deps: ConsumerDeps): Promise<boolean> {
  try {
    return wantsCacheAudit(it.event, deps) ? await auditCacheHit(it.event, it.msg.attempts, book, deps) : true;
  } catch (err) {
    logFailure(it.msg, err);
    return false;
  }
}

const eventKey = (e: UsageEvent): string => `${e.tenantId}\u0000${e.requestId}`;

/** One entry per event: an event carried by two messages of one batch is judged once (a second run would be paid for and thrown away). */
function uniqueEvents(items: readonly Item[]): Item[] {
  const seen = new Set<string>();
  return items.filter((it) => !seen.has(eventKey(it.event)) && seen.add(eventKey(it.event)));
}

/**
 * The ledger and judging of a batch, overlapped: judging reads what it needs first, then its
 * judge calls run while the ledger rows are written; cache audits follow for the recorded
 * hits. Returns the items whose ledger row is committed and the keys of events to retry
 * (duplicates share the first one's outcome).
 */
async function recordAndEvaluate(items: Item[], book: PriceBook, deps: ConsumerDeps): Promise<{ committed: Set<Item>; failed: Set<string> }> {
  const unique = uniqueEvents(items);
  // Judge spend is the call's own: none once a budget it is charged to is used up (monthly-budgets.ts).
  const judged = await judgingWithinBudget(deps.db, unique.filter((it) => wantsJudging(it.event, deps)), deps.now());
  const prepared = await prepareJudging(judged.map((it) => ({ event: it.event, attempts: it.msg.attempts })), unique.map((it) => it.event), book, deps);
  const tracesOut = deps.traceArchive ? unique.filter((it) => !traceInD1(it.event, deps)) : [];
  const ledgerOut = deps.ledgerArchive ? unique.filter((it) => !ledgerInD1(it.event, deps)) : [];
  const now = deps.now();
  const [committedList, judgingFailed, tracesFailed, ledgerFailed] = await Promise.all([
    recordLedger(items, book, deps),
    runJudging(prepared, deps),
    deps.traceArchive && tracesOut.length ? archiveSampledOut(tracesOut, deps.traceArchive, sampledOutTraces<Item>(deps.seal, now), deps.concurrency) : [],
    deps.ledgerArchive && ledgerOut.length ? archiveSampledOut(ledgerOut, deps.ledgerArchive, sampledOutLedger<Item>(book, deps.counterfactualModel, now), deps.concurrency) : [],
  ]);
  const committed = new Set(committedList);
  const failed = new Set([...[...judgingFailed].map(eventKey), ...[...tracesFailed, ...ledgerFailed].map((it) => eventKey(it.event))]);
  const judgedKeys = new Set(judged.map((it) => eventKey(it.event)));
  // A shadow check (a miss) is its own question, whether or not the rubric panel judged the answer too.
  const auditable = (it: Item): boolean => !judgedKeys.has(eventKey(it.event)) || it.event.cache === "miss";
  const audited = await judgingWithinBudget(deps.db, unique.filter((it) => committed.has(it) && auditable(it) && wantsCacheAudit(it.event, deps)), deps.now());
  await forEachLimit(audited, deps.concurrency, async (it) => {
    if (!(await audit(it, book, deps))) failed.add(eventKey(it.event));
  });
  return { committed, failed };
}

export async function consumeBatch(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<BatchSummary> {
  const summary: BatchSummary = { acked: 0, retried: 0, deadLettered: 0 };
  const items: Item[] = [];
  const invalid: { msg: Message<unknown>; body: unknown; reason: string }[] = [];
  for (const msg of batch.messages) {
    const parsed = parseMessage(msg.body);
    if (!parsed.ok) {
      invalid.push({ msg, body: msg.body, reason: parsed.reason });
      continue;
    }
    for (const e of parsed.events) {
      if (e.parsed.ok) items.push({ msg, event: e.parsed.event });
      else invalid.push({ msg, body: e.body, reason: e.parsed.reason });
    }
  }
  // Per message: retried if one of its events must be; acked otherwise, once all are handled.
  const retry = new Set<Message<unknown>>();
  const settled = new Set<Message<unknown>>();
  const settle = (messages: Iterable<Message<unknown>>) => {
    for (const msg of messages) {
      if (settled.has(msg)) continue;
      settled.add(msg);
      if (retry.has(msg)) msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      else msg.ack();
    }
  };
  await forEachLimit(invalid, deps.concurrency, async (x) => {
    if (await deadLetter(x.msg, x.body, x.reason, deps)) summary.deadLettered++;
    else {
      retry.add(x.msg);
      summary.retried++;
    }
  });
  // Messages with nothing valid in them are finished now: if a later step throws and the
  // batch is redelivered, they are not dead-lettered a second time.
  const withEvents = new Set(items.map((it) => it.msg));
  settle(batch.messages.filter((m) => !withEvents.has(m)));
  if (items.length === 0) return summary;
  // If prices cannot be read nothing is acked: the handler throws and the whole batch retries.
  await ensurePricesSeeded(deps.db);
  const book = await loadPriceBook(deps.db, items.map((it) => it.event.tenantId));
  const { committed, failed } = await recordAndEvaluate(items, book, deps);
  for (const it of items) {
    if (committed.has(it) && !failed.has(eventKey(it.event))) summary.acked++;
    else {
      retry.add(it.msg);
      summary.retried++;
    }
  }
  settle(batch.messages);
  return summary;
}
