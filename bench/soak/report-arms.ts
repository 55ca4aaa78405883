/**
 * bench:soak's side-by-side section: the same traffic at the same time through a stack whose
 * isolates have a heap limit (as deployed Workers do) and one without (as Miniflare runs them),
 * so the memory verdict can be read under either and the difference the limit makes is visible.
 */
import { fitSlope, slopeText } from "../lib/slope";
import { GATEWAY_ISOLATE, liveMb } from "./heap";
import type { SoakRun } from "./report";
import { memoryTrend, WARMUP_SHARE, lagStats, type Sample } from "./summary";

const armName = (r: SoakRun) => (r.heapMb === null ? "no limit" : `${r.heapMb} MB heap limit`);
const mark = (ok: boolean) => (ok ? "**met**" : "**missed**");

/** Slope of a per-sample value after warm-up, with its interval, or "n/a" without such samples. */
function seriesSlope(samples: readonly Sample[], value: (s: Sample) => number | undefined): string {
  const end = samples.at(-1)?.t ?? 0;
  const points = samples.filter((s) => s.t >= end * WARMUP_SHARE && value(s) !== undefined);
  if (points.length < 3) return "n/a";
  const fit = fitSlope(
    points.map((s) => s.t / 60),
    points.map((s) => value(s) as number),
  );
  return slopeText(fit.slope, fit.low, fit.high, " MB/min");
}

const peak = (samples: readonly Sample[], value: (s: Sample) => number | undefined): string => {
  const xs = samples.flatMap((s) => (value(s) === undefined ? [] : [value(s) as number]));
  return xs.length ? `${Math.max(...xs).toFixed(0)} MB` : "n/a";
};

function row(label: string, runs: readonly SoakRun[], cell: (r: SoakRun) => string): string {
  return `| ${label} | ${runs.map(cell).join(" | ")} |`;
}

function liveAtEnd(r: SoakRun): string {
  const last = r.snapshots.at(-1);
  if (!last) return "n/a";
  const gateway = last.isolates.find((u) => u.id === GATEWAY_ISOLATE);
  return `gateway ${gateway ? gateway.usedMb.toFixed(1) : "?"} MB; all ${last.isolates.length} isolates ${liveMb(last).toFixed(1)} MB`;
}

const isolateName = (id: string) => (id === GATEWAY_ISOLATE ? "gateway" : id === "core:user:" ? "evaluator" : id);

/** The isolates whose JS heap in use grew most from the end of warm-up to the last sample. */
function topGrowers(r: SoakRun, top = 3): string {
  const withJs = r.samples.filter((s) => s.js);
  const end = withJs.at(-1);
  const start = withJs.find((s) => s.t >= (end?.t ?? 0) * WARMUP_SHARE);
  if (!start?.js || !end?.js) return "n/a";
  const from = start.js.byIsolate;
  const growth = Object.entries(end.js.byIsolate).map(([id, mb]) => ({ id, from: from[id] ?? 0, to: mb }));
  growth.sort((a, b) => b.to - b.from - (a.to - a.from));
  return growth
    .slice(0, top)
    .map((g) => `${isolateName(g.id)} ${g.from.toFixed(0)} → ${g.to.toFixed(0)} MB`)
    .join("; ");
}

function checks(runs: readonly SoakRun[]): string[] {
  return [
    row("errors", runs, (r) => {
      const failed = r.driven.outcomes.filter((o) => o.failure !== null).length;
      return `${failed} of ${r.driven.outcomes.length}, ${r.driven.skipped} not sent ${mark(failed === 0 && r.driven.skipped === 0)}`;
    }),
    row("workerd resident: slope after warm-up", runs, (r) => {
      const t = memoryTrend(r.samples);
      return `${slopeText(t.slopeMbPerMin, t.slopeLow, t.slopeHigh, " MB/min")}; growth ${(t.growthShare * 100).toFixed(1)}% of ${t.meanMb.toFixed(0)} MB ${mark(t.flat)}`;
    }),
    row("workerd resident: peak", runs, (r) => `${r.peakMb.toFixed(0)} MB`),
    row("JS heaps in use, all isolates (uncollected): slope", runs, (r) => seriesSlope(r.samples, (s) => s.js?.usedMb)),
    row("gateway isolate's JS heap: peak committed / in use", runs, (r) => `${peak(r.samples, (s) => s.js?.gatewayCommittedMb)} / ${peak(r.samples, (s) => s.js?.gatewayUsedMb)}`),
    row("gateway isolate's JS heap in use: slope", runs, (r) => seriesSlope(r.samples, (s) => s.js?.gatewayUsedMb)),
    row("isolates whose JS heap in use grew most (after warm-up → end, uncollected)", runs, (r) => topGrowers(r)),
    row("live JS heap after a full GC at the end", runs, liveAtEnd),
    row("queue lag p50 / p99 / max", runs, (r) => {
      const lag = lagStats(r.ledger.delaysMs, r.samples);
      return `${lag.p50Ms.toFixed(0)} / ${lag.p99Ms.toFixed(0)} / ${lag.maxMs.toFixed(0)} ms; backlog ≤ ${lag.maxBacklog}`;
    }),
    row("billed requests vs ledger rows", runs, (r) => {
      const missing = r.billedIds.filter((id) => !r.ledger.ids.has(id)).length;
      return `${r.billedIds.length} vs ${r.ledger.ids.size} (missing ${missing}, duplicated ${r.ledger.duplicates})`;
    }),
  ];
}

function overTime(runs: readonly SoakRun[]): string {
  const base = runs[0] as SoakRun;
  const rows: Sample[] = [];
  for (const s of base.samples) if (rows.length === 0 || s.t - (rows.at(-1) as Sample).t >= 60) rows.push(s);
  const nearest = (r: SoakRun, t: number) => r.samples.reduce<Sample | undefined>((best, s) => (best === undefined || Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), undefined);
  const cell = (s: Sample | undefined) => (s ? `${s.rssMb.toFixed(0)} / ${s.js ? s.js.usedMb.toFixed(0) : "–"} / ${s.js ? s.js.gatewayUsedMb.toFixed(0) : "–"}` : "–");
  const head = `| t (s) | ${runs.map(armName).join(" | ")} |\n| --- | ${runs.map(() => "---").join(" | ")} |`;
  return `${head}\n${rows.map((s) => `| ${s.t.toFixed(0)} | ${runs.map((r) => cell(nearest(r, s.t))).join(" | ")} |`).join("\n")}`;
}

export function renderArms(runs: readonly SoakRun[]): string {
  if (runs.length < 2) return "";
  return `
## Side by side: with and without the isolate heap limit

The same traffic (same seed and rate) through ${runs.length} stacks at the same time, each its own workerd,
simulator and storage: ${runs.map(armName).join(" and ")}. Both share the machine's 2 cores, so
latencies are each other's load; the memory of one does not count the other's.

| | ${runs.map(armName).join(" | ")} |
| --- | ${runs.map(() => "---").join(" | ")} |
${checks(runs).join("\n")}

Over time (one sample a minute): workerd resident MB / JS heaps in use, all isolates / of it the gateway's isolate (MB).

${overTime(runs)}
`;
}
