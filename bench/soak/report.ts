/** bench:soak's report: docs/benchmarks/soak.md (assembled into docs/benchmarks.md by bench:report). */
import { slopeText } from "../lib/slope";
import type { DriveResult } from "./drive";
import type { HeapReading } from "./heap";
import { DIAGNOSIS, renderMemorySection } from "./report-memory";
import type { LedgerView } from "./measure";
import { WEIGHTS } from "./mix";
import type { SoakOptions } from "./run";
import { byKind, failureCounts, GROWTH_TOLERANCE, lagStats, memoryTrend, WARMUP_SHARE, type Sample } from "./summary";

export interface SoakRun {
  options: SoakOptions;
  /** The isolate heap limit this run's workerd had (V8 --max-heap-size, MB), or null: none. */
  heapMb: number | null;
  command: string;
  machine: string;
  startedAt: Date;
  sendSeconds: number;
  drainSeconds: number;
  driven: DriveResult;
  samples: Sample[];
  /** With --heap: the isolates' heaps after a full GC at the end of warm-up and at the end. */
  snapshots: HeapReading[];
  billedIds: string[];
  ledger: LedgerView;
  peakMb: number;
}

/**
 * Issue 18 item 5 asks the soak report to say whether the gateway makes wrangler's dev proxy
 * restart; the runs that answer it (through \`npm start\`, at 50–150 at once) are in
 * docs/local-stack-under-load.md, since this soak does not go through the proxy.
 */
export const PROXY_FINDING = `**Does the gateway make wrangler's dev proxy restart (issue 18 item 5)? No.** The plain-text
503 "Your worker restarted mid-request" is how the proxy answers any POST it failed to forward,
not a reload: in those runs nothing reloaded, crashed or threw uncaught; the failed forwards were
connections that the workerd running our Workers reset when requests waited more than ~5 s behind
a CPU-saturated isolate (100–200 at once on 2 shared cores), plus an over-limit chunked upload's
cancelled body (fixed), and the proxy itself loses ~1% of keep-alive POSTs at 150 at once even in
front of a trivial Worker. Memory is not the trigger: the gateway's workerd grew to 512–583 MB,
but a trivial Worker burning 40 ms of CPU per request had its connections reset at 127 MB.`;

const ms = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(0));

/** What the run's workerd was told about memory, in one sentence of the report. */
export function limitText(heapMb: number | null): string {
  return heapMb === null
    ? "workerd ran as Miniflare starts it, with no isolate memory limit (V8's default heap limit, over 1 GB per isolate)"
    : `every isolate's V8 heap was capped at ${heapMb} MB (\`--max-heap-size=${heapMb}\` in workerd's config, bench/lib/workerd-v8-flags.ts), as a deployed Worker's isolate is limited to 128 MB`;
}
const mark = (ok: boolean) => (ok ? "**met**" : "**missed**");

/** One sample per minute (the nearest), so the table stays short on long runs. */
function perMinute(samples: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  for (const s of samples) if (out.length === 0 || s.t - (out.at(-1) as Sample).t >= 60) out.push(s);
  const last = samples.at(-1);
  if (last && out.at(-1) !== last) out.push(last);
  return out;
}

function overTime(samples: readonly Sample[]): string {
  const rows = perMinute(samples);
  if (!samples.some((s) => s.regions)) {
    return `| t (s) | workerd MB | backlog |\n| --- | --- | --- |\n${rows.map((s) => `| ${s.t.toFixed(0)} | ${s.rssMb.toFixed(0)} | ${s.backlog} |`).join("\n")}`;
  }
  const part = (x: number | undefined) => (x === undefined ? "" : x.toFixed(0));
  return `| t (s) | workerd MB | of it V8 heaps | of it native | JS heaps used / committed MB | backlog |\n| --- | --- | --- | --- | --- | --- |\n${rows
    .map((s) => `| ${s.t.toFixed(0)} | ${s.rssMb.toFixed(0)} | ${part(s.regions?.v8HeapMb)} | ${part(s.regions?.nativeMb)} | ${s.js ? `${part(s.js.usedMb)} / ${part(s.js.committedMb)}` : ""} | ${s.backlog} |`)
    .join("\n")}`;
}

export function renderReport(r: SoakRun): string {
  const outcomes = r.driven.outcomes;
  const failed = outcomes.filter((o) => o.failure !== null).length;
  const failures = Object.entries(failureCounts(outcomes)).map(([k, n]) => `${k} ×${n}`).join(", ") || "none";
  const trend = memoryTrend(r.samples);
  const lag = lagStats(r.ledger.delaysMs, r.samples);
  const billed = new Set(r.billedIds);
  const missing = r.billedIds.filter((id) => !r.ledger.ids.has(id)).length;
  const extra = [...r.ledger.ids].filter((id) => !billed.has(id)).length;
  const ledgerOk = missing === 0 && extra === 0 && r.ledger.duplicates === 0;
  const errorsOk = failed === 0 && r.driven.skipped === 0;
  const kinds = byKind(outcomes).sort((a, b) => b.sent - a.sent);
  return `# Soak run

Command: \`${r.command}\` · ${r.startedAt.toISOString()} · ${r.machine}

Steady open-loop traffic through the local stack (gateway and evaluator in workerd through
Miniflare, the GPU simulator for both tiers and for the judge): ${r.options.rate} requests/s for
${r.options.minutes} min (seed ${r.options.seed}, at most ${r.options.maxInFlight} in flight), a
storage ${r.options.storage === "disk" ? "on disk under a temp dir (as `wrangler dev` keeps it)" : "in workerd's memory (so rows written count as memory)"}; a
mix of ${Object.entries(WEIGHTS).map(([k, w]) => `${k} ${(w * 100).toFixed(0)}%`).join(", ")}.
Memory: ${limitText(r.heapMb)}.
Sending took ${r.sendSeconds.toFixed(0)} s; the evaluator then needed ${r.drainSeconds.toFixed(0)} s more to book the rest.

| check | target | measured | |
| --- | --- | --- | --- |
| errors | 0 | ${failed} of ${outcomes.length} (${failures}); ${r.driven.skipped} not sent (${r.options.maxInFlight} still open) | ${mark(errorsOk)} |
| workerd resident memory | no upward slope (fitted growth after the first ${WARMUP_SHARE * 100}% < ${GROWTH_TOLERANCE * 100}% of the mean) | ${slopeText(trend.slopeMbPerMin, trend.slopeLow, trend.slopeHigh, " MB/min")}, growth ${(trend.growthShare * 100).toFixed(1)}% of ${trend.meanMb.toFixed(0)} MB; peak ${trend.peakMb.toFixed(0)} MB | ${mark(trend.flat)} |
| queue lag (booked − completed) | reported | p50 ${ms(lag.p50Ms)} ms, p99 ${ms(lag.p99Ms)} ms, max ${ms(lag.maxMs)} ms; largest backlog ${lag.maxBacklog} requests | |
| requests vs ledger rows | equal | ${r.billedIds.length} billed requests, ${r.ledger.ids.size} rows (missing ${missing}, extra ${extra}, duplicated ${r.ledger.duplicates}) | ${mark(ledgerOk)} |

Billed kinds are chat (plain, streamed, tool calls, cache hits) and embeddings; guardrail checks
and read calls (usage, models, budget) are not billed and have no ledger row. The memory is the
resident set of the workerd process running both Workers (the gateway's isolate and the
evaluator's), sampled every ${r.options.sampleSeconds} s; \`wrangler dev\`'s proxy, which
\`npm start\` adds in front, is not in this run: see [local-stack-under-load.md](../local-stack-under-load.md).

${PROXY_FINDING}

| kind | sent | failed | p50 ms | p99 ms |
| --- | --- | --- | --- | --- |
${kinds.map((k) => `| ${k.kind} | ${k.sent} | ${k.failed} | ${ms(k.p50Ms)} | ${ms(k.p99Ms)} |`).join("\n")}

Over time (one sample a minute):

${overTime(r.samples)}
${renderMemorySection(r.samples, r.snapshots)}${DIAGNOSIS}`;
}
