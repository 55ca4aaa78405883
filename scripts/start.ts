/**
 * `npm start`: the whole local stack with no cloud account, API key or GPU.
 *   1. applies D1 migrations to the local state (.wrangler/state),
 *   2. seeds the dev tenant and prints its service and admin keys,
 *   3. starts the GPU simulator (small-sim + frontier-sim) on :8000,
 *   4. runs the gateway and the evaluator together under `wrangler dev` on :8787, sharing
 *      local D1, KV, Queues and Durable Objects.
 * Ctrl-C stops everything. Ports: GATEWAY_PORT, SIMULATOR_PORT.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const wrangler = require.resolve("wrangler/bin/wrangler.js");
const tsxLoader = "tsx";
const persist = ".wrangler/state";
const gatewayPort = process.env.GATEWAY_PORT ?? "8787";
const simulatorPort = process.env.SIMULATOR_PORT ?? "8000";
const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
// CLOUDFLARE_CF_FETCH_ENABLED=false: wrangler dev would otherwise try to download `request.cf` data.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1" };
const children: ChildProcess[] = [];

function runStep(title: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function startChild(name: string, args: string[], ready: RegExp): Promise<void> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((ok, fail) => {
    const onData = (buf: Buffer) => {
      const text = buf.toString();
      process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `));
      if (ready.test(text)) ok();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      fail(new Error(`${name} exited (${code})`));
      shutdown(code ?? 1);
    });
  });
}

function shutdown(code: number): void {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

async function main(): Promise<void> {
  runStep("Applying D1 migrations (local)", [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  runStep("Seeding the dev tenant", ["--import", tsxLoader, "scripts/seed-dev.ts", "--persist-to", persist]);
  await startChild("simulator", ["--import", tsxLoader, "gpu-backends/simulator/src/main.ts", "--config", "gpu-backends/simulator/config.local.json", "--port", simulatorPort], /listening on/);
  await startChild(
    "wrangler",
    [wrangler, "dev", "-c", "wrangler.toml", "-c", "workers/evaluator/wrangler.toml", "--port", gatewayPort, "--ip", "127.0.0.1", "--persist-to", persist, "--var", `SIMULATOR_URL:${simulatorUrl}`, "--show-interactive-dev-session=false"],
    /Ready on/,
  );
  console.log(`
✔ Local stack ready.
  Gateway (OpenAI base URL): http://127.0.0.1:${gatewayPort}/v1   (keys printed above, kept in .dev-keys.json)
  GPU simulator:             ${simulatorUrl}/v1  (metrics: ${simulatorUrl}/metrics)
  Try: curl http://127.0.0.1:${gatewayPort}/v1/chat/completions -H "Authorization: Bearer $(node -p "require('./.dev-keys.json').service.key")" \\
         -H 'content-type: application/json' -d '{"model":"auto","messages":[{"role":"user","content":"Hello"}]}'
  Ctrl-C stops everything.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  shutdown(1);
});
