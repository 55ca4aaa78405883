import { Miniflare } from "miniflare";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DAY_MS, dayOf, type ArchiveTable } from "../../../../shared/archive/layout";
import { readArchivedDay } from "../../../../shared/archive/read-day";
import { DEFAULT_RETENTION } from "../../../../shared/schemas/retention";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import { ingest } from "../../../gateway/src/usage/test-fixtures";
import { usageEvent } from "../testing/events";
import { applyMigrations } from "../testing/migrations";
import { runArchive, type ArchiveOptions, type ArchiveWriter } from "./archive-job";
import { archiveStep } from "./archive-step";

// Three days of traffic for two tenants, archived on day 40 with the usage queue's horizon at
// 4 days: what each tenant's retention lets go moves to R2, the rest stays in D1.
const D0 = Date.parse("2026-10-01T00:00:00Z");
const NOW = D0 + 40 * DAY_MS + 3_600_000;
const OPTS: ArchiveOptions = { now: NOW, defaults: DEFAULT_RETENTION, horizonMs: 4 * DAY_MS, chunkRows: 3, maxChunks: 1_000 };

const VERDICT_TABLES = ["judge_fallbacks", "cache_shadow_checks", "cache_feedback"] as const;

let mf: Miniflare;
let db: D1Database;
let bucket: R2Bucket;

function traffic(): UsageEvent[] {
  const out: UsageEvent[] = [];
  for (const [tenantId, days] of [["acme", [0, 1, 38]], ["beta", [0, 39]]] as const) {
    for (const day of days) {
      for (let i = 0; i < 4; i++) out.push(usageEvent({ requestId: `${tenantId}-d${day}-${i}`, tenantId, completedAt: D0 + day * DAY_MS + i * 60_000 }));
    }
  }
  return out;
}

/** Verdicts written as the evaluator stores them (the archive copies whatever columns exist). */
async function judged(events: UsageEvent[]): Promise<void> {
  const insert = db.prepare(
    "INSERT INTO evaluations (request_id, tenant_id, model, tier, status, score_mean, checks_json, judges_json, panel_version, completed_at, evaluated_at) VALUES (?1, ?2, 'm', 'small', 'ok', 4, '{}', '[]', 't', ?3, ?3)",
  );
  await db.batch(events.map((e) => insert.bind(e.requestId, e.tenantId, e.completedAt)));
}

/** Checks-only fallbacks, cache shadow checks and client reports for the same requests. */
async function verdictRows(events: UsageEvent[]): Promise<void> {
  const fallback = db.prepare(
    "INSERT INTO judge_fallbacks (request_id, tenant_id, reason, checks_json, hard_failure, completed_at, recorded_at, ingest_nonce) VALUES (?1, ?2, 'budget', '{}', 0, ?3, ?3, 'n')",
  );
  const shadow = db.prepare(
    "INSERT INTO cache_shadow_checks (request_id, tenant_id, entry_id, similarity, status, pass_score, correct, judges_json, panel_version, created_at, judged_at, scorer_id, band_key) VALUES (?1, ?2, 'e', 0.9, 'ok', 3, 1, '[]', 't', ?3, ?3, 's', 900)",
  );
  const report = db.prepare("INSERT INTO cache_feedback (tenant_id, request_id, verdict, scorer_id, band_key, key_id, created_at) VALUES (?2, ?1, 'wrong', 's', 900, 'k', ?3)");
  await db.batch(events.flatMap((e) => [fallback, shadow, report].map((st) => st.bind(e.requestId, e.tenantId, e.completedAt))));
}

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", compatibilityDate: "2026-04-01", d1Databases: { DB: "archive-unit" }, r2Buckets: ["ARCHIVE"] });
  db = (await mf.getD1Database("DB")) as unknown as D1Database;
  bucket = (await mf.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
  await applyMigrations(db);
});
afterAll(async () => mf.dispose());

beforeEach(async () => {
  // One round trip each for D1 and R2: every call crosses Miniflare's Node-to-workerd proxy.
  await db.batch(["usage_ledger", "usage_rollups_hourly", "request_traces", "evaluations", "tenant_settings", ...VERDICT_TABLES, "cache_calibration"].map((t) => db.prepare(`DELETE FROM ${t}`)));
  const listed = await bucket.list();
  if (listed.truncated) throw new Error("more archive objects than one listing: clear them in pages");
  if (listed.objects.length) await bucket.delete(listed.objects.map((o) => o.key));
  // Traces are stamped with the ingest time: ingest each day's events "then", as the consumer did.
  const events = traffic();
  const byDay = new Map<number, UsageEvent[]>();
  for (const e of events) byDay.set(Math.floor(e.completedAt / DAY_MS), [...(byDay.get(Math.floor(e.completedAt / DAY_MS)) ?? []), e]);
  for (const day of byDay.values()) await ingest(db, day, { now: () => day[0]!.completedAt });
  await judged(events);
});

const ids = async (table: ArchiveTable, tenant: string) =>
  (await db.prepare(`SELECT request_id FROM ${table} WHERE tenant_id = ?1 ORDER BY request_id`).bind(tenant).all<{ request_id: string }>()).results.map((r) => r.request_id);

async function archived(table: ArchiveTable, tenant: string, day: number): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const chunk of readArchivedDay(bucket, table, tenant, dayOf(D0 + day * DAY_MS))) rows.push(...(chunk as Array<Record<string, unknown>>));
  return rows;
}

describe("runArchive", () => {
  it("moves rows past retention to R2 by tenant and day, keeps the rest and every rollup, and reads back whole", async () => {
    const before = (await db.prepare("SELECT * FROM usage_ledger WHERE tenant_id = 'acme' AND completed_at < ?1 ORDER BY completed_at, request_id").bind(D0 + DAY_MS).all()).results;
    const rollups = (await db.prepare("SELECT COUNT(*) AS n FROM usage_rollups_hourly").first<number>("n")) ?? 0;
    const report = await runArchive(db, bucket, OPTS);
    // Days 0 and 1 are older than 30 days (ledger, evaluations) and 14 (traces); 38 and 39 are not.
    expect(report.rows).toEqual({ usage_ledger: 12, request_traces: 12, evaluations: 12 });
    expect(report.more).toBe(false);
    for (const table of ["usage_ledger", "request_traces", "evaluations"] as const) {
      expect(await ids(table, "acme")).toEqual(["acme-d38-0", "acme-d38-1", "acme-d38-2", "acme-d38-3"]);
      expect(await ids(table, "beta")).toEqual(["beta-d39-0", "beta-d39-1", "beta-d39-2", "beta-d39-3"]);
    }
    expect(await db.prepare("SELECT COUNT(*) AS n FROM usage_rollups_hourly").first<number>("n")).toBe(rollups);
    // Read back: the same rows, every column, in time order, across chunks of 3.
    expect(await archived("usage_ledger", "acme", 0)).toEqual(before);
    expect((await archived("request_traces", "beta", 0)).map((r) => r.request_id)).toEqual(["beta-d0-0", "beta-d0-1", "beta-d0-2", "beta-d0-3"]);
    expect((await bucket.list({ prefix: "archive/v1/usage_ledger/tenant=acme/day=2026-10-01/" })).objects).toHaveLength(2);
    // A second run finds nothing left to move.
    expect(await runArchive(db, bucket, OPTS)).toEqual({ chunks: 0, rows: {}, more: false });
  });

  it("follows each tenant's retention, but never archives inside the queue's redelivery horizon", async () => {
    await db.prepare("INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES ('beta', 'beta', 0)").run();
    await db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('beta', '', ?1, 0)").bind(JSON.stringify({ retention: { ledgerDays: 1 } })).run();
    await runArchive(db, bucket, { ...OPTS, horizonMs: 2 * DAY_MS });
    expect(await ids("usage_ledger", "beta")).toEqual(["beta-d39-0", "beta-d39-1", "beta-d39-2", "beta-d39-3"]); // day 39 < now - 1 day, but inside 2 days
    // Whole UTC days only: day 39 goes once day 41 has begun (it is then more than a day old).
    await runArchive(db, bucket, { ...OPTS, horizonMs: 0 });
    expect(await ids("usage_ledger", "beta")).toHaveLength(4);
    await runArchive(db, bucket, { ...OPTS, now: NOW + DAY_MS, horizonMs: 0 });
    expect(await ids("usage_ledger", "beta")).toEqual([]);
    expect(await ids("usage_ledger", "acme")).toHaveLength(4); // acme keeps the default 30 days
    expect(await ids("request_traces", "beta")).toHaveLength(4); // beta's traces follow tracesDays
  });

  it("loses and doubles nothing when the run dies between an upload and its delete", async () => {
    const original = await db.prepare("SELECT * FROM evaluations WHERE tenant_id = 'acme' AND completed_at < ?1 ORDER BY completed_at, request_id").bind(D0 + 2 * DAY_MS).all();
    let uploads = 0;
    const crashing: ArchiveWriter = {
      async put(key, value, options) {
        await bucket.put(key, value, options);
        if (++uploads === 2) throw new Error("isolate killed after the upload");
        return null;
      },
    };
    await expect(runArchive(db, crashing, OPTS)).rejects.toThrow("isolate killed");
    expect(await ids("usage_ledger", "acme")).toContain("acme-d0-3"); // the second chunk's rows are still in D1
    await runArchive(db, bucket, OPTS);
    const back = [...(await archived("evaluations", "acme", 0)), ...(await archived("evaluations", "acme", 1))];
    expect(back).toEqual(original.results);
    const ledger = [...(await archived("usage_ledger", "acme", 0)), ...(await archived("usage_ledger", "acme", 1))].map((r) => r.request_id);
    expect(ledger).toEqual([...new Set(ledger)]);
    expect(ledger).toHaveLength(8);
  });

  it("stops at maxChunks and says there is more; the next run continues", async () => {
    const first = await runArchive(db, bucket, { ...OPTS, maxChunks: 2 });
    expect(first).toMatchObject({ chunks: 2, more: true });
    const rest = await runArchive(db, bucket, OPTS);
    expect((first.rows.usage_ledger ?? 0) + (rest.rows.usage_ledger ?? 0)).toBe(12);
  });

  it("archives judge fallbacks, cache shadow checks and client reports too; calibration counts stay", async () => {
    await verdictRows(traffic());
    await db.prepare("INSERT INTO cache_calibration (tenant_id, feature, scorer_id, band_key, checks, wrong, updated_at) VALUES ('acme', '', 's', 900, 7, 2, 0)").run();
    const before = (await db.prepare("SELECT * FROM judge_fallbacks WHERE tenant_id = 'acme' AND completed_at < ?1 ORDER BY completed_at, request_id").bind(D0 + DAY_MS).all()).results;
    const report = await runArchive(db, bucket, OPTS);
    expect(report.rows).toMatchObject({ judge_fallbacks: 12, cache_shadow_checks: 12, cache_feedback: 12 });
    for (const table of VERDICT_TABLES) {
      expect(await ids(table, "acme")).toEqual(["acme-d38-0", "acme-d38-1", "acme-d38-2", "acme-d38-3"]);
      expect(await ids(table, "beta")).toEqual(["beta-d39-0", "beta-d39-1", "beta-d39-2", "beta-d39-3"]);
    }
    expect(await archived("judge_fallbacks", "acme", 0)).toEqual(before);
    expect((await archived("cache_feedback", "beta", 0)).map((r) => r.request_id)).toEqual(["beta-d0-0", "beta-d0-1", "beta-d0-2", "beta-d0-3"]);
    // The gateway calibrates from the counts, which the archive never touches.
    expect(await db.prepare("SELECT checks, wrong FROM cache_calibration WHERE tenant_id = 'acme'").first()).toEqual({ checks: 7, wrong: 2 });
  });

  it("keeps a client report while its request's trace can still take a report (a repeat would count twice)", async () => {
    await verdictRows(traffic());
    await db.prepare("INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES ('beta', 'beta', 0)").run();
    await db.prepare("INSERT INTO tenant_settings (tenant_id, feature, settings_json, updated_at) VALUES ('beta', '', ?1, 0)").bind(JSON.stringify({ retention: { evaluationsDays: 1 } })).run();
    await runArchive(db, bucket, { ...OPTS, now: NOW + DAY_MS, horizonMs: 0 });
    expect(await ids("judge_fallbacks", "beta")).toEqual([]); // day 39 is past beta's one day
    expect(await ids("cache_shadow_checks", "beta")).toEqual([]);
    expect(await ids("request_traces", "beta")).toHaveLength(4); // traces keep 14 days...
    expect(await ids("cache_feedback", "beta")).toEqual(["beta-d39-0", "beta-d39-1", "beta-d39-2", "beta-d39-3"]); // ...and so do reports
  });

  it("runs from the cron's environment: vars for retention and horizon, a missing bucket reported, not thrown", async () => {
    expect(await archiveStep({ DB: db }, NOW)).toEqual({ ok: false, reason: "no ARCHIVE binding: nothing archived, D1 keeps every row" });
    const step = await archiveStep({ DB: db, ARCHIVE: bucket, RETENTION_DEFAULTS: '{"ledgerDays":1,"tracesDays":1,"evaluationsDays":1}', ARCHIVE_HORIZON_HOURS: "24" }, NOW + DAY_MS);
    expect(step).toMatchObject({ ok: true, more: false, rows: { usage_ledger: 20, request_traces: 20, evaluations: 20 } });
  });
});
