/**
 * Runs the real consumer over a day of representative traffic on Miniflare's D1 and R2, then the
 * real archive job, and reads back what each table cost per request: D1 bytes (the database's own
 * size, split by the tables' NDJSON share), rows written (as D1 reports them), R2 bytes (the
 * archive's gzip objects). Judges are a loopback stub; content is sealed as in production.
 */
import { faker } from "@faker-js/faker";
import { Miniflare } from "miniflare";
import { ARCHIVE_TABLES, DAY_MS, type ArchiveTable } from "../../shared/archive/layout";
import { generateKeySpec } from "../../shared/crypto/envelope";
import { DEFAULT_RETENTION } from "../../shared/schemas/retention";
import type { UsageEvent } from "../../shared/schemas/usage-event";
import { runArchive } from "../../workers/evaluator/src/archive/archive-job";
import { consumeBatch } from "../../workers/evaluator/src/consume-batch";
import { unitDraw } from "../../shared/hash/unit-draw";
import { parseJudges } from "../../workers/evaluator/src/judge/config";
import { parseJudgePolicy } from "../../workers/evaluator/src/judge/policy";
import { parseLedgerSampling } from "../../workers/evaluator/src/ledger/ledger-sampling";
import type { ConsumerDeps } from "../../workers/evaluator/src/process-event";
import { offlineConsumerDeps } from "../../workers/evaluator/src/testing/consumer-deps";
import { fakeBatch } from "../../workers/evaluator/src/testing/fake-batch";
import { startJudgeStub } from "../../workers/evaluator/src/testing/judge-stub";
import { applyMigrations } from "../../workers/evaluator/src/testing/migrations";
import { sealerFromEnv } from "../../workers/evaluator/src/trace/content-cipher";
import { benchEvent, packs } from "../evaluator/traffic";
import type { PerRequest } from "./arithmetic";
import { meteredD1 } from "./d1-meter";

export interface StorageOptions {
  requests: number;
  systemChars: number;
  promptChars: number;
  answerChars: number;
  seed: number;
}

export interface Measured {
  requests: number;
  per: PerRequest;
  /** Rows per table after the run (the rollups included), before archiving. */
  rowCounts: Record<string, number>;
  /** The whole database's growth per request, rollups and coverage included. */
  d1BytesPerRequest: number;
  rowsWrittenPerRequest: number;
  archivedAll: boolean;
  /** The ledger path alone under each ROLLUP_DEDUP, and with LEDGER_SAMPLING (measureLedgerWrites). */
  dedup: LedgerWrites[];
  /** Share of usage_ledger rows that are the consumer's (client requests, drafts, shadows): what LEDGER_SAMPLING samples; the rest are judge calls. */
  consumerLedgerShare: number;
}

const T0 = Date.parse("2026-11-02T00:00:00Z");
const TABLES = Object.keys(ARCHIVE_TABLES) as ArchiveTable[];
const AGGREGATES = ["usage_rollups_hourly", "judge_coverage_hourly", "latency_histograms_hourly", "router_complexity_hourly"];

const text = (chars: number): string => {
  let s = "";
  while (s.length < chars) s += `${faker.word.words({ count: { min: 6, max: 14 } })}. `;
  return s.slice(0, chars);
};

/** bench:evaluator's mix (60% small, 30% frontier, 10% cache hits), with exchanges of the given sizes. */
function traffic(o: StorageOptions, spanMs = DAY_MS - 60_000): UsageEvent[] {
  faker.seed(o.seed);
  return Array.from({ length: o.requests }, (_, i) => {
    const e = benchEvent(i, T0 + Math.floor((i / o.requests) * spanMs), { prefix: "st", seed: o.seed });
    return { ...e, content: { messages: [{ role: "system", content: text(o.systemChars) }, { role: "user", content: text(o.promptChars) }], response: text(o.answerChars) } };
  });
}

const sizeOf = async (db: D1Database): Promise<number> => (await db.prepare("SELECT 1").all()).meta.size_after as number;
const count = async (db: D1Database, table: string): Promise<number> => (await db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

async function ndjsonBytes(db: D1Database, table: string): Promise<number> {
  const { results } = await db.prepare(`SELECT * FROM ${table}`).all();
  return results.reduce<number>((sum, r) => sum + new TextEncoder().encode(`${JSON.stringify(r)}\n`).length, 0);
}

/** Objects and bytes under the usage_ledger prefix (sampled-out rows), then deleted so the next run starts empty. */
async function r2Usage(bucket: R2Bucket): Promise<{ objects: number; bytes: number }> {
  let objects = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: "archive/v1/usage_ledger/", ...(cursor ? { cursor } : {}) });
    objects += page.objects.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { objects, bytes: await r2Bytes(bucket, "usage_ledger") };
}

async function emptyBucket(bucket: R2Bucket): Promise<void> {
  for (let page = await bucket.list({ limit: 1000 }); page.objects.length > 0; page = await bucket.list({ limit: 1000 })) await bucket.delete(page.objects.map((o) => o.key));
}

async function r2Bytes(bucket: R2Bucket, table: ArchiveTable): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `archive/v1/${table}/`, ...(cursor ? { cursor } : {}) });
    total += page.objects.reduce((s, o) => s + o.size, 0);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return total;
}

export async function measureStorage(o: StorageOptions): Promise<Measured> {
  const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", compatibilityDate: "2026-04-01", d1Databases: { DB: "storage", ...Object.fromEntries(LEDGER_RUNS.map((_, i) => [`LEDGER_RUN_${i}`, `ledger-run-${i}`])) }, r2Buckets: ["ARCHIVE", "LEDGER_OUT"] });
  // Verdicts spread as real panels do: mostly good, some low or unsure (those escalate to the strong judge).
  const stub = await startJudgeStub((_model, prompt) => {
    const u = unitDraw(prompt);
    return u < 0.1 ? { score: 2, confidence: 4 } : u < 0.15 ? { score: 4, confidence: 2 } : { score: u < 0.5 ? 4 : 5, confidence: 5 };
  });
  try {
    const raw = (await mf.getD1Database("DB")) as unknown as D1Database;
    const bucket = (await mf.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
    await applyMigrations(raw);
    const meter = meteredD1(raw);
    const seal = await sealerFromEnv({ CONTENT_ENCRYPTION_KEYS: generateKeySpec("storage") });
    const judges = parseJudges(JSON.stringify([
      { name: "cheap", baseUrl: `${stub.url}/v1`, model: "small-sim", tier: "cheap", batch: 8 },
      { name: "strong", baseUrl: `${stub.url}/v1`, model: "frontier-sim", tier: "strong" },
    ]));
    const deps = offlineConsumerDeps(meter.db, {
      judges,
      sampling: { default: 1, rules: [] },
      // Every answer judged (the local default for npm start's tenant); the budget's own effect is in bench:evaluator.
      policy: parseJudgePolicy('{"maxShareOfInference":null,"escalation":{"lowScore":2.5,"unsureBelow":3,"disagreement":true,"auditRate":0.02}}'),
      fetch: (input, init) => fetch(input, init),
      concurrency: 8,
      maxJudgeAttempts: 3,
      now: () => T0 + DAY_MS,
      ...(seal ? { seal } : {}),
    });
    const before = await sizeOf(raw);
    const messages = packs(traffic(o), 25, "st");
    for (let i = 0; i < messages.length; i += 20) await deliver(messages.slice(i, i + 20).map((m) => m.body), deps, `b${i}-`);
    const grown = (await sizeOf(raw)) - before;
    const inserted = meter.rowsWritten();
    const rowCounts: Record<string, number> = {};
    for (const t of [...TABLES, ...AGGREGATES]) rowCounts[t] = await count(raw, t);
    const consumerRows = (await raw.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE kind = 'request'").first<{ n: number }>())?.n ?? 0;
    const ndjson = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await ndjsonBytes(raw, t)] as const))) as Record<ArchiveTable, number>;
    const archivedNdjson = TABLES.reduce((s, t) => s + ndjson[t], 0);
    const aggregateShare = 1 - archivedNdjson / (archivedNdjson + (await Promise.all(AGGREGATES.map((t) => ndjsonBytes(raw, t)))).reduce((a, b) => a + b, 0));

    // Written per table, as D1 counts it: each insert writes the row and one row per index.
    const writtenPer = await rowsWrittenPerTable(raw, rowCounts);
    meter.reset();
    await runArchive(meter.db, bucket, { now: T0 + 60 * DAY_MS, defaults: DEFAULT_RETENTION, horizonMs: 96 * 3_600_000, chunkRows: 1000, maxChunks: 100_000 });
    const left = await Promise.all(TABLES.map((t) => count(raw, t)));
    const consumerLedgerShare = (rowCounts["usage_ledger"] ?? 0) > 0 ? consumerRows / (rowCounts["usage_ledger"] ?? 1) : 0;
    const per: PerRequest = {};
    for (const t of TABLES) {
      if (rowCounts[t] === 0) continue;
      per[t] = {
        d1Bytes: ((grown * (1 - aggregateShare) * ndjson[t]) / archivedNdjson) / o.requests,
        r2Bytes: (await r2Bytes(bucket, t)) / o.requests,
        rows: (rowCounts[t] ?? 0) / o.requests,
        rowsWritten: ((rowCounts[t] ?? 0) * (writtenPer[t] ?? 1)) / o.requests,
      };
    }
    // The ledger path alone, rollups deduplicated per ledger row and per pack (ROLLUP_DEDUP), then per pack with
    // LEDGER_SAMPLING 1% (sampled-out rows to R2 per message), same traffic, one run.
    const d1 = async (name: string): Promise<D1Database> => (await mf.getD1Database(name)) as unknown as D1Database;
    const ledgerOut = (await mf.getR2Bucket("LEDGER_OUT")) as unknown as R2Bucket;
    const dedup: LedgerWrites[] = [];
    for (const [i, run] of LEDGER_RUNS.entries()) {
      const extra: Partial<ConsumerDeps> = run.sampled ? { rollupDedup: "message", ledgerSampling: parseLedgerSampling('{"default":0.01}', "message"), ledgerArchive: ledgerOut } : { rollupDedup: run.dedup };
      dedup.push(await measureLedgerWrites(await d1(`LEDGER_RUN_${i}`), o, run.label, extra, run.sampled ? ledgerOut : undefined, run.spanMs));
    }
    return { requests: o.requests, per, rowCounts, d1BytesPerRequest: grown / o.requests, rowsWrittenPerRequest: inserted / o.requests, archivedAll: left.every((n) => n === 0), dedup, consumerLedgerShare };
  } finally {
    await stub.close();
    await mf.dispose();
  }
}

/** One batch, redelivered as Queues would (attempts + 1) until every message is acked. */
async function deliver(bodies: unknown[], deps: ConsumerDeps, prefix: string): Promise<void> {
  let pending = bodies;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 5) throw new Error(`${pending.length} messages not acked after 5 deliveries: the storage numbers would be incomplete`);
    const batch = fakeBatch(pending, attempt, `${prefix}${attempt}-`);
    await consumeBatch(batch, deps);
    pending = batch.messages.filter((m) => !m.acked).map((m) => m.body);
  }
}

/** Rows D1 writes to insert one row of each table: the row and one per index on it. */
async function rowsWrittenPerTable(db: D1Database, counts: Record<string, number>): Promise<Partial<Record<ArchiveTable, number>>> {
  const out: Partial<Record<ArchiveTable, number>> = {};
  for (const t of TABLES) {
    if (!counts[t]) continue;
    const { results } = await db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1").bind(t).all<{ n: number }>();
    out[t] = 1 + (results[0]?.n ?? 0);
  }
  return out;
}

export interface LedgerWrites {
  label: string;
  /** D1 rows written per request by the consumer's ledger path (no judging), as D1 counts them. */
  rowsWrittenPerRequest: number;
  /** Rows the run left in the ledger, rollup, histogram, counter and consumed-pack tables. */
  rowCounts: Record<string, number>;
  /** R2 objects and gzip bytes per request written for sampled-out ledger rows (0 without LEDGER_SAMPLING). */
  r2ObjectsPerRequest: number;
  r2BytesPerRequest: number;
}

/**
 * The ledger-path runs: each ROLLUP_DEDUP, and LEDGER_SAMPLING 1%, over the day (2,000 requests give each its
 * own minute: the per-minute counters' worst case) and within 2 minutes (a pack then shares its minutes, as at real rates).
 */
const LEDGER_RUNS: { label: string; dedup: "ledger" | "message"; sampled: boolean; spanMs?: number }[] = [
  { label: "ledger, over a day", dedup: "ledger", sampled: false },
  { label: "message, over a day", dedup: "message", sampled: false },
  { label: "message + LEDGER_SAMPLING 1%, over a day", dedup: "message", sampled: true },
  { label: "ledger, within 2 minutes", dedup: "ledger", sampled: false, spanMs: 2 * 60_000 },
  { label: "message, within 2 minutes", dedup: "message", sampled: false, spanMs: 2 * 60_000 },
  { label: "message + LEDGER_SAMPLING 1%, within 2 minutes", dedup: "message", sampled: true, spanMs: 2 * 60_000 },
];

export const LEDGER_PATH_TABLES = ["usage_ledger", "request_traces", "usage_rollups_hourly", "latency_histograms_hourly", "usage_counters_minutely", "consumed_messages"];

/**
 * The ledger path alone (no judges), on a fresh D1 of the same Miniflare, with the rollups
 * deduplicated one way or the other (and client ledger rows sampled): what ROLLUP_DEDUP and
 * LEDGER_SAMPLING change in D1 rows written per request.
 */
async function measureLedgerWrites(raw: D1Database, o: StorageOptions, label: string, extra: Partial<ConsumerDeps>, out?: R2Bucket, spanMs?: number): Promise<LedgerWrites> {
  await applyMigrations(raw);
  const meter = meteredD1(raw);
  const deps = offlineConsumerDeps(meter.db, { concurrency: 8, now: () => T0 + DAY_MS, ...extra });
  const messages = packs(traffic(o, spanMs), 25, "st");
  for (let i = 0; i < messages.length; i += 20) await deliver(messages.slice(i, i + 20).map((m) => m.body), deps, `l${i}-`);
  const rowCounts: Record<string, number> = {};
  for (const t of LEDGER_PATH_TABLES) rowCounts[t] = await count(raw, t);
  const r2 = out ? await r2Usage(out) : { objects: 0, bytes: 0 };
  if (out) await emptyBucket(out);
  return { label, rowsWrittenPerRequest: meter.rowsWritten() / o.requests, rowCounts, r2ObjectsPerRequest: r2.objects / o.requests, r2BytesPerRequest: r2.bytes / o.requests };
}
