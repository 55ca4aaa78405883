/**
 * The guarantee benchmark's table: simulateStream (cache-stream.ts) over each half of the pairs,
 * for each delta, several seeds pooled. The cold threshold of a half is the one the cold rule
 * picks on the OTHER half (held out). The achieved false-hit rate is wrong served hits / served
 * hits over the whole stream, cold start included, with a 95% Clopper-Pearson interval. Medians
 * over the runs: requests until the bound first certifies any threshold, and until the cold start
 * is over (the bound's threshold is at or below the cold one; any, for an exact-only start).
 */
import { lowerBound, upperBound } from "../workers/gateway/src/stats/binomial-bound";
import type { Decision, ScoredPair } from "./cache-quality";
import { simulateStream, type StreamOptions, type StreamResult } from "./cache-stream";

export interface Scenario {
  name: string;
  decision: Decision;
  /** Cold threshold for a stream over half k (null = exact hits only while cold). */
  cold: (half: number) => number | null;
  judgeError?: number;
  baseError?: number;
}

export interface StreamSettings {
  requests: number;
  seeds: number;
  auditRate: number;
  shadowRate: number;
  refreshEvery: number;
}

export interface StreamRow {
  scenario: string;
  half: number;
  delta: number;
  runs: StreamResult[];
}

export function runStreams(halves: ScoredPair[][], scenarios: Scenario[], deltas: number[], s: StreamSettings): StreamRow[] {
  const rows: StreamRow[] = [];
  for (const sc of scenarios) {
    for (const [h, half] of halves.entries()) {
      for (const delta of deltas) {
        const runs = Array.from({ length: s.seeds }, (_, seed) => {
          const o: StreamOptions = {
            delta, coldThreshold: sc.cold(h), decision: sc.decision, requests: s.requests, auditRate: s.auditRate, shadowRate: s.shadowRate,
            refreshEvery: s.refreshEvery, seed: 1000 * (h + 1) + seed + 1, ...(sc.judgeError ? { judgeError: sc.judgeError } : {}), ...(sc.baseError ? { baseError: sc.baseError } : {}),
          };
          return simulateStream(half, o);
        });
        rows.push({ scenario: sc.name, half: h + 1, delta, runs });
      }
    }
  }
  return rows;
}

const pct = (x: number, d = 1): string => `${(100 * x).toFixed(d)}%`;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function medianK(runs: StreamResult[], at: (r: StreamResult) => number | null, requests: number): string {
  const done = runs.map(at).filter((x): x is number => x !== null);
  if (done.length === 0) return `> ${requests / 1000}k`;
  const all = done.length === runs.length ? "" : ` (${done.length} of ${runs.length})`;
  return `${(median(done) / 1000).toFixed(1)}k${all}`;
}

function coldStart(runs: StreamResult[], requests: number): string {
  const checks = runs.map((r) => r.coldStartChecks).filter((x): x is number => x !== null);
  return `${medianK(runs, (r) => r.coldStartRequests, requests)}${checks.length ? ` (${median(checks)} checks)` : ""}`;
}

export function streamTable(rows: StreamRow[], s: StreamSettings): string {
  const lines = [
    "| scenario | half | delta | served hits | achieved false-hit rate [95% CI] | worst run | recall | recall, last quarter | first certified threshold | cold start over: requests (checks) | threshold at the end |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const served = sum(r.runs.map((x) => x.served));
    const wrong = sum(r.runs.map((x) => x.servedWrong));
    const ci = `[${pct(lowerBound(wrong, served, 0.025), 2)}, ${pct(upperBound(wrong, served, 0.025), 2)}]`;
    const worst = Math.max(...r.runs.map((x) => (x.served ? x.servedWrong / x.served : 0)));
    const recall = sum(r.runs.map((x) => x.positivesServed)) / Math.max(1, sum(r.runs.map((x) => x.positives)));
    const tail = sum(r.runs.map((x) => x.tail.positivesServed)) / Math.max(1, sum(r.runs.map((x) => x.tail.positives)));
    const thresholds = r.runs.map((x) => x.finalThreshold ?? 2);
    const t = median(thresholds);
    lines.push(
      `| ${r.scenario} | ${r.half} | ${pct(r.delta)} | ${served} | ${pct(served ? wrong / served : 0, 2)} ${ci} | ${pct(worst, 2)} | ${pct(recall)} | ${pct(tail)} | ${medianK(r.runs, (x) => x.firstCertified, s.requests)} | ${coldStart(r.runs, s.requests)} | ${t > 1 ? "exact only" : t.toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}
