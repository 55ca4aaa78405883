/**
 * The alert metrics from the per-minute counters (ROLLUP_DEDUP=message) against the same metrics
 * scanned from the ledger, on the same traffic through the real consumer (Miniflare D1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOf } from "../../../../shared/latency-histogram";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { consumeBatch } from "../consume-batch";
import { ledgerRowFromEvent } from "../ledger/ledger-row";
import { ledgerStatements, newNonce } from "../ledger/ledger-statements";
import { pruneMinuteCounters } from "../ledger/minute-counters";
import { loadPriceBook } from "../pricing/price-book";
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1 } from "../testing/harness";
import { metricValue } from "./metrics";
import { windowReadable } from "./evaluate-alerts";

const T0 = Date.parse("2026-11-27T10:00:00Z");
const MIN = 60_000;
let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

/** 12 minutes of traffic for one tenant: spread latencies, errors, a 499, drafts (spend, not requests). */
function traffic(tenantId: string): UsageEvent[] {
  return Array.from({ length: 72 }, (_, i) =>
    usageEvent({
      tenantId,
      requestId: i % 9 === 8 ? `${tenantId}-${i - 1}:draft` : `${tenantId}-${i}`,
      feature: i % 3 ? "search" : "support",
      completedAt: T0 + Math.floor(i / 6) * MIN + (i % 6) * 7_000,
      latencyMs: 30 + ((i * 137) % 2_900),
      costUsd: 0.001 * (1 + (i % 7)),
      model: "unpriced-model", // the event's own cost: distinct per event
      ...(i % 9 === 8 ? { decisions: { cascadeDraftOf: `${tenantId}-${i - 1}` } } : {}),
      ...(i % 10 === 3 ? { status: 503, errorCode: "upstream_error" } : {}),
      ...(i === 20 ? { status: 499, errorCode: "client_closed" } : {}),
    }),
  );
}

describe("alert metrics from the per-minute counters", () => {
  it("match the ledger's on the same traffic: spend and error rate exactly, p95 in the same histogram bucket", async () => {
    const events = traffic("cm");
    const deps = offlineConsumerDeps(d1.db, { rollupDedup: "message", concurrency: 2, now: () => T0 + 13 * MIN });
    const packs = [0, 1, 2, 3].map((p) => ({ pack: 1, events: events.slice(p * 18, p * 18 + 18) }));
    expect(await consumeBatch(fakeBatch(packs, 1, "cm"), deps)).toMatchObject({ acked: 72, retried: 0 });
    // Judge calls are not consumer events: spend adds their ledger rows (always in D1).
    const book = await loadPriceBook(d1.db, ["cm"]);
    const judged = ledgerRowFromEvent(events[0] as UsageEvent, book);
    await d1.db.batch(ledgerStatements(d1.db, { ...judged, requestId: "cm-0#judge:a", kind: "judge", parentRequestId: "cm-0", costUsd: 0.0042, completedAt: T0 + 30_000 }, newNonce(), T0 + MIN));

    const windows = [
      [T0, T0 + 5 * MIN],
      [T0 + 5 * MIN, T0 + 10 * MIN],
      [T0, T0 + 60 * MIN],
      [T0 - 60 * MIN, T0],
    ] as const;
    for (const [from, to] of windows) {
      const ledger = { spend: await metricValue(d1.db, "cm", "spend_usd", from, to), errors: await metricValue(d1.db, "cm", "error_rate", from, to), p95: await metricValue(d1.db, "cm", "latency_p95", from, to) };
      const counters = { spend: await metricValue(d1.db, "cm", "spend_usd", from, to, "counters"), errors: await metricValue(d1.db, "cm", "error_rate", from, to, "counters"), p95: await metricValue(d1.db, "cm", "latency_p95", from, to, "counters") };
      if (from < T0) {
        expect(counters).toEqual({ spend: null, errors: null, p95: null });
        expect(ledger).toEqual(counters);
        continue;
      }
      expect(counters.spend).toBeCloseTo(ledger.spend as number, 12);
      expect(counters.errors).toBe(ledger.errors);
      expect(ledger.errors).toBeGreaterThan(0);
      expect(bucketOf(counters.p95 as number)).toBe(bucketOf(ledger.p95 as number));
    }
  });

  it("prunes minutes older than the cut-off, a bounded number per run", async () => {
    const db = d1.db;
    await db.batch([1, 2, 3].map((m) => db.prepare("INSERT INTO usage_counters_minutely (tenant_id, minute, feature, events) VALUES ('pm', ?1, '', 1)").bind(m * MIN)));
    expect(await pruneMinuteCounters(db, 2.5 * MIN, 1)).toBe(1);
    expect(await pruneMinuteCounters(db, 2.5 * MIN, 10)).toBe(1);
    const left = await db.prepare("SELECT minute FROM usage_counters_minutely WHERE tenant_id = 'pm'").all();
    expect(left.results).toEqual([{ minute: 3 * MIN }]);
  });

  it("are read only for windows the pruning has left whole: a 7-day window for its first day after closing", () => {
    const DAY = 86_400_000;
    const closed = T0; // a 7-day window [T0 - 7 days, T0)
    expect(windowReadable("counters", closed - 7 * DAY, closed + 5 * MIN)).toBe(true);
    expect(windowReadable("counters", closed - 7 * DAY, closed + DAY - MIN)).toBe(true);
    // Later crons still re-read it (until the next window closes), but its first day is pruned by then.
    expect(windowReadable("counters", closed - 7 * DAY, closed + DAY + MIN)).toBe(false);
    // The ledger source keeps its own horizon (archive), as before.
    expect(windowReadable("ledger", closed - 7 * DAY, closed + 6 * DAY)).toBe(true);
  });
});
