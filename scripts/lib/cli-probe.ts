/**
 * For scripts/cli.test.ts: runs many of our tsx command-line tools with one flag in ONE Node
 * process instead of one process each (each spawn paid ~1 s of CPU to start Node, tsx and the
 * shared module graph; the test spawned ~90 of them).
 *
 *   node --import tsx scripts/lib/cli-probe.ts <flag> <result.json> <file.ts>...
 *
 * Each file is imported as its own main module would be (process.argv = [node, file, flag]), with
 * process.exit, stdout and stderr intercepted: the first exit ends the case with its code (as a
 * real exit would, nothing written after it counts), and an uncaught error is printed with its
 * stack and ends the case with code 1, as Node would. The next case starts only once the
 * microtasks the exit left behind (the tool's catch handlers) have run. A tool that has not
 * exited after `CASE_TIMEOUT_MS` gets `code: null`, and so does every case after it (the process
 * may still be running that tool); the test then runs those cases in real processes.
 *
 * A module runs once per process: a tool with a main-module guard that another tool imports (as
 * bench:guardrails imports bench/guardrails-synthetic.ts) would not run again when probed after
 * it, so guarded files are probed first. The importer then meets the guarded module's exit again
 * (an ES module that threw keeps its error): that case gets `code: null` at once, for a real run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export interface ProbeResult {
  file: string;
  /** The exit code; null when the tool did not exit in time (the caller spawns it for real). */
  code: number | null;
  stdout: string;
  stderr: string;
}

const CASE_TIMEOUT_MS = 30_000;

/** Thrown by the intercepted process.exit so that the tool's code stops where a real exit would. */
class ProbeExit extends Error {}

interface Case {
  result: ProbeResult;
  ended: boolean;
  finish: () => void;
}

let current: Case | null = null;
/** A tool did not exit in time: it may still be running here, so no further case is trusted. */
let stuck = false;

function end(code: number | null): void {
  if (!current || current.ended) return;
  current.ended = true;
  current.result.code = code;
  current.finish();
}

function intercept(stream: NodeJS.WriteStream, field: "stdout" | "stderr"): void {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (current && !current.ended) current.result[field] += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
    const callback = rest.find((r): r is () => void => typeof r === "function");
    callback?.();
    return true;
  }) as typeof stream.write;
}

function uncaught(err: unknown): void {
  if (err instanceof ProbeExit || !current || current.ended) return;
  current.result.stderr += `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
  end(1);
}

async function probe(file: string, flag: string): Promise<ProbeResult> {
  const path = resolve(file);
  const result: ProbeResult = { file, code: null, stdout: "", stderr: "" };
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((finish) => {
    current = { result, ended: false, finish };
    timer = setTimeout(() => {
      stuck = true;
      finish();
    }, CASE_TIMEOUT_MS);
  });
  process.argv = [process.execPath, path, flag];
  process.exitCode = undefined;
  import(pathToFileURL(path).href).catch((err: unknown) => (err instanceof ProbeExit ? end(null) : uncaught(err)));
  await done;
  clearTimeout(timer);
  // Writes and exits from what the exit interrupted (catch handlers, finally blocks) still land
  // on this finished case, where they are dropped, not on the next one.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  current = null;
  return result;
}

const MAIN_GUARD = /import\.meta\.url\s*===|process\.argv\[1\]/;
const guardedFirst = (files: string[]): string[] => {
  const guarded = files.filter((f) => MAIN_GUARD.test(readFileSync(f, "utf8")));
  return [...guarded, ...files.filter((f) => !guarded.includes(f))];
};

async function main(): Promise<void> {
  const [flag, out, ...files] = process.argv.slice(2);
  if (!flag || !out) throw new Error("usage: node --import tsx scripts/lib/cli-probe.ts <flag> <result.json> <file.ts>...");
  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    end(Number(code ?? process.exitCode ?? 0));
    throw new ProbeExit("process.exit");
  }) as typeof process.exit;
  intercept(process.stdout, "stdout");
  intercept(process.stderr, "stderr");
  process.on("uncaughtException", uncaught);
  process.on("unhandledRejection", uncaught);
  const results: ProbeResult[] = [];
  for (const file of guardedFirst(files)) {
    results.push(stuck ? { file, code: null, stdout: "", stderr: "" } : await probe(file, flag));
  }
  writeFileSync(out, JSON.stringify(results));
  // A tool that timed out may still hold timers or sockets open.
  realExit(0);
}

await main();
