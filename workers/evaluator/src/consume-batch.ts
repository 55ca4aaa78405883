/**
 * The queue consumer. Each message is acked or retried on its own (one bad message never
 * holds back the other 99), with exponential backoff; invalid events are dead-lettered with a
 * reason instead of being retried forever; at most `concurrency` messages run at once.
 * Ledger writes go to D1 in chunks of events (one transaction each: D1 round trips dominate
 * the cost); a failed chunk falls back to one transaction per event, so only the events
 * whose own write fails are retried. Nothing is acked before its ledger row is committed; a
 * crash anywhere means redelivery, and redelivery is harmless because every write is
 * idempotent.
 */
import type { UsageEvent } from "../../../shared/schemas/usage-event";
import { auditCacheHit, wantsCacheAudit } from "./cache-audit/audit-cache-hit";
import { forEachLimit } from "./concurrency";
import { ensurePricesSeeded, loadPriceBook, type PriceBook } from "./pricing/price-book";
import { judgeEvent, ledgerBatchFor, parseBody, wantsJudging, type ConsumerDeps } from "./process-event";

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

async function deadLetter(msg: Message<unknown>, reason: string, deps: ConsumerDeps, summary: BatchSummary): Promise<void> {
  if (!deps.dlq) {
    // Without the producer binding, retries carry the message into the platform DLQ.
    console.warn(JSON.stringify({ msg: "invalid usage event, no DLQ binding", id: msg.id, reason: reason.slice(0, 300) }));
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    summary.retried++;
    return;
  }
  await deps.dlq.send({ reason, messageId: msg.id, attempts: msg.attempts, failedAt: deps.now(), body: msg.body });
  msg.ack();
  summary.deadLettered++;
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

async function finish(it: Item, book: PriceBook, deps: ConsumerDeps, summary: BatchSummary): Promise<void> {
  try {
    const judged = async (): Promise<boolean> => {
      if (wantsJudging(it.event, deps)) return judgeEvent(it.event, it.msg.attempts, book, deps);
      if (wantsCacheAudit(it.event, deps)) return auditCacheHit(it.event, it.msg.attempts, book, deps);
      return true;
    };
    if (!(await judged())) {
      it.msg.retry({ delaySeconds: backoffSeconds(it.msg.attempts) });
      summary.retried++;
      return;
    }
    it.msg.ack();
    summary.acked++;
  } catch (err) {
    logFailure(it.msg, err);
    it.msg.retry({ delaySeconds: backoffSeconds(it.msg.attempts) });
    summary.retried++;
  }
}

export async function consumeBatch(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<BatchSummary> {
  const summary: BatchSummary = { acked: 0, retried: 0, deadLettered: 0 };
  const items: Item[] = [];
  const invalid: { msg: Message<unknown>; reason: string }[] = [];
  for (const msg of batch.messages) {
    const parsed = parseBody(msg.body);
    if (parsed.ok) items.push({ msg, event: parsed.event });
    else invalid.push({ msg, reason: parsed.reason });
  }
  await forEachLimit(invalid, deps.concurrency, (x) => deadLetter(x.msg, x.reason, deps, summary));
  if (items.length === 0) return summary;
  // If prices cannot be read nothing is acked: the handler throws and the whole batch retries.
  await ensurePricesSeeded(deps.db);
  const book = await loadPriceBook(deps.db, items.map((it) => it.event.tenantId));
  const committed = new Set(await recordLedger(items, book, deps));
  for (const it of items) {
    if (committed.has(it)) continue;
    it.msg.retry({ delaySeconds: backoffSeconds(it.msg.attempts) });
    summary.retried++;
  }
  await forEachLimit([...committed], deps.concurrency, (it) => finish(it, book, deps, summary));
  return summary;
}
