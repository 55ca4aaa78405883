/**
 * `npm start`: the whole local stack with no cloud account, API key or GPU.
 *   1. applies D1 migrations to the local state (.wrangler/state),
 *   2. seeds the dev tenant and its service, developer and admin keys,
 *   3. starts the GPU simulator (small-sim + frontier-sim) on :8000,
 *   4. runs the gateway and the evaluator together under `wrangler dev` on :8787, sharing
 *      local D1, KV, Queues and Durable Objects, behind the local dev front that also takes
 *      cron triggers for the evaluator (scripts/dev-loop.ts: both Workers get the content
 *      keyring and the simulator's URL in their .dev.vars),
 * then prints the URLs and keys last, on one screen (scripts/lib/ready-screen.ts). Everything the
 * steps and servers print goes to a log file (.wrangler/start.log); errors and warnings are
 * echoed. Ctrl-C stops all.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { parseCli } from "./lib/cli";
import { checkPorts } from "./lib/ports";
import { readyScreen, START_STEPS, stepLine, type DevKeys } from "./lib/ready-screen";
import { seedLoopDevVars, wranglerDevArgs } from "./dev-loop";
import { parseReplayJsonl } from "../gpu-backends/simulator/src/replay";

const { values } = parseCli({
  name: "npm start --",
  summary: "Runs the whole local stack (gateway + evaluator under wrangler dev, GPU simulator, local D1/KV/Queues/DOs) and prints its URLs and dev keys.",
  options: {
    "gateway-port": { type: "string", default: process.env.GATEWAY_PORT ?? "8787", value: "PORT", description: "the gateway (env GATEWAY_PORT)" },
    "simulator-port": { type: "string", default: process.env.SIMULATOR_PORT ?? "8000", value: "PORT", description: "the GPU simulator (env SIMULATOR_PORT)" },
    "inspector-port": { type: "string", default: process.env.INSPECTOR_PORT ?? "9229", value: "PORT", description: "wrangler's V8 inspector (env INSPECTOR_PORT); a free one if taken" },
    "persist-to": { type: "string", default: ".wrangler/state", value: "DIR", description: "local D1/KV/Queues/DO state" },
    log: { type: "string", default: ".wrangler/start.log", value: "FILE", description: "where everything the stack prints goes" },
    replay: { type: "string", ...(process.env.SIMULATOR_REPLAY ? { default: process.env.SIMULATOR_REPLAY } : {}), value: "FILE", description: "recorded answers the GPU simulator replays (JSONL; env SIMULATOR_REPLAY; npm run replay:demo writes one)" },
  },
});

const root = resolve(import.meta.dirname, "..");
// Before the log file is opened (and truncated) and before any step runs.
if (values.replay) checkReplayFile(values.replay);
const require = createRequire(import.meta.url);
const wrangler = require.resolve("wrangler/bin/wrangler.js");
const persist = values["persist-to"];
const logPath = resolve(root, values.log);
mkdirSync(dirname(logPath), { recursive: true });
const log = createWriteStream(logPath, { flags: "w" });
// CLOUDFLARE_CF_FETCH_ENABLED=false: wrangler dev would otherwise try to download `request.cf` data.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1", NO_COLOR: "1" };
const children: ChildProcess[] = [];
const recent: string[] = [];
// Errors are echoed to the console too; the rest (request lines, tables, banners, warnings
// such as "Scheduled Workers are not automatically triggered") stays in the log.
const NOTABLE = /✘|\[ERROR\]|\bUncaught\b|"level":"error"|wrangler:err/i;
// wrangler colours its output whatever NO_COLOR says; the log and the console get plain text.
const ANSI = /\u001b\[[0-9;]*m/g;

function record(name: string, text: string, echo: boolean): void {
  for (const line of text.replace(ANSI, "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    log.write(`[${name}] ${line}\n`);
    recent.push(`[${name}] ${line}`);
    if (recent.length > 15) recent.shift();
    if (echo && NOTABLE.test(line)) console.log(`  [${name}] ${line}`);
  }
}

function fail(title: string, detail: string): never {
  console.error(`✖ ${title} ${detail}\n  Last lines of ${relative(root, logPath)}:\n${recent.map((l) => `    ${l}`).join("\n")}`);
  shutdown(1);
}

function runStep(title: string, name: string, args: string[]): void {
  process.stdout.write(stepLine(title));
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: "utf8" });
  record(name, `${r.stdout ?? ""}${r.stderr ?? ""}`, false);
  if (r.status !== 0) fail(`${title} failed`, `(exit ${r.status ?? r.signal}).`);
  console.log("done");
}

function startChild(name: string, args: string[], ready: RegExp): Promise<void> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((ok) => {
    let isReady = false;
    const onData = (buf: Buffer) => {
      const text = buf.toString();
      record(name, text, true);
      if (!isReady && ready.test(text)) {
        isReady = true;
        ok();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => fail(`${name} exited`, `(${code ?? "signal"}).`));
  });
}

function shutdown(code: number): never {
  for (const c of children) {
    c.removeAllListeners("exit");
    if (c.exitCode === null) c.kill("SIGTERM");
  }
  log.end();
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

function printReady(gateway: string, simulator: string, inspector: number): void {
  const keys = JSON.parse(readFileSync(resolve(root, ".dev-keys.json"), "utf8")) as DevKeys;
  console.log(readyScreen({ gateway, simulator, inspector, logFile: relative(root, logPath), keys }));
}

/** A missing or unreadable --replay file stops `npm start` at once, not after the migrations when the simulator fails to start. */
function checkReplayFile(file: string): void {
  const path = resolve(root, file);
  const problem = !existsSync(path) || !statSync(path).isFile() ? "no such file" : (() => {
    try {
      return parseReplayJsonl(readFileSync(path, "utf8"), file).length ? null : "no recorded answers in it";
    } catch (err) {
      return err instanceof Error ? err.message.split("\n")[0]! : String(err);
    }
  })();
  if (!problem) return;
  console.error(`✖ Cannot start: --replay ${file}: ${problem}. npm run replay:demo -- --write-replay writes one (.tmp/replay-demo.jsonl); SIMULATOR_REPLAY sets the same file.`);
  process.exit(1);
}

async function main(): Promise<void> {
  const ports = await checkPorts({ gateway: values["gateway-port"], simulator: values["simulator-port"], inspector: values["inspector-port"] });
  if (!ports.ok) fail("Cannot start:", ports.message);
  const { gateway, simulator, inspector } = ports;
  const simulatorUrl = `http://127.0.0.1:${simulator}`;
  runStep(START_STEPS.migrations, "migrations", [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  runStep(START_STEPS.seed, "seed", ["--import", "tsx", "scripts/seed-dev.ts", "--persist-to", persist]);
  // Both Workers: one content keyring, the simulator's URL (dev-loop.ts).
  record("seed", seedLoopDevVars(root, simulatorUrl).join("\n"), false);
  process.stdout.write(stepLine(START_STEPS.servers));
  await startChild("simulator", ["--import", "tsx", "gpu-backends/simulator/src/main.ts", "--config", "gpu-backends/simulator/config.local.json", "--port", String(simulator), ...(values.replay ? ["--replay", resolve(root, values.replay)] : [])], /listening on/);
  await startChild(
    "wrangler",
    [
      wrangler, "dev", ...wranglerDevArgs(), "--port", String(gateway), "--ip", "127.0.0.1",
      "--inspector-port", String(inspector), "--persist-to", persist, "--show-interactive-dev-session=false",
    ],
    /Ready on/,
  );
  console.log("done");
  printReady(`http://127.0.0.1:${gateway}`, simulatorUrl, inspector);
}

main().catch((err: unknown) => fail("Failed:", err instanceof Error ? err.message : String(err)));
