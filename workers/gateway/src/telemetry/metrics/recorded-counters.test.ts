/**
 * The queue backlog and lag metrics against what the evaluator recorded, when its ledger rows are
 * all in D1 (ROLLUP_DEDUP=ledger) and when they are sampled out of D1 (ROLLUP_DEDUP=message with
 * LEDGER_SAMPLING): the per-minute counters then stand in for the missing rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageEvent } from "../../../../../shared/schemas/usage-event";
import { consumeBatch } from "../../../../evaluator/src/consume-batch";
import { parseLedgerSampling } from "../../../../evaluator/src/ledger/ledger-sampling";
import type { ConsumerDeps } from "../../../../evaluator/src/process-event";
import { offlineConsumerDeps } from "../../../../evaluator/src/testing/consumer-deps";
import { usageEvent } from "../../../../evaluator/src/testing/events";
import { fakeBatch } from "../../../../evaluator/src/testing/fake-batch";
import { startD1 } from "../../../../evaluator/src/testing/harness";
import { BUCKET_MS, type PublishedBucket } from "./published";
import { recordedCounts } from "./queue-backlog";
import { labelText, seriesKey } from "./series";
import { queueLagSeries } from "./sources";

const NOW = Date.parse("2026-11-27T10:10:00Z");
let d1: Awaited<ReturnType<typeof startD1>>;
beforeAll(async () => {
  d1 = await startD1();
});
afterAll(() => d1.dispose());

/** 12 events over the last 3 minutes, two features, a cascade draft; each completed `lag` ms before NOW. */
function traffic(tenantId: string): UsageEvent[] {
  return Array.from({ length: 12 }, (_, i) =>
    usageEvent({
      tenantId,
      requestId: i === 11 ? `${tenantId}-10:draft` : `${tenantId}-${i}`,
      feature: i % 3 ? "search" : "",
      completedAt: NOW - 3 * BUCKET_MS + i * 15_000,
      ...(i === 11 ? { decisions: { cascadeDraftOf: `${tenantId}-10` } } : {}),
    }),
  );
}

function published(events: UsageEvent[]): PublishedBucket[] {
  const byKey = new Map<string, PublishedBucket>();
  for (const e of events) {
    const minute = Math.floor(e.completedAt / BUCKET_MS);
    const key = `${e.feature ?? ""}\u0000${minute}`;
    const b = byKey.get(key) ?? { tenant: e.tenantId, feature: e.feature ?? "", minute, n: 0, firstAt: e.completedAt };
    byKey.set(key, { ...b, n: b.n + 1 });
  }
  return [...byKey.values()];
}

const consume = async (events: UsageEvent[], extra: Partial<ConsumerDeps>) =>
  consumeBatch(fakeBatch([{ pack: 1, events }], 1, events[0]?.tenantId), offlineConsumerDeps(d1.db, { now: () => NOW, ...extra }));

describe("queue backlog and lag from ledger rows or per-minute counters", () => {
  it.each([
    ["ledger rows in D1", "rc-ledger", { rollupDedup: "ledger" } as Partial<ConsumerDeps>],
    ["ledger rows sampled out, counters", "rc-sampled", { rollupDedup: "message", ledgerSampling: parseLedgerSampling('{"default":0}', "message"), ledgerArchive: { put: async () => undefined } } as Partial<ConsumerDeps>],
  ])("%s: every published event is recorded, and the lag is the events'", async (_, tenant, extra) => {
    const events = traffic(tenant);
    expect(await consume(events, extra)).toMatchObject({ acked: 12, retried: 0 });
    const inLedger = await d1.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1").bind(tenant).first<{ n: number }>();
    expect(inLedger?.n).toBe(tenant === "rc-ledger" ? 12 : 0);

    const buckets = published(events);
    const recorded = await recordedCounts(d1.db, buckets, null);
    for (const b of buckets) expect(recorded.get(`${b.tenant}\u0000${b.feature}\u0000${b.minute}`)).toBe(b.n);
    // A feature-restricted reader sees its features only.
    const search = await recordedCounts(d1.db, buckets, ["search"]);
    expect([...search.keys()].every((k) => k.split("\u0000")[1] === "search")).toBe(true);

    const lag = await queueLagSeries(d1.db, tenant, NOW);
    const lags = events.map((e) => NOW - e.completedAt);
    expect(lag[seriesKey("gateway_evaluator_events_recent", "")]).toBe(12);
    expect(lag[seriesKey("gateway_evaluator_queue_lag_seconds", labelText({ stat: "avg" }))]).toBeCloseTo(lags.reduce((a, b) => a + b, 0) / lags.length / 1000, 6);
    expect(lag[seriesKey("gateway_evaluator_queue_lag_seconds", labelText({ stat: "max" }))]).toBe(Math.max(...lags) / 1000);
  });
});
