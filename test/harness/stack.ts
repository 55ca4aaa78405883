/**
 * The whole local stack for integration tests and benchmarks: the GPU simulator on loopback,
 * and the gateway (plus, optionally, the evaluator) bundled and run in workerd through
 * Miniflare's API with the bindings of their real wrangler.toml files, migrations applied
 * from migrations/, and a seeded tenant.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Miniflare, WorkerOptions } from "miniflare";
import type { unstable_getMiniflareWorkerOptions } from "wrangler";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../gpu-backends/simulator/src/server";
import { bundleModules, outDir, ROOT, WORKERS, type WorkerName } from "./build-workers";
import { splitSqlStatements } from "./sql-statements";
import { generateKeySpec } from "../../shared/crypto/envelope";
// Before miniflare is first imported: benchmarks start their stacks through here too.
import "./miniflare-config-speedup";

export interface StackOptions {
  evaluator?: boolean;
  simulator?: SimulatorOptions;
  /** Extra Worker vars for the gateway (e.g. to switch features on). */
  vars?: Record<string, string>;
  evaluatorVars?: Record<string, string>;
  /** Which bundle runs as the gateway: the Worker itself, or bench:hotpath's wrapper of it. */
  gatewayBuild?: "gateway" | "gateway-hotpath" | "gateway-replay";
  /** Expose the V8 inspector (for CPU profiles of the Workers). */
  inspectorPort?: number;
  /**
   * Keep D1, KV, R2, Durable Objects and the cache on disk under this directory, as `wrangler
   * dev` does, instead of in workerd's memory (the default): long benchmarks that measure the
   * runtime's memory must not count the data they wrote.
   */
  persistRoot?: string;
  /**
   * Serve the console's static assets as `wrangler dev` does (default true). Locally they add
   * Miniflare's asset router in front of every request (~0.9 ms CPU per request in workerd,
   * bench:profile); in production that routing runs in Cloudflare's asset layer, not in the
   * Worker's isolate. Benchmarks of the Worker's own cost turn it off.
   */
  staticAssets?: boolean;
}

export interface Stack {
  mf: Miniflare;
  /** http://127.0.0.1:PORT of the gateway. */
  url: string;
  sim: RunningSimulator;
  db: D1Database;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

// Wrangler reads `envFiles` (an empty list means the default .dev.vars) but does not declare
// it in its types; an empty file keeps a developer's .dev.vars out of the tests.
const NO_ENV_FILES = { envFiles: ["/dev/null"] } as Parameters<typeof unstable_getMiniflareWorkerOptions>[2];

// wrangler and miniflare are imported when a stack starts, not with this module: the benchmarks
// that import it then answer --help in a second instead of loading both (3-4 s of CPU).
type WranglerOptionsReader = typeof unstable_getMiniflareWorkerOptions;

function workerOptions(read: WranglerOptionsReader, name: WorkerName, vars: Record<string, string>, build: WorkerName = name, staticAssets = true): WorkerOptions {
  // No .dev.vars: tests get their secrets explicitly, exactly as CI's clean clone does.
  const { workerOptions: fromConfig } = read(WORKERS[name].config, undefined, NO_ENV_FILES);
  const { assets: _assets, ...withoutAssets } = fromConfig as typeof fromConfig & { assets?: unknown };
  const workerOptions = staticAssets ? fromConfig : withoutAssets;
  return {
    ...workerOptions,
    name: name === "gateway" ? "llm-gateway" : workerOptions.name,
    modules: bundleModules(build),
    modulesRoot: outDir(build),
    bindings: { ...(workerOptions.bindings ?? {}), ...vars },
    // bench:hotpath's wrapper drives requests through a service binding to itself.
    ...(build === "gateway-hotpath" ? { serviceBindings: { ...(workerOptions.serviceBindings ?? {}), SELF: "llm-gateway" } } : {}),
  } as WorkerOptions;
}

export async function applyMigrations(db: D1Database): Promise<void> {
  const dir = join(ROOT, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const statements = splitSqlStatements(readFileSync(join(dir, file), "utf8"));
    if (statements.length) await db.batch(statements.map((s) => db.prepare(s)));
  }
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  try {
    return await startStackOnce(options);
  } catch (err) {
    // Miniflare's Node-side D1 proxy makes a blocking call per db.prepare(); under heavy load
    // it has (rarely) lost a reply ("message?.id === id"), after which that proxy stays out of
    // step. Startup makes hundreds of those calls, so it gets one retry on a fresh instance.
    if (!(err instanceof Error && err.message.includes("message?.id === id"))) throw err;
    return startStackOnce(options);
  }
}

async function startStackOnce(options: StackOptions): Promise<Stack> {
  const sim = await startSimulator(options.simulator ?? {});
  const secrets = { CONTENT_ENCRYPTION_KEYS: generateKeySpec("test1"), CONTENT_ENCRYPTION_ACTIVE_KID: "test1" };
  // The gateway's hashing keys, so stacks run the keyed path production runs (guardrails/redact/hash-key.ts, end-user.ts).
  const hashKeys = { PII_HASH_KEY: randomBytes(32).toString("base64url"), END_USER_HASH_KEY: randomBytes(32).toString("base64url") };
  const [{ Miniflare }, { unstable_getMiniflareWorkerOptions: read }] = await Promise.all([import("miniflare"), import("wrangler")]);
  // The shadow small-tier sample (2% in wrangler.toml) would add calls and rows at random: off unless a test sets it.
  const workers = [workerOptions(read, "gateway", { SIMULATOR_URL: sim.url, SHADOW_SMALL_RATE: "0", ...secrets, ...hashKeys, ...(options.vars ?? {}) }, options.gatewayBuild, options.staticAssets ?? true)];
  if (options.evaluator) workers.push(workerOptions(read, "evaluator", { SIMULATOR_URL: sim.url, ...secrets, ...(options.evaluatorVars ?? {}) }));
  const mf = new Miniflare({
    workers,
    host: "127.0.0.1",
    port: 0,
    ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    ...(options.persistRoot ? { defaultPersistRoot: options.persistRoot } : {}),
  });
  const close = async () => {
    await mf.dispose();
    await sim.close();
  };
  try {
    const url = (await mf.ready).toString().replace(/\/$/, "");
    const db = (await mf.getD1Database("DB", "llm-gateway")) as unknown as D1Database;
    await applyMigrations(db);
    return { mf, url, sim, db, fetch: (path, init) => fetch(`${url}${path}`, init), close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
