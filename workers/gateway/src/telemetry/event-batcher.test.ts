import { describe, expect, it } from "vitest";
import { PACK_MAX_BYTES, type UsageEvent } from "../../../../shared/schemas/usage-event";
import fc from "fast-check";
import { DEFAULT_BATCHER, EventBatcher, utf8Bytes, type BatchSender } from "./event-batcher";

const event = (id: string, content = "") =>
  ({
    requestId: id,
    requestedModel: "auto",
    attempts: [],
    stages: [],
    decisions: {},
    ...(content ? { content: { messages: [{ role: "user", content }], response: content } } : {}),
  }) as unknown as UsageEvent;

function recorder(fail = false) {
  const batches: string[][] = [];
  const sender: BatchSender = {
    async sendBatch(msgs) {
      if (fail) throw new Error("queue down");
      const list = [...msgs];
      // One message per flush, carrying the whole pack.
      expect(list).toHaveLength(1);
      const pack = JSON.parse(list[0]?.body ?? "{}") as { pack: number; events: Array<{ requestId: string }> };
      expect(pack.pack).toBe(1);
      batches.push(pack.events.map((e) => e.requestId));
    },
  };
  return { batches, sender };
}

describe("EventBatcher", () => {
  it("sends events that arrive within the linger time as one packed message, via the first caller's promise", async () => {
    const { batches, sender } = recorder();
    const b = new EventBatcher(() => sender, { maxMessages: 100, maxBytes: 1e6, lingerMs: 20 });
    const first = b.add(event("a"));
    expect(first).not.toBeNull();
    expect(b.add(event("b"))).toBeNull();
    expect(b.add(event("c"))).toBeNull();
    await first;
    expect(batches).toEqual([["a", "b", "c"]]);
  });

  it("flushes at once when the batch is full, and never loses or repeats an event", async () => {
    const { batches, sender } = recorder();
    const b = new EventBatcher(() => sender, { maxMessages: 3, maxBytes: 1e6, lingerMs: 10 });
    const promises = ["1", "2", "3", "4", "5"].map((id) => b.add(event(id)));
    await Promise.all(promises.filter((p) => p !== null));
    await b.flush();
    expect(batches.flat().sort()).toEqual(["1", "2", "3", "4", "5"]);
    expect(batches[0]).toEqual(["1", "2", "3"]);
  });

  it("splits by size and reports a failed send with the number of events lost", async () => {
    const lost: number[] = [];
    const { sender } = recorder(true);
    const b = new EventBatcher(() => sender, { maxMessages: 100, maxBytes: 1e6, lingerMs: 5 }, (_e, n) => lost.push(n));
    await b.add(event("x"));
    expect(lost).toEqual([1]);
    const sized = recorder();
    const small = new EventBatcher(() => sized.sender, { maxMessages: 100, maxBytes: 40, lingerMs: 5 });
    const p = small.add(event("first-event-id"));
    void small.add(event("second-event-id"));
    await p;
    await small.flush();
    expect(sized.batches).toEqual([["first-event-id"], ["second-event-id"]]);
  });

  it.each([
    ["ASCII", "x".repeat(15_000)],
    // Bytes, not characters: a CJK character is one UTF-16 unit but three UTF-8 bytes.
    ["multi-byte", "漢字😀".repeat(2_500)],
  ])("keeps each pack's real UTF-8 size under the byte cap (so under the 128 KB message cap): %s text", async (_label, text) => {
    const sizes: number[] = [];
    const sender: BatchSender = {
      async sendBatch(msgs) {
        sizes.push([...msgs].reduce((n, m) => n + new TextEncoder().encode(m.body).byteLength, 0));
      },
    };
    const b = new EventBatcher(() => sender, DEFAULT_BATCHER);
    const pending = Array.from({ length: 12 }, (_, i) => b.add(event(`big-${i}`, text)));
    await Promise.all(pending.filter((p) => p !== null));
    await b.flush();
    expect(sizes.length).toBeGreaterThan(1);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(PACK_MAX_BYTES);
  });

  it("hands the send of a pack closed early (by size) to the request that closed it", async () => {
    const { batches, sender } = recorder();
    const b = new EventBatcher(() => sender, { maxMessages: 100, maxBytes: 400, lingerMs: 10_000 });
    expect(b.add(event("a", "x".repeat(60)))).not.toBeNull(); // starts the pack (linger timer)
    const closing = b.add(event("b", "x".repeat(150)));
    expect(closing).not.toBeNull();
    await Promise.race([closing, new Promise((r) => setTimeout(r, 100))]);
    expect(batches).toEqual([["a"]]);
  });

  it("sends an event too large for a queue message without its content, never drops it", async () => {
    const bodies: string[] = [];
    const sender: BatchSender = {
      async sendBatch(msgs) {
        for (const m of msgs) bodies.push(m.body);
      },
    };
    const b = new EventBatcher(() => sender, DEFAULT_BATCHER);
    await b.add(event("huge", "x".repeat(200_000)));
    const pack = JSON.parse(bodies[0] ?? "{}") as { events: Array<{ requestId: string; content?: unknown; decisions: Record<string, unknown> }> };
    expect(pack.events[0]).toMatchObject({ requestId: "huge", decisions: { contentOmitted: "too_large_for_queue" } });
    expect(pack.events[0]?.content).toBeUndefined();
    expect(new TextEncoder().encode(bodies[0]).byteLength).toBeLessThanOrEqual(PACK_MAX_BYTES);
  });

  it("tells onSent of each event only once the queue accepted its pack (the queue-lag count)", async () => {
    const sent: string[] = [];
    const onSent = (f: { tenantId: string }) => sent.push(f.tenantId);
    const withTenant = (id: string) => ({ ...event(id), tenantId: `t-${id}`, feature: null, completedAt: 1 }) as UsageEvent;
    const down = new EventBatcher(() => recorder(true).sender, { maxMessages: 100, maxBytes: 1e6, lingerMs: 5 }, () => undefined, onSent);
    await down.add(withTenant("lost"));
    expect(sent).toEqual([]);
    const up = new EventBatcher(() => recorder().sender, { maxMessages: 100, maxBytes: 1e6, lingerMs: 5 }, () => undefined, onSent);
    const first = up.add(withTenant("a"));
    expect(up.add(withTenant("b"))).toBeNull();
    expect(sent).toEqual([]);
    await first;
    expect(sent).toEqual(["t-a", "t-b"]);
  });

  it("measures UTF-8 length exactly", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), (s) => utf8Bytes(JSON.stringify(s)) === new TextEncoder().encode(JSON.stringify(s)).byteLength));
  });
});
