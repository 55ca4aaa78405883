/**
 * LEDGER_SAMPLING through the real consumer on Miniflare's D1 and R2: sampled-out client ledger
 * rows are not in D1, are in R2 as the archive holds rows (read back by the archive route's
 * reader), and the rollups, histograms and minute counters are what the same traffic gives
 * unsampled, once, whatever is redelivered or fails.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dayOf } from "../../../../shared/archive/layout";
import { readArchivedDay } from "../../../../shared/archive/read-day";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { consumeBatch } from "../consume-batch";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import type { ConsumerDeps } from "../process-event";
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1WithArchive } from "../testing/harness";
import { ledgerInD1, parseLedgerSampling } from "./ledger-sampling";

const T0 = Date.parse("2026-11-27T10:00:00Z");
const NOW = T0 + 90_000;
const RATE = 0.4;
let store: Awaited<ReturnType<typeof startD1WithArchive>>;
let db: D1Database;
let bucket: R2Bucket;

beforeAll(async () => {
  store = await startD1WithArchive("ledger-sampling");
  ({ db, bucket } = store);
});
afterAll(() => store.dispose());

const deps = (extra: Partial<ConsumerDeps> = {}): ConsumerDeps => offlineConsumerDeps(db, { rollupDedup: "message", concurrency: 3, now: () => NOW, ...extra });
const sampled = (extra: Partial<ConsumerDeps> = {}): ConsumerDeps => deps({ ledgerSampling: parseLedgerSampling(`{"default":${RATE}}`, "message"), ledgerArchive: bucket, ...extra });

/** Two tenants, two packs each over two minutes: errors, a 499, a cache hit, a cascade draft and a shadow drawn with their request. */
function traffic(prefix: string): UsageEvent[][] {
  return [0, 1, 2, 3].map((m) => {
    const tenantId = `${prefix}-${m % 2 ? "beta" : "acme"}`;
    return Array.from({ length: 10 }, (_, i) => {
      const requestId = `${tenantId}-${m}-${i}`;
      const parent = `${tenantId}-${m}-0`;
      return usageEvent({
        requestId: i === 8 ? `${parent}:draft` : i === 9 ? `${parent}:shadow` : requestId,
        tenantId,
        feature: i % 2 ? "search" : "support",
        completedAt: T0 + (m % 2) * 60_000 + i * 1000,
        latencyMs: 40 + 53 * i + 7 * m,
        ...(i % 5 === 4 ? { status: 502, errorCode: "upstream_error" } : {}),
        ...(i === 3 ? { status: 499, errorCode: "client_closed" } : {}),
        ...(i === 2 ? { cache: "hit-semantic" as const } : {}),
        ...(i === 8 ? { decisions: { cascadeDraftOf: parent } } : {}),
        ...(i === 9 ? { decisions: { shadowOf: parent } } : {}),
      });
    });
  });
}
const packs = (p: UsageEvent[][]) => p.map((events) => ({ pack: 1, events }));
const keptInD1 = (e: UsageEvent): boolean => unitDraw(e.requestId.replace(/:(draft|shadow)$/, "")) < RATE;

async function all(sql: string, ...binds: unknown[]): Promise<Record<string, unknown>[]> {
  return (await db.prepare(sql).bind(...binds).all<Record<string, unknown>>()).results;
}

/** Everything the aggregates hold for a tenant prefix, with the prefix taken out so two runs compare. */
async function aggregates(prefix: string): Promise<unknown> {
  const strip = (rows: Record<string, unknown>[]): Record<string, unknown>[] => rows.map((r) => ({ ...r, tenant_id: String(r["tenant_id"]).replace(prefix, "") }));
  const like = `${prefix}-%`;
  return {
    rollups: strip(await all("SELECT tenant_id, hour, feature, model, tier, key_id, kind, requests, errors, cache_hits, prompt_tokens, completion_tokens, ROUND(cost_usd, 9) AS cost, ROUND(cost_avoided_usd, 9) AS avoided, latency_ms_sum FROM usage_rollups_hourly WHERE tenant_id LIKE ?1 ORDER BY 1, 2, 3, 7", like)),
    histograms: strip(await all("SELECT tenant_id, hour, feature, metric, bucket, count FROM latency_histograms_hourly WHERE tenant_id LIKE ?1 ORDER BY 1, 2, 3, 4, 5", like)),
    minutes: strip(await all("SELECT tenant_id, minute, feature, events, requests, errors, ROUND(cost_usd, 9) AS cost, lag_ms_sum, lag_ms_max, latency_hist FROM usage_counters_minutely WHERE tenant_id LIKE ?1 ORDER BY 1, 2, 3", like)).map((r) => ({ ...r, latency_hist: JSON.parse(String(r["latency_hist"])) as unknown })),
  };
}

async function archivedRows(prefix: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const t of ["acme", "beta"]) for await (const chunk of readArchivedDay(bucket, "usage_ledger", `${prefix}-${t}`, dayOf(T0))) rows.push(...(chunk as Record<string, unknown>[]));
  return rows;
}

const d1Ids = async (prefix: string): Promise<string[]> => (await all("SELECT request_id FROM usage_ledger WHERE tenant_id LIKE ?1", `${prefix}-%`)).map((r) => String(r["request_id"])).sort();

describe("sampled client ledger rows (LEDGER_SAMPLING)", () => {
  it("keeps the drawn rows in D1, the rest in R2 with D1's columns, and counts every event as the unsampled run does", async () => {
    const events = traffic("ls").flat();
    expect(await consumeBatch(fakeBatch(packs(traffic("ls")), 1, "ls"), sampled())).toEqual({ acked: 40, retried: 0, deadLettered: 0 });
    expect(await consumeBatch(fakeBatch(packs(traffic("ref")), 1, "ref"), deps())).toEqual({ acked: 40, retried: 0, deadLettered: 0 });

    const kept = events.filter(keptInD1).map((e) => e.requestId).sort();
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(35);
    expect(await d1Ids("ls")).toEqual(kept);
    // Pure draw: errors are sampled like the rest (no bias for readers that compute rates from the ledger).
    expect(events.some((e) => e.status === 502 && !keptInD1(e))).toBe(true);

    const inR2 = await archivedRows("ls");
    expect(inR2.map((r) => String(r["request_id"])).sort()).toEqual(events.filter((e) => !keptInD1(e)).map((e) => e.requestId).sort());
    const columns = (await all("SELECT name FROM pragma_table_info('usage_ledger')")).map((r) => String(r["name"])).sort();
    for (const row of inR2) {
      expect(Object.keys(row).sort()).toEqual(columns);
      const [ref] = await all("SELECT * FROM usage_ledger WHERE request_id = ?1", String(row["request_id"]).replace("ls-", "ref-"));
      const renamed = JSON.parse(JSON.stringify(ref).replaceAll("ref-", "ls-")) as Record<string, unknown>;
      expect({ ...row, ingest_nonce: null, ingested_at: 0 }).toEqual({ ...renamed, ingest_nonce: null, ingested_at: 0 });
    }
    const counted = (await aggregates("ls")) as { minutes: unknown[]; rollups: unknown[] };
    expect(counted.minutes.length).toBeGreaterThan(3);
    expect(counted).toEqual(await aggregates("ref"));
  });

  it("a redelivery rewrites the same objects and counts nothing again", async () => {
    const before = { keys: (await bucket.list({ prefix: "archive/v1/usage_ledger/tenant=ls-" })).objects.map((o) => o.key).sort(), aggregates: await aggregates("ls") };
    expect(await consumeBatch(fakeBatch(packs(traffic("ls")), 2, "ls"), sampled())).toEqual({ acked: 40, retried: 0, deadLettered: 0 });
    expect((await bucket.list({ prefix: "archive/v1/usage_ledger/tenant=ls-" })).objects.map((o) => o.key).sort()).toEqual(before.keys);
    expect(await archivedRows("ls")).toHaveLength(40 - (await d1Ids("ls")).length);
    expect(await aggregates("ls")).toEqual(before.aggregates);
  });

  it("retries a message whose rows could not reach R2, and counts it once", async () => {
    let fail = true;
    const flaky = { put: async (...args: Parameters<R2Bucket["put"]>) => (fail ? Promise.reject(new Error("R2 down")) : bucket.put(...args)) };
    const one = traffic("fl").slice(0, 1);
    const none = parseLedgerSampling('{"default":0}', "message");
    const first = fakeBatch(packs(one), 1, "fl");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await consumeBatch(first, sampled({ ledgerArchive: flaky, ledgerSampling: none }));
    vi.restoreAllMocks();
    expect(first.messages[0]?.acked).toBe(false);
    fail = false;
    const again = fakeBatch(packs(one), 2, "fl");
    await consumeBatch(again, sampled({ ledgerArchive: flaky, ledgerSampling: none }));
    expect(again.messages[0]?.acked).toBe(true);
    expect((await archivedRows("fl")).length).toBe(10);
    expect(await d1Ids("fl")).toEqual([]);
    const [counted] = await all("SELECT SUM(events) AS events, SUM(requests) AS requests FROM usage_counters_minutely WHERE tenant_id = 'fl-acme'");
    expect(counted).toEqual({ events: 10, requests: 8 });
  });

  it("is ignored, with a warning, unless rollups are deduplicated per pack; 1 everywhere means off", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(parseLedgerSampling('{"default":0.1}', "ledger")).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(parseLedgerSampling(undefined, "message")).toBeUndefined();
    expect(parseLedgerSampling('{"default":1}', "message")).toBeUndefined();
    expect(parseLedgerSampling('{"default":1,"rules":[{"tenantId":"a","rate":0.5}]}', "message")?.rules).toHaveLength(1);
    const e = usageEvent({ requestId: "x-1" });
    const s = parseLedgerSampling('{"default":0}', "message");
    expect(ledgerInD1(e, { ledgerSampling: s, ledgerArchive: bucket, rollupDedup: "message" })).toBe(false);
    expect(ledgerInD1(e, { ledgerSampling: s, rollupDedup: "message" })).toBe(true); // no bucket: everything in D1
    expect(ledgerInD1(e, { ledgerSampling: s, ledgerArchive: bucket, rollupDedup: "ledger" })).toBe(true);
  });
});
