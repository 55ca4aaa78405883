/**
 * `npm run bench:overhead -- --observability`: issue 15's cost target (observability adds
 * ≤ 50 µs CPU per request at concurrency 32) measured in workerd, in ONE gateway isolate.
 *
 * Two gateways in two workerd processes differ by ±70 µs and more with identical settings (the
 * A/A runs in docs/benchmarks/observability.md), so the arms here share a process and an
 * isolate and differ per request. The gateway runs in bench:hotpath's bench-only wrapper
 * (bench/hotpath/workerd-entry.ts, never deployed), which drives chat requests through a
 * service binding to itself at concurrency 32, each naming its arm in its path; the wrapper
 * hands the gateway a copy of env with that arm's vars:
 *   on    OTLP/HTTP traces, every request sampled, really POSTed to a receiver in this (Node)
 *         process, plus live metrics (flushed to the aggregator Durable Object, same workerd);
 *   off   no OTLP endpoint, METRICS = "off";
 *   off2  the same as off in a second env copy: the A/A arm, which shows the resolution;
 *   and with OBS_ARMS, traces alone, metrics alone, tracing on with nothing sampled, sampling at
 *   0.1 (tenth), or on with one piece of the export changed (notimer, eager, nopost).
 * Every request runs the full pipeline (guardrails, cache lookup with no-store, router); the
 * upstream answers in memory. The arms run in short windows, each once per round in an order
 * rotated every round and reversed every other cycle (so no arm always follows the same one); each window
 * is an unmeasured lead-in of the same arm (it takes the previous window's trailing work, and
 * its own trailing work lands in the measured part, as under steady load), then N requests
 * with workerd's CPU (all threads, ns) read around them. Per round: each arm − off,
 * reported as means with 95% t intervals and as Hodges-Lehmann estimates with Wilcoxon intervals.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startStack } from "../test/harness/stack";
import { seedKey } from "../test/harness/seed";
import { ROOT } from "../test/harness/build-workers";
import { startOtlpReceiver } from "../shared/otel/otlp-receiver";
import { writeSection } from "./lib/doc-section";
import { machineDescription, median } from "./lib/machine";
import { childPids } from "./lib/process-memory";
import { threadCpuNanoseconds } from "./lib/process-cpu";
import { hodgesLehmann, meanInterval, type Interval } from "./lib/interval";

const ROUNDS = Number(process.env.OBS_ROUNDS ?? 60);
const WINDOW = Number(process.env.OBS_WINDOW ?? 600);
const LEAD_IN = Number(process.env.OBS_LEAD_IN ?? 200);
const WARMUP = Number(process.env.OBS_WARMUP ?? 2000);
const TARGET_US = 50;
const DOC = join(ROOT, "docs/benchmarks/observability.md");

const VARIANT = {
  on: "obs-on",
  off: "obs-off",
  off2: "obs-off2",
  traces: "obs-traces",
  metrics: "obs-metrics",
  unsampled: "obs-unsampled",
  tenth: "obs-tenth",
  notimer: "obs-notimer",
  eager: "obs-eager",
  nopost: "obs-nopost",
} as const;
type ArmName = keyof typeof VARIANT;
const isArm = (a: string): a is ArmName => Object.hasOwn(VARIANT, a);
// OBS_ARMS adds arms measured against off in the same windows: traces (alone), metrics (alone),
// unsampled (tracing on, no trace sampled: the per-request part only), tenth (as on, sampling 0.1); and arms that are on with
// one piece taken away, whose share is on − arm: traces (live metrics' share), notimer (the
// exporter's setTimeout(0) encode task), nopost (the POSTs to the receiver).
const ARMS: ArmName[] = ["on", "off", "off2", ...(process.env.OBS_ARMS ?? "").split(",").filter(isArm).filter((a) => !["on", "off", "off2"].includes(a))];
/** The share of each exporting arm's requests that is sampled (tenth: OTEL_TRACES_SAMPLER_ARG=0.1, drawn from random trace ids). */
const TRACED: Partial<Record<ArmName, number>> = { on: 1, traces: 1, notimer: 1, eager: 1, nopost: 0, tenth: 0.1 };
/** What on − arm is the share of, for the arms that are on minus one piece. */
const TAKEN: Partial<Record<ArmName, string>> = { traces: "live metrics", notimer: "the encode timer (setTimeout(0) per handed-over trace when none is pending)", eager: "deferring the encode to a timer task (vs encoding each trace inside add())", nopost: "the POST to the receiver (~0.5 MB per 200 requests, a real loopback fetch)" };

/** Round r's order: the arms rotated by r, reversed every other cycle (for three arms: all six permutations in turn). */
function order(r: number): ArmName[] {
  const k = ARMS.length;
  const rotated = [...ARMS.slice(r % k), ...ARMS.slice(0, r % k)];
  return Math.floor(r / k) % 2 ? rotated.reverse() : rotated;
}

type Driver = (arm: ArmName, n: number) => Promise<void>;
/** µs of workerd CPU per request in one window: all threads, and the main (isolate) thread alone. */
interface Sample {
  all: number;
  main: number;
}

export async function observabilityAB(): Promise<void> {
  const load0 = loadavg();
  let spans = 0;
  let traces = 0;
  // Counts what arrives and keeps nothing; its CPU is this Node process's, not workerd's.
  const receiver = await startOtlpReceiver({
    onSpans: (got) => {
      spans += got.length;
      traces += got.filter((s) => s.parentSpanId === null).length;
      receiver.spans.length = 0;
    },
  });
  const before = new Set(childPids(process.pid, /workerd/));
  const stack = await startStack({ gatewayBuild: "gateway-hotpath", staticAssets: false, vars: { BENCH_OTLP_ENDPOINT: receiver.url } });
  const pid = childPids(process.pid, /workerd/).find((p) => !before.has(p));
  const samples = Object.fromEntries(ARMS.map((a) => [a, []])) as unknown as Record<ArmName, Sample[]>;
  let expectedTraces = 0;
  try {
    if (pid === undefined) throw new Error("no workerd process");
    const { key } = await seedKey(stack, { name: "bench-obs" });
    const drive: Driver = async (arm, n) => {
      const res = await stack.fetch(`/__hotpath?target=gateway:${VARIANT[arm]}&n=${n}`, { method: "POST", headers: { authorization: `Bearer ${key}` } });
      const out = (await res.json()) as { failed: number; example: string | null };
      if (!res.ok || out.failed > 0) throw new Error(`${arm}: ${res.status}, ${out.failed} of ${n} failed, e.g. ${out.example}`);
      expectedTraces += n * (TRACED[arm] ?? 0);
    };
    for (const arm of ARMS) await drive(arm, WARMUP); // JIT, key and settings caches, router model
    for (let r = 0; r < ROUNDS; r++) {
      for (const arm of order(r)) samples[arm].push(await window(drive, arm, pid));
      console.log(`round ${r + 1}: ${ARMS.map((a) => `${a} ${(samples[a].at(-1)?.all ?? 0).toFixed(0)}`).join(", ")} µs/request`);
    }
    await sleep(1000); // the last export's linger
  } finally {
    await stack.close();
    await receiver.close();
  }
  report(samples, { load0, load1: loadavg(), spans, tracedPerRequest: expectedTraces ? traces / expectedTraces : Number.NaN });
}

/** One measured window after its lead-in. */
async function window(drive: Driver, arm: ArmName, pid: number): Promise<Sample> {
  await drive(arm, LEAD_IN);
  const c0 = threadCpuNanoseconds(pid);
  await drive(arm, WINDOW);
  const c1 = threadCpuNanoseconds(pid);
  if (!c0 || !c1) throw new Error("workerd's CPU could not be read");
  const perRequest = (ns: number) => ns / WINDOW / 1000;
  return { all: perRequest(c1.main + c1.others - c0.main - c0.others), main: perRequest(c1.main - c0.main) };
}

interface Extra {
  load0: number[];
  load1: number[];
  spans: number;
  /** Root spans received per trace expected (the arms' requests times their sampled share, warm-up and lead-ins included): ~1 when all arrive. */
  tracedPerRequest: number;
}

const us = (x: number): string => `${x.toFixed(1)} µs`;
const ci = (i: Interval): string => `${us(i.mean)} (95% CI ${us(i.low)} to ${us(i.high)})`;
const both = (xs: number[]): string => `mean ${ci(meanInterval(xs))}; Hodges-Lehmann ${ci(hodgesLehmann(xs))}; SD ${us(meanInterval(xs).sd)} over ${xs.length} rounds`;

function verdict(i: Interval): string {
  if (i.high <= TARGET_US) return `**met**: the whole 95% interval is at or below ${TARGET_US} µs`;
  if (i.low > TARGET_US) return `**not met**: the whole 95% interval is above ${TARGET_US} µs`;
  return `**not settled**: the 95% interval straddles ${TARGET_US} µs`;
}

function report(samples: Record<ArmName, Sample[]>, x: Extra): void {
  const diff = (a: ArmName, part: keyof Sample = "all") => samples[a].map((v, i) => v[part] - (samples.off[i]?.[part] ?? Number.NaN));
  const ab = meanInterval(diff("on"));
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(", ");
  const label: Record<ArmName, string> = {
    on: "on: OTLP traces (sampling 1, POSTed to the receiver) + live metrics",
    off: 'off: no OTLP endpoint, METRICS = "off"',
    off2: "off2: the same as off (A/A)",
    traces: 'traces alone (as on, METRICS = "off")',
    metrics: "live metrics alone (no OTLP endpoint)",
    unsampled: 'tracing on, nothing sampled (`OTEL_TRACES_SAMPLER_ARG=0`, METRICS = "off")',
    tenth: "as on with one new trace in ten sampled (`OTEL_TRACES_SAMPLER_ARG=0.1`), live metrics on",
    notimer: "on without the encode timer (bench-only: the exporter encodes 16 traces at a time as they are handed over, the rest at the flush; same bytes POSTed)",
    eager: "on with each trace encoded as it is handed over (bench-only: inside the exporter's add(), no encode timer, nothing held; same bytes POSTed)",
    nopost: "on without the POST (bench-only: the same encoded bodies handed to a fetch answered in memory, body unread)",
  };
  const share = (a: ArmName) => diff("on").map((d, i) => d - (diff(a)[i] ?? Number.NaN));
  const extras = ARMS.length > 3 ? ` Also: ${ARMS.slice(3).map((a) => label[a]).join("; ")}.` : "";
  const row = (a: ArmName) => `| ${label[a]} | ${us(median(samples[a].map((v) => v.all)))} | ${us(median(samples[a].map((v) => v.main)))} | ${samples[a].map((v) => v.all.toFixed(0)).join(" ")} |`;
  const body = [
    "## In workerd at concurrency 32 (issue 15's target, one isolate, switched per request)",
    "",
    `Command: \`${ARMS.length > 3 ? `OBS_ARMS=${ARMS.slice(3).join(",")} ` : ""}OBS_ROUNDS=${ROUNDS} OBS_WINDOW=${WINDOW} OBS_LEAD_IN=${LEAD_IN} OBS_WARMUP=${WARMUP} npm run bench:overhead -- --observability\`. Machine: ${machineDescription()}; load average (\`uptime\`) ${la(x.load0)} (1, 5, 15 min) at the start, ${la(x.load1)} at the end.`,
    "",
    `One workerd process, one gateway isolate, ${ARMS.length} arms chosen per request:` +
      " the gateway runs in bench:hotpath's bench-only wrapper (bench/hotpath/workerd-entry.ts, a separate build that is never deployed; production config has no way to switch tracing per request), which drives chat requests through a service binding to itself at concurrency 32, each naming its arm in its path, and hands the gateway that arm's copy of env. **on**: OTLP/HTTP protobuf traces with every request sampled (`OTEL_TRACES_SAMPLER_ARG=1`), really POSTed over loopback to a receiver in the bench's Node process (the load is generated inside workerd, so the receiver is not in the load generator's process), plus live metrics (flushed to the aggregator Durable Object in the same workerd). **off**: no OTLP endpoint, `METRICS=\"off\"`. **off2**: the same as off, a second copy: the A/A arm." +
      extras +
      " Every request runs the full pipeline (bench:overhead's (c): `Cache-Control: no-cache, no-store`, so guardrails, the cache lookup, the router and the upstream call all run; the upstream answers in memory, as in bench:hotpath). Server-Timing and x-request-id are on every response in all arms (they cannot be switched off), so the difference does not include them.",
    "",
    `Windows: each round runs every arm once, in an order rotated each round and reversed every other cycle (for three arms, all six permutations in turn; no arm always follows the same one); a window is an unmeasured lead-in of ${LEAD_IN} requests of the same arm (it absorbs the previous window's trailing work, and its own trailing work, span encoding in timer tasks and the exporter's 250 ms linger and POST, lands in the measured part as it would under steady load), then ${WINDOW} requests with workerd's CPU read around them (nanoseconds from /proc/<pid>/task/*/schedstat: all threads, and the main thread alone; the other threads are V8's concurrent garbage collection and compilation). ${WARMUP} unmeasured requests per arm first.`,
    "",
    "| arm | workerd CPU per request, all threads (median of windows) | main thread | per round, all threads (µs, in order) |",
    "| --- | --- | --- | --- |",
    ...ARMS.map(row),
    "",
    `- **A/A (off2 − off)**, the method's resolution: ${both(diff("off2"))}.`,
    `- **Added by observability (on − off)**: ${both(diff("on"))}.`,
    ...ARMS.slice(3).map((a) => `- **${label[a]} − off**: ${both(diff(a))}.`),
    ...ARMS.filter((a) => TAKEN[a]).map((a) => `- **Share of ${TAKEN[a]} (on − ${a}, per round)**: ${both(share(a))}.`),
    `- The same on the main thread alone: A/A ${both(diff("off2", "main"))}; on − off ${both(diff("on", "main"))}.`,
    "",
    `Per round, all threads (µs): A/A ${diff("off2").map((d) => d.toFixed(0)).join(", ")}; on − off ${diff("on").map((d) => d.toFixed(0)).join(", ")}.`,
    "",
    `Traces (root spans) the receiver got, per trace expected from the arms that POST to it (${ARMS.filter((a) => TRACED[a]).map((a) => `${a} × ${TRACED[a]}`).join(", ")} of their requests), warm-up and lead-ins included: ${x.tracedPerRequest.toFixed(3)} (${x.spans} spans in all). No request failed (a failed request aborts the run).`,
    "",
    `Target (≤ ${TARGET_US} µs CPU per request at concurrency 32, judged on the mean's interval, all threads): ${verdict(ab)} in this run.`,
  ].join("\n");
  writeSection(DOC, "workerd-ab", body);
  console.log(body);
}
