/**
 * The queue consumer. Each message is acked or retried on its own (one bad message never
 * holds back the other 99), with exponential backoff; invalid events are dead-lettered with a
 * reason instead of being retried forever; at most `concurrency` messages run at once.
 * Nothing is acked before its ledger row is committed, so a crash anywhere means redelivery,
 * and redelivery is harmless because every write is idempotent.
 */
import { forEachLimit } from "./concurrency";
import { loadPriceBook, ensurePricesSeeded } from "./pricing/price-book";
import { judgeEvent, parseBody, recordLedger, wantsJudging, type ConsumerDeps, type ParsedBody } from "./process-event";
import type { PriceBook } from "./pricing/price-book";

export type Outcome = "acked" | "retried" | "dead-lettered";
export interface BatchSummary {
  acked: number;
  retried: number;
  deadLettered: number;
}

/** 2s, 4s, 8s ... capped at 5 minutes (Queues allow up to 12h). */
export const backoffSeconds = (attempts: number): number => Math.min(300, 2 ** Math.max(1, attempts));

async function deadLetter(msg: Message<unknown>, reason: string, deps: ConsumerDeps): Promise<Outcome> {
  if (!deps.dlq) {
    console.warn(JSON.stringify({ msg: "invalid usage event, no DLQ binding; retrying into the platform DLQ", id: msg.id }));
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    return "retried";
  }
  await deps.dlq.send({ reason, messageId: msg.id, attempts: msg.attempts, failedAt: deps.now(), body: msg.body });
  msg.ack();
  return "dead-lettered";
}

async function handle(msg: Message<unknown>, parsed: ParsedBody, book: PriceBook, deps: ConsumerDeps): Promise<Outcome> {
  if (!parsed.ok) return deadLetter(msg, parsed.reason, deps);
  try {
    await recordLedger(parsed.event, book, deps);
    if (wantsJudging(parsed.event, deps) && !(await judgeEvent(parsed.event, msg.attempts, book, deps))) {
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      return "retried";
    }
    msg.ack();
    return "acked";
  } catch (err) {
    console.error(JSON.stringify({ msg: "usage event failed, will retry", id: msg.id, attempts: msg.attempts, error: String(err).slice(0, 300) }));
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
    return "retried";
  }
}

export async function consumeBatch(batch: MessageBatch<unknown>, deps: ConsumerDeps): Promise<BatchSummary> {
  const parsed = batch.messages.map((m) => parseBody(m.body));
  const tenants = parsed.flatMap((p) => (p.ok ? [p.event.tenantId] : []));
  await ensurePricesSeeded(deps.db);
  const book = await loadPriceBook(deps.db, tenants);
  const summary: BatchSummary = { acked: 0, retried: 0, deadLettered: 0 };
  await forEachLimit(batch.messages, deps.concurrency, async (msg, i) => {
    const outcome = await handle(msg, parsed[i] as ParsedBody, book, deps);
    if (outcome === "acked") summary.acked++;
    else if (outcome === "retried") summary.retried++;
    else summary.deadLettered++;
  });
  return summary;
}
