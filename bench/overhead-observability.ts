/**
 * `npm run bench:overhead -- --observability`: issue 15's cost target measured in workerd at
 * concurrency 32. Two copies of the same gateway bundle, each in its own workerd process, get
 * bench:overhead's full-pipeline request (target (c): no-cache, so every request runs
 * guardrails, cache lookup, router and the upstream call):
 *   on   OTLP traces exported to a loopback receiver this script starts (sampling 1, i.e.
 *        every request traced), live metrics on (METRICS unset, flushed to the aggregator DO);
 *   off  no OTLP endpoint, METRICS = "off".
 * Server-Timing and x-request-id are on every response in both (they cannot be switched off).
 * The arms run interleaved in pairs, the order flipping every pair (on off, off on, ...) so a
 * drift of the machine's speed over the run cancels; each pass is bench:overhead's cell
 * (autocannon after a 1 s warm-up, CPU of that workerd process from /proc). Reports each arm's
 * CPU per request and the on - off difference per pair with its spread. Writes a marked section
 * of docs/benchmarks/observability.md.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../test/harness/stack";
import { seedKey } from "../test/harness/seed";
import { ROOT } from "../test/harness/build-workers";
import { startOtlpReceiver } from "../shared/otel/otlp-receiver";
import { autocannonCell, type CellResult, type LoadTarget } from "./lib/autocannon-cpu";
import { CHAT_BODY } from "./lib/chat-body";
import { writeSection } from "./lib/doc-section";
import { machineDescription, median, percentile } from "./lib/machine";
import { childPids } from "./lib/process-memory";

const PAIRS = Number(process.env.OBS_AB_PAIRS ?? 11);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
// Unmeasured load on each arm before the pairs: the first seconds of a fresh workerd (JIT, the
// router's ONNX session, pools) cost several times the steady state.
const WARMUP_S = Number(process.env.OBS_AB_WARMUP ?? 20);
const CONNECTIONS = 32;
const TARGET_US = 50;
const DOC = join(ROOT, "docs/benchmarks/observability.md");

interface Arm {
  name: "on" | "off";
  stack: Stack;
  target: LoadTarget;
  passes: CellResult[];
}

/** Starts one gateway and returns it with the pid of the workerd process it added. */
async function startArm(name: Arm["name"], vars: Record<string, string>): Promise<Arm> {
  const before = new Set(childPids(process.pid, /workerd/));
  const stack = await startStack({ staticAssets: false, vars });
  const pids = childPids(process.pid, /workerd/).filter((p) => !before.has(p));
  if (pids.length === 0) throw new Error(`no workerd process found for arm ${name}`);
  const { key } = await seedKey(stack, { name: `bench-obs-${name}` });
  const target = { url: `${stack.url}/v1/chat/completions`, headers: { authorization: `Bearer ${key}`, "cache-control": "no-cache, no-store" }, pids: () => pids };
  return { name, stack, target, passes: [] };
}

const cpu = (r: CellResult): number => r.cpuUsPerRequest ?? Number.NaN;
const us = (x: number): string => `${x.toFixed(0)} µs`;

export async function observabilityAB(): Promise<void> {
  const load0 = loadavg();
  // Counts what arrives and keeps nothing: the receiver's own CPU is Node's, not workerd's.
  let spans = 0;
  let traces = 0;
  const receiver = await startOtlpReceiver({
    onSpans: (got) => {
      spans += got.length;
      traces += got.filter((s) => s.parentSpanId === null).length;
      receiver.spans.length = 0;
    },
  });
  const on = await startArm("on", { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: "1" });
  const off = await startArm("off", { METRICS: "off" });
  let onRequests = 0;
  try {
    for (const arm of [on, off]) {
      const w = await autocannonCell(arm.target, CHAT_BODY, CONNECTIONS, WARMUP_S);
      if (arm === on) onRequests += w.requests + w.warmupRequests;
    }
    for (let i = 0; i < PAIRS; i++) {
      for (const arm of i % 2 === 0 ? [on, off] : [off, on]) {
        const r = await autocannonCell(arm.target, CHAT_BODY, CONNECTIONS, DURATION_S);
        arm.passes.push(r);
        if (arm === on) onRequests += r.requests + r.warmupRequests;
        console.log(`pair ${i + 1} ${arm.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, CPU ${cpu(r).toFixed(0)} us/request, errors ${r.errors}`);
      }
    }
    // The exporter's last batch lingers up to 250 ms.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await on.stack.close();
    await off.stack.close();
    await receiver.close();
  }
  report(on, off, { load0, load1: loadavg(), spans, tracedPerRequest: onRequests ? traces / onRequests : Number.NaN });
}

interface Extra {
  load0: number[];
  load1: number[];
  spans: number;
  /** Root spans received per request the "on" gateway served (warm-ups included): ~1 when every request is traced. */
  tracedPerRequest: number;
}

function report(on: Arm, off: Arm, x: Extra): void {
  const diffs = on.passes.map((p, i) => cpu(p) - cpu(off.passes[i] as CellResult));
  const sorted = [...diffs].sort((a, b) => a - b);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1));
  const se = sd / Math.sqrt(diffs.length);
  const half = Math.floor(sorted.length / 2);
  const med = sorted.length % 2 ? median(diffs) : ((sorted[half - 1] ?? Number.NaN) + (sorted[half] ?? Number.NaN)) / 2;
  const [q1, q3] = [percentile(sorted, 25), percentile(sorted, 75)];
  const errors = [...on.passes, ...off.passes].reduce((n, p) => n + p.errors, 0);
  const verdict = med <= TARGET_US ? (mean + 2 * se <= TARGET_US ? "**met**" : "**met by the median, not settled**: the upper end of mean + 2 SE is above 50 µs") : "**not met**";
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(", ");
  const row = (a: Arm) =>
    `| ${a.name === "on" ? "on: OTLP traces (sampling 1, to a loopback receiver) + live metrics" : 'off: no OTLP endpoint, METRICS = "off"'} | ${us(median(a.passes.map(cpu)))} | ${median(a.passes.map((p) => p.rps)).toFixed(0)} | ${median(a.passes.map((p) => p.p50)).toFixed(0)} | ${a.passes.map((p) => cpu(p).toFixed(0)).join(" ")} |`;
  const body = [
    "## In workerd at concurrency 32 (issue 15's target, measured whole)",
    "",
    `Command: \`OBS_AB_PAIRS=${PAIRS} OBS_AB_WARMUP=${WARMUP_S} BENCH_DURATION=${DURATION_S} npm run bench:overhead -- --observability\` (${PAIRS} pairs after ${WARMUP_S} s of unmeasured load on each arm, ${DURATION_S} s per pass after a 1 s warm-up, ${CONNECTIONS} connections, autocannon). Machine: ${machineDescription()}; load average ${la(x.load0)} (1, 5, 15 min) at the start, ${la(x.load1)} at the end.`,
    "",
    "Two copies of the same gateway bundle, each in its own workerd process, get bench:overhead's full-pipeline request (target (c): `Cache-Control: no-cache, no-store`, so every request runs guardrails, the cache lookup, the router and the upstream call to the simulator). **on**: OTLP/HTTP traces exported to a loopback receiver the bench starts, `OTEL_TRACES_SAMPLER_ARG=1` (every request traced), live metrics on (flushed to the aggregator Durable Object, which runs in the same workerd process). **off**: no OTLP endpoint, `METRICS=\"off\"`. Server-Timing and x-request-id are on every response in both arms (they cannot be switched off), so the difference below does not include them. Passes alternate between the arms in pairs whose order flips each time (on off, off on, ...); CPU per request is the workerd process's CPU time (user + system, all threads, from /proc) over the pass divided by the requests it served, so other jobs on the machine slow the pass but do not add to it.",
    "",
    "| arm | workerd CPU per request (median) | req/s (median) | p50 ms (median) | per pass (µs, in order) |",
    "| --- | --- | --- | --- | --- |",
    row(on),
    row(off),
    "",
    `Added by observability (on − off, per pair): median **${us(med)}**, interquartile range ${us(q1)} to ${us(q3)}, min ${us(sorted[0] ?? Number.NaN)}, max ${us(sorted.at(-1) ?? Number.NaN)}; mean ${mean.toFixed(0)} ± ${se.toFixed(0)} µs (standard error over ${diffs.length} pairs; SD ${sd.toFixed(0)} µs). Per pair: ${diffs.map((d) => d.toFixed(0)).join(", ")} µs.`,
    "",
    `Non-2xx answers and errors, all passes: ${errors}. Traces (root spans) the receiver got per request the on arm served, warm-ups included: ${x.tracedPerRequest.toFixed(2)} (${x.spans} spans in all).`,
    "",
    `Target (≤ ${TARGET_US} µs CPU per request at concurrency 32): ${verdict} in this run.`,
  ].join("\n");
  writeSection(DOC, "workerd-ab", body);
  console.log(body);
}
