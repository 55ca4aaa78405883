/**
 * Publishing a chat request's usage event, so that metering never fails silently: if the full
 * event cannot be built, a minimal one (fallback-event.ts) is published instead, so the request
 * is still billed and in the ledger; the limiter and budget reservations are settled whatever
 * happens, and a failing observer (traces, live metrics) costs neither.
 */
import type { UsageEventV1 } from "../../../../shared/schemas/usage-event";
import { publishEvent } from "../telemetry/publish-event";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { fallbackChatEvent } from "./fallback-event";

export type ChatEventBuilder = (ex: ChatExchange, result: ExchangeResult) => UsageEventV1;
type WaitUntil = (p: Promise<unknown>) => void;

const errorName = (err: unknown): string => (err instanceof Error ? err.name : "unknown");

/** Builds and queues the event, or its minimal fallback. Never throws; logs no request text. */
export function publishChatEvent(queue: Queue, ex: ChatExchange, result: ExchangeResult, waitUntil: WaitUntil, build: ChatEventBuilder = buildChatEvent): void {
  let event: UsageEventV1 | null;
  try {
    event = build(ex, result);
  } catch (err) {
    event = fallbackChatEvent(ex, result, err);
    const msg = event ? "usage event not built: a minimal one is published" : "usage event not built and no minimal one either: lost";
    console.error(JSON.stringify({ level: "error", msg, requestId: event?.requestId ?? null, error: errorName(err) }));
  }
  if (event) publishEvent(queue, event, waitUntil);
}

export interface ChatPublisherDeps {
  queue: Queue;
  waitUntil: WaitUntil;
  /** OpenTelemetry span and live metrics for the request (null when both are off). */
  observe: ((result: ExchangeResult) => void) | null;
  /** Replaces the rate limiter's and the budget's reservations by what the call really used. */
  settle: (result: ExchangeResult) => void;
  build?: ChatEventBuilder;
}

/**
 * The request's publisher: once per request (a stage that already published, e.g. a billed
 * answer the output policy then withheld, is not published again by the error path).
 */
export function chatPublisher(ex: ChatExchange, deps: ChatPublisherDeps): (result: ExchangeResult) => void {
  let published = false;
  return (result) => {
    if (published) return;
    published = true;
    try {
      publishChatEvent(deps.queue, ex, result, deps.waitUntil, deps.build);
      deps.observe?.(result);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "request observer failed", requestId: ex.requestId, error: errorName(err) }));
    } finally {
      // Settled even when nothing could be published: the reservation must not outlive the call.
      deps.settle(result);
    }
  };
}
