/**
 * ROLLUP_DEDUP=message on Miniflare's D1: the consumer's rollups and histograms are pre-aggregated
 * per message and counted once per pack, whatever is redelivered, replayed or fails part-way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { consumeBatch } from "../consume-batch";
import type { ConsumerDeps } from "../process-event";
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { usageEvent } from "../testing/events";
import { failingOnBatch, fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { packKey, parseRollupDedup, pruneConsumedMessages } from "./pack-rollups";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

const NOW = Date.parse("2026-11-27T03:00:00Z");
const deps = (db: D1Database, rollupDedup: ConsumerDeps["rollupDedup"] = "message", extra: Partial<ConsumerDeps> = {}): ConsumerDeps =>
  offlineConsumerDeps(db, { concurrency: 3, rollupDedup, now: () => NOW, ...extra });
const pack = (events: UsageEvent[]) => ({ pack: 1, events });

/** A mixed traffic sample: two hours, features, an error, a 499, a cache hit, a draft, a shadow, a shadow's skip marker, no TTFT. */
function traffic(tenantId: string, n = 12): UsageEvent[] {
  const hour2 = Date.parse("2026-11-27T01:40:00Z");
  return Array.from({ length: n }, (_, i) =>
    usageEvent({
      tenantId,
      requestId: `${tenantId}-r${i}`,
      ...(i % 3 === 0 ? { completedAt: hour2, receivedAt: hour2 - 500 } : {}),
      feature: i % 2 ? "search" : "support",
      latencyMs: 50 + 37 * i,
      ttftMs: i === 4 ? null : 10 + i,
      ...(i === 1 ? { status: 500, errorCode: "upstream_error" } : {}),
      ...(i === 2 ? { status: 499, errorCode: "client_closed" } : {}),
      ...(i === 3 ? { cache: "hit-exact" as const } : {}),
      ...(i === 5 ? { requestId: `${tenantId}-r0:draft`, decisions: { cascadeDraftOf: `${tenantId}-r0` } } : {}),
      ...(i === 7 ? { requestId: `${tenantId}-r0:shadow`, decisions: { shadowOf: `${tenantId}-r0` } } : {}),
      ...(i === 9 ? { requestId: `${tenantId}-r1:shadow`, status: 0, errorCode: "shadow_skipped", costUsd: 0, content: undefined, decisions: { shadowOf: `${tenantId}-r1`, shadowSkipped: "call_failed" } } : {}),
    }),
  );
}

async function rollups(tenantId: string): Promise<unknown[]> {
  const r = await d1.db
    .prepare(`SELECT hour, feature, model, tier, key_id, kind, requests, errors, cache_hits, prompt_tokens, completion_tokens, cached_tokens,
      reasoning_tokens, ROUND(cost_usd, 9) AS cost, ROUND(cost_avoided_usd, 9) AS avoided, ROUND(cost_avoided_cache_usd, 9) AS avoided_cache, latency_ms_sum
      FROM usage_rollups_hourly WHERE tenant_id = ?1 ORDER BY hour, feature, kind`)
    .bind(tenantId)
    .all();
  return r.results;
}

async function histograms(tenantId: string): Promise<unknown[]> {
  const r = await d1.db.prepare("SELECT hour, feature, metric, bucket, count FROM latency_histograms_hourly WHERE tenant_id = ?1 ORDER BY hour, feature, metric, bucket").bind(tenantId).all();
  return r.results;
}

async function requests(tenantId: string): Promise<number> {
  const r = await d1.db.prepare("SELECT SUM(requests) AS n FROM usage_rollups_hourly WHERE tenant_id = ?1").bind(tenantId).first<{ n: number | null }>();
  return r?.n ?? 0;
}

const rename = (events: UsageEvent[], from: string, to: string): UsageEvent[] => events.map((e) => JSON.parse(JSON.stringify(e).replaceAll(from, to)) as UsageEvent);

describe("rollups deduplicated per pack (ROLLUP_DEDUP=message)", () => {
  it("counts exactly what the per-row rollups count, histograms included", async () => {
    const events = traffic("pr-ledger");
    await consumeBatch(fakeBatch([pack(events.slice(0, 7)), pack(events.slice(7))], 1, "eq-l"), deps(d1.db, "ledger"));
    const same = rename(events, "pr-ledger", "pr-message");
    await consumeBatch(fakeBatch([pack(same.slice(0, 7)), pack(same.slice(7))], 1, "eq-m"), deps(d1.db));
    expect(await rollups("pr-message")).toEqual(await rollups("pr-ledger"));
    expect(await histograms("pr-message")).toEqual(await histograms("pr-ledger"));
    expect((await rollups("pr-message")).length).toBeGreaterThan(3);
    // Drafts and shadows roll up apart (GET /v1/usage reports shadow spend on its own line); a skip
    // marker is not a shadow call (gateway_requests_total{kind="shadow"} counts calls).
    const kinds = await d1.db.prepare("SELECT kind, SUM(requests) AS n FROM usage_rollups_hourly WHERE tenant_id = 'pr-message' GROUP BY kind ORDER BY kind").all();
    expect(kinds.results).toEqual([{ kind: "draft", n: 1 }, { kind: "request", n: 9 }, { kind: "shadow", n: 1 }, { kind: "shadow_skipped", n: 1 }]);
    const consumed = await d1.db.prepare("SELECT message_id, events FROM consumed_messages WHERE message_id LIKE 'eq-m%' ORDER BY message_id").all();
    expect(consumed.results).toEqual([{ message_id: "eq-m0", events: 7 }, { message_id: "eq-m1", events: 5 }]);
  });

  it("a redelivered message and a replay of its body under a new id count once, even with its ledger rows gone", async () => {
    const events = traffic("pr-replay", 6);
    await consumeBatch(fakeBatch([pack(events)], 1, "rp"), deps(d1.db));
    const counted = await rollups("pr-replay");
    await consumeBatch(fakeBatch([pack(events)], 2, "rp"), deps(d1.db)); // redelivery, same id
    // The pack key alone must hold (per-request rows leaving D1): drop the ledger rows, then replay.
    await d1.db.prepare("DELETE FROM usage_ledger WHERE tenant_id = 'pr-replay'").run();
    expect(await consumeBatch(fakeBatch([pack([...events].reverse())], 1, "dlq-replay"), deps(d1.db))).toEqual({ acked: 6, retried: 0, deadLettered: 0 });
    expect(await rollups("pr-replay")).toEqual(counted);
    expect(await requests("pr-replay")).toBe(6);
  });

  it("an event carried by two different packs counts once (its ledger row gates the second)", async () => {
    const events = traffic("pr-overlap", 4);
    const a = events.slice(0, 3);
    const b = [events[2] as UsageEvent, events[3] as UsageEvent];
    // Same batch (one D1 transaction) and across batches.
    await consumeBatch(fakeBatch([pack(a), pack(b)], 1, "ov"), deps(d1.db));
    await consumeBatch(fakeBatch([pack([events[0] as UsageEvent, events[3] as UsageEvent])], 1, "ov-later"), deps(d1.db));
    expect(await requests("pr-overlap")).toBe(4);
    const h = await d1.db.prepare("SELECT SUM(count) AS n FROM latency_histograms_hourly WHERE tenant_id = 'pr-overlap' AND metric = 'latency'").first<{ n: number }>();
    expect(h?.n).toBe(4);
  });

  it("an event twice in one pack counts once", async () => {
    const ev = usageEvent({ tenantId: "pr-twice", requestId: "pr-twice-1" });
    await consumeBatch(fakeBatch([pack([ev, ev])]), deps(d1.db));
    expect(await requests("pr-twice")).toBe(1);
  });

  it("loses nothing and doubles nothing when a chunk and then one message's own write fail, and everything is redelivered", async () => {
    const events = traffic("pr-crash", 9);
    const bodies = [pack(events.slice(0, 3)), pack(events.slice(3, 6)), pack(events.slice(6))];
    // Call 1 seeds prices; call 2 is the chunk of three messages (fails); calls 3-5 are one per message: the 2nd fails.
    const first = fakeBatch(bodies, 1, "cr");
    expect(await consumeBatch(first, deps(failingOnBatch(d1.db, new Set([2, 4])), "message", { concurrency: 1 }))).toEqual({ acked: 6, retried: 3, deadLettered: 0 });
    expect(first.messages.map((m) => m.acked)).toEqual([true, false, true]);
    expect(await requests("pr-crash")).toBe(6);
    // Worst case after a crash: every message comes back, acks lost.
    expect(await consumeBatch(fakeBatch(bodies, 2, "cr"), deps(d1.db))).toEqual({ acked: 9, retried: 0, deadLettered: 0 });
    const once = traffic("pr-crash-ref", 9);
    await consumeBatch(fakeBatch([pack(once)], 1, "cr-ref"), deps(d1.db, "ledger"));
    expect(await rollups("pr-crash")).toEqual(await rollups("pr-crash-ref"));
  });

  it("stays exact across a switch of ROLLUP_DEDUP with messages in flight, both ways", async () => {
    const a = traffic("pr-switch-a", 5);
    await consumeBatch(fakeBatch([pack(a)], 1, "sw-a"), deps(d1.db, "ledger"));
    await consumeBatch(fakeBatch([pack(a)], 2, "sw-a"), deps(d1.db, "message"));
    expect(await requests("pr-switch-a")).toBe(5);
    const b = traffic("pr-switch-b", 5);
    await consumeBatch(fakeBatch([pack(b)], 1, "sw-b"), deps(d1.db, "message"));
    await consumeBatch(fakeBatch([pack(b)], 2, "sw-b"), deps(d1.db, "ledger"));
    expect(await requests("pr-switch-b")).toBe(5);
  });

  it("prunes consumed packs older than the horizon, a bounded number per run", async () => {
    const db = d1.db;
    await db.batch(
      [1, 2, 3, 4].map((i) =>
        db.prepare("INSERT INTO consumed_messages (pack_key, message_id, nonce, events, consumed_at) VALUES (?1, ?2, 'n', 1, ?3)").bind(`prune-${i}`, `pm-${i}`, i * 1000),
      ),
    );
    expect(await pruneConsumedMessages(db, 3500, 2)).toBe(2);
    expect(await pruneConsumedMessages(db, 3500, 2)).toBe(1);
    const left = await db.prepare("SELECT pack_key FROM consumed_messages WHERE pack_key LIKE 'prune-%'").all();
    expect(left.results).toEqual([{ pack_key: "prune-4" }]);
  });

  it("keys a pack by its events whatever their order, and parses the setting strictly", async () => {
    const x = { t: "t", i: "a" };
    const y = { t: "t", i: "b" };
    expect(await packKey([x, y])).toBe(await packKey([y, x]));
    expect(await packKey([x, y])).not.toBe(await packKey([x]));
    expect(await packKey([{ t: "t\u0000a", i: "" }])).not.toBe(await packKey([{ t: "t", i: "a" }]));
    expect([undefined, "", "ledger", "message"].map(parseRollupDedup)).toEqual(["ledger", "ledger", "ledger", "message"]);
    expect(() => parseRollupDedup("pack")).toThrow(/ROLLUP_DEDUP/);
  });
});
