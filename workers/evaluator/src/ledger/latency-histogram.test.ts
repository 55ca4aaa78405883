/**
 * The latency and TTFT histograms the consumer writes with the ledger rows (real D1, migrations
 * applied): one count per client request in the bucket shared/latency-histogram.ts gives its
 * value, nothing for cascade drafts or judge calls, nothing twice when a batch is redelivered, and the SQL
 * bucketing agrees with bucketOf at and around every bound.
 */
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOf, bucketSql, LATENCY_BUCKETS_MS, OVERFLOW_BUCKET } from "../../../../shared/latency-histogram";
import { consumeBatch } from "../consume-batch";
import { PriceBook } from "../pricing/price-book";
import { DEFAULT_JUDGE_POLICY } from "../judge/policy";
import type { ConsumerDeps } from "../process-event";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { ledgerRowFromEvent } from "./ledger-row";
import { ledgerStatements } from "./ledger-statements";

let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

const deps = (): ConsumerDeps =>
  offlineConsumerDeps(d1.db, { concurrency: 2, maxJudgeAttempts: 3, policy: { ...DEFAULT_JUDGE_POLICY, maxShareOfInference: null }, now: () => Date.parse("2026-11-27T02:10:01Z") });

async function histogram(tenantId: string, metric: "latency" | "ttft"): Promise<Record<number, number>> {
  const { results } = await d1.db
    .prepare("SELECT bucket, SUM(count) AS n FROM latency_histograms_hourly WHERE tenant_id = ?1 AND metric = ?2 GROUP BY bucket")
    .bind(tenantId, metric)
    .all<{ bucket: number; n: number }>();
  return Object.fromEntries(results.map((r) => [r.bucket, r.n]));
}

const expected = (values: readonly number[]): Record<number, number> =>
  values.reduce<Record<number, number>>((acc, v) => ({ ...acc, [bucketOf(v)]: (acc[bucketOf(v)] ?? 0) + 1 }), {});

describe("latency histograms written with the ledger", () => {
  it("counts each client request once in its bucket, TTFT only when streamed, no cascade drafts, no double count on redelivery", async () => {
    const latencies = [0.4, 12, 480, 480, 2_950, 61_000, 900_000];
    const events = latencies.map((latencyMs, i) => usageEvent({ requestId: `h-${i}`, tenantId: "t-hist", latencyMs, ttftMs: i % 2 ? latencyMs / 4 : null }));
    const draft = usageEvent({ requestId: "h-draft", tenantId: "t-hist", latencyMs: 5, ttftMs: 2, decisions: { cascadeDraftOf: "h-1" } });
    expect(await consumeBatch(fakeBatch([...events, draft]), deps())).toEqual({ acked: 8, retried: 0, deadLettered: 0 });
    expect(await consumeBatch(fakeBatch([...events, draft], 2), deps())).toEqual({ acked: 8, retried: 0, deadLettered: 0 });
    expect(await histogram("t-hist", "latency")).toEqual(expected(latencies));
    expect(await histogram("t-hist", "ttft")).toEqual(expected(latencies.filter((_, i) => i % 2).map((v) => v / 4)));
  });

  it("counts a client request written one row at a time (ledgerStatements) once, and a judge call not at all", async () => {
    const book = new PriceBook([]);
    const client = ledgerRowFromEvent(usageEvent({ requestId: "one-1", tenantId: "t-row", latencyMs: 700, ttftMs: 90 }), book);
    const judge = { ...ledgerRowFromEvent(usageEvent({ requestId: "one-j", tenantId: "t-row", latencyMs: 30 }), book), kind: "judge" as const, parentRequestId: "one-1" };
    for (const nonce of ["n1", "n2"]) await d1.db.batch([...ledgerStatements(d1.db, client, nonce, 1), ...ledgerStatements(d1.db, judge, nonce, 1)]);
    expect(await histogram("t-row", "latency")).toEqual(expected([700]));
    expect(await histogram("t-row", "ttft")).toEqual(expected([90]));
  });

  it("buckets in SQL exactly as bucketOf does, at, just above and just below every bound", async () => {
    const values = [0, ...LATENCY_BUCKETS_MS.flatMap((b) => [b, b + 0.0005, b - 0.0005]), 1e9];
    const { results } = await d1.db
      .prepare(`SELECT v, ${bucketSql("v")} AS bucket FROM (SELECT value AS v FROM json_each(?1))`)
      .bind(JSON.stringify(values))
      .all<{ v: number; bucket: number }>();
    expect(results.map((r) => r.bucket)).toEqual(values.map(bucketOf));
    expect(bucketOf(1e9)).toBe(OVERFLOW_BUCKET);
  });
});
