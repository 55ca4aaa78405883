/**
 * Test and bench harness: bundles the evaluator with esbuild and runs it inside workerd via
 * Miniflare, with a fresh in-memory D1 (real migrations applied) and the DLQ producer. Also a
 * bare D1 for Node-side tests of the pure data-access functions.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { resolve } from "node:path";
import { applyMigrations } from "./migrations";

const ENTRY = resolve(import.meta.dirname, "../index.ts");
let bundled: Promise<string> | undefined;

export function bundleEvaluator(): Promise<string> {
  bundled ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    write: false,
    external: ["cloudflare:workers"],
    logLevel: "silent",
  }).then((r) => r.outputFiles[0]?.text ?? "");
  return bundled;
}

/** What workerd reports for a queue() call (Fetcher.queue in the experimental types). */
export interface FetcherQueueResult {
  outcome: string;
  ackAll: boolean;
  retryBatch: { retry: boolean; delaySeconds?: number };
  explicitAcks: string[];
  retryMessages: { msgId: string; delaySeconds?: number }[];
}

export interface EvaluatorHarness {
  mf: Miniflare;
  db: D1Database;
  /** Delivers one batch to the queue handler (the usage queue unless named). */
  queue: (messages: { id: string; body: unknown; attempts?: number }[], queueName?: string) => Promise<FetcherQueueResult>;
  scheduled: (cron: string, scheduledTime?: Date) => Promise<unknown>;
  dispose: () => Promise<void>;
}

/**
 * The evaluator with the usage queue fed by hand (`queue()`, exactly as Cloudflare Queues calls
 * the handler) and the strong-judge escalation queue run by Miniflare, as in wrangler.toml.
 */
export async function startEvaluator(bindings: Record<string, string> = {}): Promise<EvaluatorHarness> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleEvaluator(),
    compatibilityDate: "2026-04-01",
    compatibilityFlags: ["nodejs_compat"],
    d1Databases: { DB: "evaluator-test" },
    kvNamespaces: { KEYS_KV: "local-keys-kv" },
    queueProducers: { USAGE_DLQ: { queueName: "llm-gateway-usage-dlq" }, JUDGE_ESCALATIONS: { queueName: "llm-gateway-judge-escalations" } },
    queueConsumers: { "llm-gateway-judge-escalations": { maxBatchSize: 20, maxBatchTimeout: 0.2, maxRetries: 5 } },
    // No judge budget by default: tests of the panel must not depend on event prices; the
    // budget has its own tests (JUDGE_POLICY overrides this).
    bindings: { ENVIRONMENT: "test", JUDGES: "[]", JUDGE_SAMPLING: '{"default":0}', JUDGE_POLICY: '{"maxShareOfInference":null}', MAX_CONCURRENCY: "4", ...bindings },
  });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  await applyMigrations(db);
  const worker = await mf.getWorker();
  return {
    mf,
    db,
    queue: (messages, queueName = "llm-gateway-usage") =>
      (worker as unknown as { queue: (q: string, m: unknown[]) => Promise<FetcherQueueResult> }).queue(
        queueName,
        messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
      ),
    scheduled: (cron, scheduledTime) => worker.scheduled({ cron, scheduledTime: scheduledTime ?? new Date() }),
    dispose: () => mf.dispose(),
  };
}

/** A bare D1 (real migrations applied) for Node-side tests of the data-access functions. */
export async function startD1(): Promise<{ db: D1Database; dispose: () => Promise<void> }> {
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response('ok'); } }",
    compatibilityDate: "2026-04-01",
    d1Databases: { DB: "evaluator-unit" },
  });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  await applyMigrations(db);
  return { db, dispose: () => mf.dispose() };
}

/** A bare D1 (real migrations applied) and an R2 bucket, for tests of what goes to the archive. */
export async function startD1WithArchive(name: string): Promise<{ db: D1Database; bucket: R2Bucket; dispose: () => Promise<void> }> {
  const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", compatibilityDate: "2026-04-01", d1Databases: { DB: name }, r2Buckets: ["ARCHIVE"] });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  const bucket = (await mf.getR2Bucket("ARCHIVE")) as unknown as R2Bucket;
  await applyMigrations(db);
  return { db, bucket, dispose: () => mf.dispose() };
}
