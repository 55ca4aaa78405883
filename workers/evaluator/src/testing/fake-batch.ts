/** An in-memory MessageBatch that records what the consumer did with each message. */
export interface RecordedMessage extends Message<unknown> {
  acked: boolean;
  retryDelay: number | null;
}

export type RecordedBatch = Omit<MessageBatch<unknown>, "messages"> & { messages: RecordedMessage[] };

export function fakeBatch(bodies: unknown[], attempts = 1, idPrefix = "m"): RecordedBatch & MessageBatch<unknown> {
  const messages = bodies.map((body, i) => {
    const m: RecordedMessage = {
      id: `${idPrefix}${i}`,
      timestamp: new Date(),
      body,
      attempts,
      acked: false,
      retryDelay: null,
      ack() {
        m.acked = true;
      },
      retry(options?: QueueRetryOptions) {
        m.retryDelay = options?.delaySeconds ?? 0;
      },
    };
    return m;
  });
  return { queue: "llm-gateway-usage", messages, ackAll() {}, retryAll() {} } as unknown as RecordedBatch & MessageBatch<unknown>;
}

/** Wraps a D1 binding so its n-th batch() call (1-based) fails, like a D1 outage mid-batch. */
export function failingOnBatch(db: D1Database, failOn: ReadonlySet<number>): D1Database & { calls: () => number } {
  let calls = 0;
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "calls") return () => calls;
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          calls++;
          if (failOn.has(calls)) throw new Error(`injected D1 failure on batch ${calls}`);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as D1Database & { calls: () => number };
}
