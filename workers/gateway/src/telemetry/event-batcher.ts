/**
 * Usage events leave an isolate packed: the events produced within a short linger window go
 * out as ONE queue message (a UsageEventPack, see shared/schemas/usage-event.ts) rather than
 * one message per request. Queues bill per message (and per 64 KB of it), and each message
 * costs the producer serialization and bookkeeping, so packing is cheaper on both counts
 * (`npm run bench:hotpath` measured the per-message path at ~40 us of workerd CPU per
 * request under the local simulator). The first event of a pack starts the linger timer whose
 * promise is handed to that request's waitUntil, so the isolate stays alive until the pack is
 * out; a full pack (by count or estimated bytes) goes at once.
 */
import { MAX_EVENTS_PER_PACK, PACK_MAX_BYTES, type UsageEvent, type UsageEventPack } from "../../../../shared/schemas/usage-event";

export interface BatchSender {
  sendBatch(messages: Iterable<MessageSendRequest<UsageEventPack>>): Promise<unknown>;
}

export interface BatcherOptions {
  /** Events per pack (one queue message). */
  maxMessages: number;
  /** Estimated serialized bytes per pack; Queues cap a message at 128 KB. */
  maxBytes: number;
  /** How long the first event of a pack waits for company. */
  lingerMs: number;
}

export const DEFAULT_BATCHER: BatcherOptions = { maxMessages: MAX_EVENTS_PER_PACK, maxBytes: PACK_MAX_BYTES, lingerMs: 50 };

export class EventBatcher {
  private pending: UsageEvent[] = [];
  private bytes = 0;
  private timer: Promise<void> | null = null;

  constructor(
    private readonly sender: () => BatchSender,
    private readonly options: BatcherOptions = DEFAULT_BATCHER,
    private readonly onError: (err: unknown, lost: number) => void = () => undefined,
  ) {}

  /** Adds an event; returns the promise the caller must pass to waitUntil (null if none needed). */
  add(event: UsageEvent): Promise<void> | null {
    const size = approximateSize(event);
    if (this.bytes + size > this.options.maxBytes && this.pending.length > 0) void this.flush();
    this.pending.push(event);
    this.bytes += size;
    if (this.pending.length >= this.options.maxMessages) return this.flush();
    if (this.timer) return null;
    this.timer = new Promise<void>((resolve) => setTimeout(resolve, this.options.lingerMs)).then(() => this.flush());
    return this.timer;
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.bytes = 0;
    this.timer = null;
    if (batch.length === 0) return;
    try {
      await this.sender().sendBatch([{ body: { pack: 1, events: batch }, contentType: "json" }]);
    } catch (err) {
      this.onError(err, batch.length);
    }
  }
}

/**
 * Serialized size, near enough for the pack byte cap without serializing whole events on the
 * request path: the scalar fields fit in a fixed allowance, attempts and stages are bounded per
 * entry by the schema, and only the free-form parts (decisions, content) are measured.
 */
const SCALAR_FIELDS_BYTES = 2_048;
const ATTEMPT_BYTES = 800; // model/tier/upstream names plus a reason of at most 500 chars
const STAGE_BYTES = 64;
function approximateSize(event: UsageEvent): number {
  return (
    SCALAR_FIELDS_BYTES +
    event.requestedModel.length * 3 +
    event.attempts.length * ATTEMPT_BYTES +
    event.stages.length * STAGE_BYTES +
    utf8Bytes(JSON.stringify(event.decisions)) +
    (event.content ? utf8Bytes(JSON.stringify(event.content)) : 0)
  );
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
