/**
 * One load cell at concurrency > 1, as bench:overhead measures it: autocannon POSTs the body
 * after a 1 s warm-up, and the server's CPU per request is the CPU time its processes used
 * (read from /proc, all threads) over the measured run divided by the requests served.
 */
import autocannon from "autocannon";
import { totalCpuSeconds } from "./process-cpu";

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  /** The server's processes whose CPU time is counted (empty: not measurable). */
  pids: () => number[];
}

export interface CellResult {
  rps: number;
  p50: number;
  p99: number;
  /** Transport errors plus non-2xx answers. */
  errors: number;
  requests: number;
  /** Requests of the 1 s warm-up before the measured run (served, not counted above). */
  warmupRequests: number;
  /** Microseconds of server CPU per request served (null: not measurable). */
  cpuUsPerRequest: number | null;
}

export function cpuPerRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : ((after - before) / requests) * 1e6;
}

export async function autocannonCell(t: LoadTarget, body: string, connections: number, durationS: number): Promise<CellResult> {
  const run = (duration: number) =>
    autocannon({ url: t.url, method: "POST", headers: { "content-type": "application/json", ...t.headers }, body, connections, duration });
  const warm = await run(1); // warm-up: JIT, isolate, connection pools
  const cpuBefore = totalCpuSeconds(t.pids());
  const r = await run(durationS);
  const cpuUsPerRequest = cpuPerRequest(cpuBefore, totalCpuSeconds(t.pids()), r.requests.total);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, requests: r.requests.total, warmupRequests: warm.requests.total, cpuUsPerRequest };
}
