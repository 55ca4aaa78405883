/** Sampled trace rows through the real consumer, on Miniflare's D1 and R2. */
import { offlineConsumerDeps } from "../testing/consumer-deps";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dayOf } from "../../../../shared/archive/layout";
import { readArchivedDay } from "../../../../shared/archive/read-day";
import { decryptText, generateKeySpec, keyringFromEnv } from "../../../../shared/crypto/envelope";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { consumeBatch } from "../consume-batch";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import type { ConsumerDeps } from "../process-event";
import { usageEvent } from "../testing/events";
import { fakeBatch } from "../testing/fake-batch";
import { startD1WithArchive } from "../testing/harness";
import { sealerFromEnv } from "./content-cipher";
import { parseTraceSampling, traceInD1 } from "./trace-sampling";

const KEYS = { CONTENT_ENCRYPTION_KEYS: generateKeySpec("k1") };
const T0 = Date.parse("2026-11-27T10:00:00Z");
let store: Awaited<ReturnType<typeof startD1WithArchive>>;
let db: D1Database;
let bucket: R2Bucket;

beforeAll(async () => {
  store = await startD1WithArchive("trace-sampling");
  ({ db, bucket } = store);
});
afterAll(() => store.dispose());
beforeEach(async () => {
  for (const t of ["usage_ledger", "usage_rollups_hourly", "request_traces"]) await db.prepare(`DELETE FROM ${t}`).run();
  const listed = await bucket.list();
  if (listed.objects.length) await bucket.delete(listed.objects.map((o) => o.key));
});

async function deps(extra: Partial<ConsumerDeps>): Promise<ConsumerDeps> {
  const seal = await sealerFromEnv(KEYS);
  return offlineConsumerDeps(db, { now: () => T0 + 60_000, ...(seal ? { seal } : {}), ...extra });
}

// Two tenants, one pack per tenant per message; every fifth request an error.
function traffic(): UsageEvent[][] {
  const packs: UsageEvent[][] = [];
  for (let m = 0; m < 4; m++) {
    const tenantId = m % 2 ? "beta" : "acme";
    packs.push(Array.from({ length: 10 }, (_, i) => usageEvent({ requestId: `${tenantId}-${m}-${i}`, tenantId, completedAt: T0 + m * 1000 + i, ...(i % 5 === 4 ? { status: 502, errorCode: "upstream_error" } : {}) })));
  }
  return packs;
}

const ids = async (sql: string): Promise<string[]> => (await db.prepare(sql).all<{ request_id: string }>()).results.map((r) => r.request_id).sort();

async function archived(tenantId: string): Promise<{ request_id: string; content_envelope: string | null }[]> {
  const rows: { request_id: string; content_envelope: string | null }[] = [];
  for await (const chunk of readArchivedDay(bucket, "request_traces", tenantId, dayOf(T0))) rows.push(...(chunk as typeof rows));
  return rows;
}

describe("sampled trace rows", () => {
  it("keeps every ledger row, errors and the sampled share of traces in D1, the rest in R2 once, even after a redelivery", async () => {
    const packs = traffic();
    const events = packs.flat();
    const d = await deps({ traceSampling: parseTraceSampling('{"default":0.3}'), traceArchive: bucket });
    const batch = fakeBatch(packs.map((events) => ({ pack: 1, events })));
    expect(await consumeBatch(batch, d)).toMatchObject({ acked: 40, retried: 0 });

    const kept = events.filter((e) => e.status >= 400 || unitDraw(e.requestId) < 0.3).map((e) => e.requestId).sort();
    expect(kept.length).toBeGreaterThan(8); // the 8 errors and a few sampled
    expect(kept.length).toBeLessThan(40);
    expect(await ids("SELECT request_id FROM usage_ledger")).toEqual(events.map((e) => e.requestId).sort());
    expect(await ids("SELECT request_id FROM request_traces")).toEqual(kept);

    // Sampled out = in R2, readable as an archived day, sealed content that opens with the keyring.
    const inR2 = [...(await archived("acme")), ...(await archived("beta"))];
    expect(inR2.map((r) => r.request_id).sort()).toEqual(events.map((e) => e.requestId).filter((id) => !kept.includes(id)).sort());
    const keyring = await keyringFromEnv(KEYS);
    const opened = JSON.parse(await decryptText(inR2[0]?.content_envelope as string, keyring)) as { response: string };
    expect(opened.response).toBe("The refund window is 30 days.");

    // Queues redeliver messages whole: the same objects are rewritten, nothing added.
    const objects = (await bucket.list()).objects.map((o) => o.key).sort();
    expect(await consumeBatch(fakeBatch(packs.map((events) => ({ pack: 1, events })), 2), d)).toMatchObject({ acked: 40 });
    expect((await bucket.list()).objects.map((o) => o.key).sort()).toEqual(objects);
    expect((await archived("acme")).length + (await archived("beta")).length).toBe(inR2.length);
    expect(await ids("SELECT request_id FROM request_traces")).toEqual(kept);
  });

  it("retries a message whose traces could not reach R2; its ledger rows count once", async () => {
    const packs = traffic().slice(0, 1);
    let fail = true;
    const flaky = { put: async (...args: Parameters<R2Bucket["put"]>) => (fail ? Promise.reject(new Error("R2 down")) : bucket.put(...args)) };
    const d = await deps({ traceSampling: parseTraceSampling('{"default":0}'), traceArchive: flaky });
    const first = fakeBatch(packs.map((events) => ({ pack: 1, events })));
    await consumeBatch(first, d);
    expect(first.messages[0]?.acked).toBe(false);
    fail = false;
    const again = fakeBatch(packs.map((events) => ({ pack: 1, events })), 2);
    await consumeBatch(again, d);
    expect(again.messages[0]?.acked).toBe(true);
    expect((await db.prepare("SELECT COUNT(*) AS n FROM usage_ledger").first<{ n: number }>())?.n).toBe(10);
    expect((await archived("acme")).length).toBe(8); // the 2 errors stayed in D1
  });

  it("keeps every trace in D1 by default, or without an archive bucket", async () => {
    const events = traffic()[0] as UsageEvent[];
    await consumeBatch(fakeBatch(events), await deps({ traceSampling: parseTraceSampling(undefined), traceArchive: bucket }));
    await consumeBatch(fakeBatch(events.map((e) => ({ ...e, requestId: `${e.requestId}-b` }))), await deps({ traceSampling: parseTraceSampling('{"default":0}') }));
    expect((await ids("SELECT request_id FROM request_traces")).length).toBe(20);
    expect((await bucket.list()).objects).toEqual([]);
  });
});

describe("traceInD1 for a gateway-made call", () => {
  it("draws a shadow (or a draft) with the request it was made for, as the judges do", () => {
    const deps = { traceSampling: parseTraceSampling('{"default":0.5}'), traceArchive: { put: async () => undefined } };
    const ids = Array.from({ length: 40 }, (_, i) => `req_${i}`);
    const kept = ids.find((id) => unitDraw(id) < 0.5 && unitDraw(`${id}:shadow`) >= 0.5) as string;
    const dropped = ids.find((id) => unitDraw(id) >= 0.5 && unitDraw(`${id}:shadow`) < 0.5) as string;
    expect(traceInD1(usageEvent({ requestId: `${kept}:shadow`, decisions: { shadowOf: kept } }), deps)).toBe(true);
    expect(traceInD1(usageEvent({ requestId: `${dropped}:shadow`, decisions: { shadowOf: dropped } }), deps)).toBe(false);
    expect(traceInD1(usageEvent({ requestId: `${dropped}:draft`, decisions: { cascadeDraftOf: dropped } }), deps)).toBe(false);
  });
});
