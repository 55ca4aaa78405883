/**
 * Puts the usage event on the queue after the response (ctx.waitUntil), packed per isolate
 * (see event-batcher.ts): at load, one queue message carries many requests' events.
 *
 * The event is not re-validated here: `UsageEvent` is the type inferred from the zod schema;
 * the producers are `buildChatEvent` (a property test checks that whatever it builds passes
 * the schema) and the embeddings route (a literal whose fields are bounded by its request
 * schema); and the evaluator validates every message it consumes (a malformed one is reported
 * and dead-lettered, never written). Validating again on the request path cost about
 * 7% of the gateway's CPU under load (zod cannot JIT inside workerd). Publishing never fails
 * the request it describes.
 */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { EventBatcher } from "./event-batcher";
import { recordPublished } from "./metrics/published";

function logLoss(err: unknown, lost: number): void {
  console.error(JSON.stringify({ level: "error", msg: "usage events not queued", lost, error: err instanceof Error ? err.name : "unknown" }));
}

// One batcher per queue binding: the binding outlives requests, so events from concurrent
// requests in this isolate share batches.
const batchers = new WeakMap<Queue, EventBatcher>();

function batcherFor(queue: Queue): EventBatcher {
  let batcher = batchers.get(queue);
  if (!batcher) {
    batcher = new EventBatcher(() => queue as Queue<string>, undefined, logLoss, recordPublished);
    batchers.set(queue, batcher);
  }
  return batcher;
}

/**
 * Adds the event to this isolate's next batch. Only the request whose event starts (or fills)
 * a batch hands the batch's send to `waitUntil`; the others need nothing kept alive, so most
 * requests register no background work at all. Never throws: a lost event is logged.
 */
export function publishEvent(queue: Queue, event: UsageEvent, waitUntil: (p: Promise<unknown>) => void): void {
  try {
    const sending = batcherFor(queue).add(event);
    if (sending) waitUntil(sending);
  } catch (err) {
    logLoss(err, 1);
  }
}
