/**
 * Usage events leave an isolate packed: the events produced within a short linger window go
 * out as ONE queue message (a UsageEventPack, see shared/schemas/usage-event.ts) rather than
 * one message per request. Queues bill per message (and per 64 KB of it), and each message
 * costs the producer serialization and bookkeeping, so packing is cheaper on both counts
 * (a bench:hotpath A/B run measured the per-message path at ~40 us of workerd CPU per
 * request under the local Queue simulator). Each event is serialized once, on arrival: that gives
 * its exact UTF-8 size for the 128 KB message cap, and the pack is sent as that text. The
 * first event of a pack starts the linger timer whose promise is handed to that request's
 * waitUntil, so the isolate stays alive until the pack is out; a full pack (by count or bytes)
 * goes at once, kept alive by the request that filled it.
 */
import { MAX_EVENTS_PER_PACK, PACK_MAX_BYTES, type UsageEvent } from "../../../../shared/schemas/usage-event";

export interface BatchSender {
  sendBatch(messages: Iterable<MessageSendRequest<string>>): Promise<unknown>;
}

export interface BatcherOptions {
  /** Events per pack (one queue message). */
  maxMessages: number;
  /** Serialized UTF-8 bytes per pack; Queues cap a message at 128 KB. */
  maxBytes: number;
  /** How long the first event of a pack waits for company. */
  lingerMs: number;
}

/** What the producer's queue-lag count needs of an event (metrics/published.ts). */
export type SentFact = Pick<UsageEvent, "tenantId" | "feature" | "completedAt">;

export const DEFAULT_BATCHER: BatcherOptions = { maxMessages: MAX_EVENTS_PER_PACK, maxBytes: PACK_MAX_BYTES, lingerMs: 50 };

const PACK_OPEN = '{"pack":1,"events":[';
const PACK_CLOSE = "]}";

export class EventBatcher {
  /** Events already serialized: each is stringified once, which also gives its exact size. */
  private pending: string[] = [];
  private facts: SentFact[] = [];
  private bytes = 0;
  private timer: Promise<void> | null = null;

  constructor(
    private readonly sender: () => BatchSender,
    private readonly options: BatcherOptions = DEFAULT_BATCHER,
    private readonly onError: (err: unknown, lost: number) => void = () => undefined,
    /** Told of each event once the queue accepted its pack (not before: a lost pack is not waiting). */
    private readonly onSent: (event: SentFact) => void = () => undefined,
  ) {}

  /**
   * Adds an event; returns the promise the caller must pass to waitUntil (null if none
   * needed): the linger timer when this event starts a pack, or the send of a pack this event
   * completed.
   */
  add(event: UsageEvent): Promise<void> | null {
    const room = this.options.maxBytes - PACK_OPEN.length - PACK_CLOSE.length;
    let json = JSON.stringify(event);
    let size = utf8Bytes(json) + 1;
    if (size > room && event.content) {
      // A huge exchange (a very long prompt) cannot ride in a queue message: the event still
      // goes (usage and cost must be counted), without the content the judges would have read.
      json = JSON.stringify({ ...event, content: undefined, decisions: { ...event.decisions, contentOmitted: "too_large_for_queue" } });
      size = utf8Bytes(json) + 1;
    }
    // The open pack cannot take this event: send it now, and this request keeps it alive.
    const full = this.bytes + size > room && this.pending.length > 0 ? this.flush() : null;
    this.pending.push(json);
    this.facts.push({ tenantId: event.tenantId, feature: event.feature, completedAt: event.completedAt });
    this.bytes += size;
    if (this.pending.length >= this.options.maxMessages) return both(full, this.flush());
    if (this.timer) return full;
    this.timer = new Promise<void>((resolve) => setTimeout(resolve, this.options.lingerMs)).then(() => this.flush());
    return both(full, this.timer);
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    const facts = this.facts;
    this.pending = [];
    this.facts = [];
    this.bytes = 0;
    this.timer = null;
    if (batch.length === 0) return;
    try {
      // The pack is assembled from the serialized events and sent as text: nothing is
      // serialized twice. The consumer parses it (evaluator/process-event.ts parseMessage).
      await this.sender().sendBatch([{ body: `${PACK_OPEN}${batch.join(",")}${PACK_CLOSE}`, contentType: "text" }]);
      for (const f of facts) this.onSent(f);
    } catch (err) {
      this.onError(err, batch.length);
    }
  }
}

function both(a: Promise<void> | null, b: Promise<void>): Promise<void> {
  return a ? Promise.all([a, b]).then(() => undefined) : b;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * UTF-8 length of a JSON text (the queue cap is in bytes; a CJK character is one UTF-16 unit
 * but three bytes). Well-formed JSON.stringify output has no lone surrogates, so a high
 * surrogate always starts a 4-byte pair.
 */
export function utf8Bytes(json: string): number {
  if (ASCII.test(json)) return json.length;
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
