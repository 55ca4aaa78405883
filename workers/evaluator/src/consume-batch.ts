/**
 * The queue consumer. A message carries a pack of events (or one bare event); each message is
 * acked or retried on its own (one bad message never holds back the others), with exponential
 * backoff: it is acked once every event in it is recorded (or dead-lettered), and retried
 * whole if one of its events failed (the others' writes are idempotent, and a judged event is
 * never judged again). Invalid events are dead-lettered one by one with a reason instead of
 * being retried forever; at most `concurrency` events run at once.
 * Ledger writes go to D1 in chunks of events (one transaction each: D1 round trips dominate
 * the cost); a failed chunk falls back to one transaction per event, so only the events
 * whose own write fails are retried. Nothing is acked before its ledger row is committed; a
 * crash anywhere means redelivery, and redelivery is harmless because every write is
 * idempotent.
 */
import type { UsageEvent } from "../../../shared/schemas/usage-event";
import { auditCacheHit, wantsCacheAudit } from "./cache-audit/audit-cache-hit";
import { forEachLimit } from "./concurrency";
import { judgingWithinBudget } from "./judge/monthly-budgets";
import { ensurePricesSeeded, loadPriceBook, type PriceBook } from "./pricing/price-book";
import { judgeEvent, ledgerBatchFor, parseMessage, wantsJudging, type ConsumerDeps } from "./process-event";

export interface BatchSummary {
  acked: number;
  retried: number;
  deadLettered: number;
}

/** Events per D1 transaction (3 statements each). */
export const LEDGER_CHUNK = 25;

/** 2s, 4s, 8s ... capped at 5 minutes (Queues allow up to 12h). */
export const backoffSeconds = (attempts: number): number => Math.min(300, 2 ** Math.max(1, attempts));

interface Item {
  msg: Message<unknown>;
  event: UsageEvent;
}

function logFailure(msg: Message<unknown>, err: unknown): void {
  console.error(JSON.stringify({ msg: "usage event failed, will retry", id: msg.id, attempts: msg.attempts, error: String(err).slice(0, 300) }));
}

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

/** Returns the items whose ledger rows are committed. */
async function recordLedger(items: Item[], book: PriceBook, deps: ConsumerDeps): Promise<Item[]> {
  const committed: Item[] = [];
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += LEDGER_CHUNK) chunks.push(items.slice(i, i + LEDGER_CHUNK));
  await forEachLimit(chunks, Math.max(1, Math.ceil(deps.concurrency / 4)), async (chunk) => {
    try {
      const statements = await Promise.all(chunk.map((it) => ledgerBatchFor(it.event, book, deps)));
      await deps.db.batch(statements.flat());
      committed.push(...chunk);
    } catch {
      await forEachLimit(chunk, deps.concurrency, async (it) => {
        try {
          await deps.db.batch(await ledgerBatchFor(it.event, book, deps));
          committed.push(it);
        } catch (err) {
          logFailure(it.msg, err);
        }
      });
    }
  });
  return committed;
}

/**
 * Judges (or audits) a recorded event; false means its message must be retried. Judge spend is
 * the call's own spend: none once a budget the call is charged to is used up (monthly-budgets.ts).
 */
async function finish(it: Item, book: PriceBook, deps: ConsumerDeps): Promise<boolean> {
  try {
    const judging = wantsJudging(it.event, deps);
    if (!judging && !wantsCacheAudit(it.event, deps)) return true;
    if ((await judgingWithinBudget(deps.db, [it], deps.now())).length === 0) return true;
    if (judging) return await judgeEvent(it.event, it.msg.attempts, book, deps);
    return await auditCacheHit(it.event, it.msg.attempts, book, deps);
  } catch (err) {
    logFailure(it.msg, err);
    return false;
  }
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
  const committed = new Set(await recordLedger(items, book, deps));
  for (const it of items) {
    if (committed.has(it)) continue;
    retry.add(it.msg);
    summary.retried++;
  }
  // An event carried by two messages of one batch is judged once (a second panel run would be
  // paid for and thrown away): duplicates share the first one's outcome.
  const outcomes = new Map<string, Promise<boolean>>();
  await forEachLimit([...committed], deps.concurrency, async (it) => {
    const key = `${it.event.tenantId}\u0000${it.event.requestId}`;
    let outcome = outcomes.get(key);
    if (!outcome) {
      outcome = finish(it, book, deps);
      outcomes.set(key, outcome);
    }
    if (await outcome) summary.acked++;
    else {
      retry.add(it.msg);
      summary.retried++;
    }
  });
  settle(batch.messages);
  return summary;
}
