/**
 * Usage events leave an isolate in batches (Queue.sendBatch) rather than one send per
 * request: one queue operation carries up to 100 events, which is cheaper per event (Queues
 * bill per operation) and takes work off the request path. The first event of a batch starts
 * a short flush timer whose promise is handed to that request's waitUntil, so the isolate
 * stays alive until the batch is out; a full batch flushes at once.
 */
import type { UsageEvent } from "../../../../shared/schemas/usage-event";

export interface BatchSender {
  sendBatch(messages: Iterable<MessageSendRequest<UsageEvent>>): Promise<unknown>;
}

export interface BatcherOptions {
  /** Queues accept at most 100 messages and 256 KB per sendBatch. */
  maxMessages: number;
  maxBytes: number;
  /** How long the first event of a batch waits for company. */
  lingerMs: number;
}

export const DEFAULT_BATCHER: BatcherOptions = { maxMessages: 100, maxBytes: 200_000, lingerMs: 50 };

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
      await this.sender().sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
    } catch (err) {
      this.onError(err, batch.length);
    }
  }
}

/**
 * Serialized size, near enough for the batch byte cap without serializing whole events on the
 * request path: the scalar fields fit in a fixed allowance, attempts and stages are bounded per
 * entry by the schema, and only the free-form parts (decisions, content) are measured.
 */
const SCALAR_FIELDS_BYTES = 2_048;
const ATTEMPT_BYTES = 800; // model/tier/upstream names plus a reason of at most 500 chars
const STAGE_BYTES = 64;
function approximateSize(event: UsageEvent): number {
  return (
    SCALAR_FIELDS_BYTES +
    event.requestedModel.length +
    event.attempts.length * ATTEMPT_BYTES +
    event.stages.length * STAGE_BYTES +
    JSON.stringify(event.decisions).length +
    (event.content ? JSON.stringify(event.content).length : 0)
  );
}
