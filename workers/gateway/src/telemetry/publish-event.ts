/**
 * Puts the usage event on the queue after the response (ctx.waitUntil). The event is
 * validated against its schema first: a bug that would put unredacted or malformed data on
 * the queue fails here, loudly in logs, instead of in the evaluator. Publishing never fails
 * the request it describes.
 */
import { UsageEventSchema, type UsageEvent } from "../../../../shared/schemas/usage-event";
import { EventBatcher, type BatchSender } from "./event-batcher";

export interface EventSink {
  send(event: UsageEvent): Promise<void>;
}

export function queueSink(queue: Queue): EventSink {
  return { send: async (event) => {
      await queue.send(event, { contentType: "json" });
    },
  };
}

export async function publishEvent(sink: EventSink, event: UsageEvent): Promise<void> {
  const parsed = UsageEventSchema.safeParse(event);
  if (!parsed.success) {
    console.error(JSON.stringify({ level: "error", requestId: event.requestId, msg: "usage event failed validation", issues: parsed.error.issues.length }));
    return;
  }
  try {
    await sink.send(parsed.data);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", requestId: event.requestId, msg: "usage event not queued", error: err instanceof Error ? err.name : "unknown" }));
  }
}
