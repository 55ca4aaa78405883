/**
 * Bundles the Workers exactly as `wrangler deploy` would (same rules for .wasm/.onnx/.bin
 * modules), into .tmp/build/<name>, for tests and benchmarks that run them in workerd through
 * Miniflare's API (no `wrangler dev` proxy in the way).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

export const WORKERS: Record<"gateway" | "evaluator" | "gateway-hotpath" | "gateway-replay", { config: string; main?: string }> = {
  gateway: { config: join(ROOT, "wrangler.toml") },
  evaluator: { config: join(ROOT, "workers/evaluator/wrangler.toml") },
  // The gateway behind bench:hotpath's in-isolate load loop (same config and bindings).
  "gateway-hotpath": { config: join(ROOT, "wrangler.toml"), main: join(ROOT, "bench/hotpath/workerd-entry.ts") },
  // The gateway with bench:replay's held-out verifier folds installed (same config and bindings).
  "gateway-replay": { config: join(ROOT, "wrangler.toml"), main: join(ROOT, "bench/replay/workerd-entry.ts") },
};
export type WorkerName = keyof typeof WORKERS;

export function outDir(name: WorkerName): string {
  return join(ROOT, ".tmp/build", name);
}

/** wrangler names the bundle after the entry module. */
function entryFile(name: WorkerName): string {
  const main = WORKERS[name].main;
  return main ? `${basename(main, ".ts")}.js` : "index.js";
}

/** Bundle size as wrangler reports it ("Total Upload: X KiB / gzip: Y KiB"), per worker built. */
export const bundleSizes = new Map<WorkerName, string>();

export function buildWorker(name: WorkerName): string {
  const dir = outDir(name);
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const main = WORKERS[name].main;
  const out = execFileSync(process.execPath, [wrangler, "deploy", ...(main ? [main] : []), "--dry-run", "--outdir", dir, "-c", WORKERS[name].config], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const size = /Total Upload: ([^\n]+)/.exec(out)?.[1];
  if (size) bundleSizes.set(name, size.trim());
  return join(dir, entryFile(name));
}

const builtThisProcess = new Set<WorkerName>();

/**
 * The bundle to run. Under vitest, global-setup built it for this run; every other caller
 * (benchmarks, scripts) builds it once per process so it never measures a stale bundle.
 */
export function builtEntry(name: WorkerName): string {
  const entry = join(outDir(name), entryFile(name));
  if (process.env.VITEST && existsSync(entry)) return entry;
  if (!builtThisProcess.has(name)) {
    buildWorker(name);
    builtThisProcess.add(name);
  }
  return entry;
}

export interface ModuleDefinition {
  type: "ESModule" | "CompiledWasm" | "Data";
  path: string;
}

/**
 * The bundle as an explicit module list. Miniflare cannot follow ORT's dynamic `import()`s
 * when it resolves modules itself; wrangler already inlined everything into index.js, so the
 * entry plus the binary modules beside it are the whole Worker.
 */
export function bundleModules(name: WorkerName): ModuleDefinition[] {
  const dir = outDir(name);
  const entry = builtEntry(name);
  const binaries = readdirSync(dir)
    .filter((f) => /\.(wasm|onnx|bin)$/.test(f))
    .map((f): ModuleDefinition => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : "Data", path: join(dir, f) }));
  return [{ type: "ESModule", path: entry }, ...binaries];
}
