/**
 * `npm run bench:soak`: steady mixed traffic (chat, streams, tool calls, cache hits, embeddings,
 * guardrail checks, usage/models/budget reads) through the local stack for a fixed time, then
 * errors (target 0), workerd memory over time (target: no upward slope), queue lag, and
 * requests against ledger rows (target: equal). Writes docs/benchmarks/soak.md. --heap adds where
 * workerd's memory sits and the isolates' live JS heap (bench/soak/heap.ts, memory-regions.ts).
 * Every isolate runs under a heap limit like a deployed Worker's (--isolate-heap-mb, default 128),
 * beside the same stack without one unless --single.
 */
import { parseCli, usageError } from "../scripts/lib/cli";
// Before anything loads Miniflare: the hook that passes --isolate-heap-mb to workerd as a V8 flag.
import "./lib/workerd-v8-flags";

const spec = {
  name: "npm run bench:soak --",
  summary: "Steady mixed traffic through the local stack for --minutes (default 10), then errors, memory trend, queue lag and ledger rows.",
  options: {
    minutes: { type: "string", default: "10", description: "how long to send (0.5-120)" },
    rate: { type: "string", default: "5", description: "requests per second, open loop (0.1-200)" },
    "max-in-flight": { type: "string", default: "64", description: "requests open at once before new ones are skipped (counted)" },
    "sample-seconds": { type: "string", default: "10", description: "memory and backlog sampling interval" },
    seed: { type: "string", default: "1", description: "traffic seed (same seed, same requests)" },
    storage: { type: "string", default: "disk", description: "disk (D1/KV/DO persisted under a temp dir, as wrangler dev) or memory (in workerd)" },
    heap: { type: "boolean", default: false, description: "with each sample also read every isolate's JS heap and where workerd's memory sits (V8 heaps, native, code); after the run, one heap snapshot per isolate (live heap after a full GC)" },
    "heap-diff": { type: "boolean", default: false, description: "--heap plus a snapshot at the end of warm-up, and what grew between the two (that snapshot pauses the isolates for seconds and leaves ~100 MB in workerd's allocator: for diagnosis, not for the memory verdict)" },
    "isolate-heap-mb": { type: "string", default: "128", description: "cap every isolate's V8 heap at this many MB, as a deployed Worker's isolate is limited to 128 MB (V8 --max-heap-size in workerd's config; V8 aborts the whole workerd when a heap cannot fit, where production resets the one isolate); 0: no limit, as Miniflare runs workerd" },
    single: { type: "boolean", default: false, description: "run only the --isolate-heap-mb stack; by default a second stack without a limit gets the same traffic at the same time and the report puts the two side by side" },
    "no-write": { type: "boolean", default: false, description: "print the report without writing docs/benchmarks/soak.md" },
  },
} as const;

function num(name: string, raw: string | undefined, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) usageError(spec, `--${name} must be a number from ${min} to ${max}, got "${raw}".`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseCli(spec);
  const options = {
    minutes: num("minutes", values.minutes, 0.5, 120),
    rate: num("rate", values.rate, 0.1, 200),
    maxInFlight: Math.round(num("max-in-flight", values["max-in-flight"], 1, 1_000)),
    sampleSeconds: num("sample-seconds", values["sample-seconds"], 1, 300),
    seed: Math.round(num("seed", values.seed, 0, 2 ** 31)),
    storage: values.storage === "memory" ? ("memory" as const) : ("disk" as const),
    write: values["no-write"] !== true,
    heap: values.heap === true || values["heap-diff"] === true,
    heapDiff: values["heap-diff"] === true,
    isolateHeapMb: null as number | null,
    besideUnlimited: values.single !== true,
  };
  const heapMb = Math.round(num("isolate-heap-mb", values["isolate-heap-mb"], 0, 4_096));
  if (heapMb > 0 && heapMb < 32) usageError(spec, `--isolate-heap-mb must be 0 (no limit) or at least 32, got "${values["isolate-heap-mb"]}".`);
  options.isolateHeapMb = heapMb === 0 ? null : heapMb;
  if (values.storage !== "disk" && values.storage !== "memory") usageError(spec, `--storage must be disk or memory, got "${values.storage}".`);
  // Loaded after the arguments are checked: --help and typos answer without building anything.
  const { runSoak } = await import("./soak/run");
  await runSoak(options, `npm run bench:soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
