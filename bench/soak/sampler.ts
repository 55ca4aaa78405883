/**
 * bench:soak's sampler: every interval, workerd's resident memory and the evaluator's backlog;
 * with a heap probe (--heap) also the JS heaps as they stand, where the resident memory sits
 * (memory-regions.ts), and a heap snapshot after the run (with --heap-diff one at the end of
 * warm-up too).
 */
import type { Stack } from "../../test/harness/stack";
import type { HeapProbe, HeapReading } from "./heap";
import { ledgerCount, rssMb } from "./measure";
import { memoryRegions } from "./memory-regions";
import type { Sample } from "./summary";

export interface SamplerOptions {
  stack: Stack;
  tenantId: string;
  workerd: readonly number[];
  everySeconds: number;
  runStart: number;
  /** Billed requests answered so far (the driver counts them). */
  billedDone: { n: number };
  probe: HeapProbe | null;
  /** Seconds into the run for a first heap snapshot (the end of warm-up), or none (the last is taken at stop). */
  firstSnapshotAt: number | null;
  /** Which arm, in the progress lines (e.g. "128 MB", "no limit"). */
  label: string;
}

export interface Sampler {
  samples: Sample[];
  snapshots: HeapReading[];
  /** Stops sampling; with a probe, takes the last snapshot first. */
  stop(): Promise<void>;
}

export function startSampler(o: SamplerOptions): Sampler {
  const samples: Sample[] = [];
  const snapshots: HeapReading[] = [];
  const since = () => (Date.now() - o.runStart) / 1000;
  let pending: Promise<void> = Promise.resolve();
  const snapshot = async () => {
    const t = since();
    if (o.probe) snapshots.push({ t, isolates: await o.probe.snapshot() });
  };
  const sample = async () => {
    const [rows, js] = await Promise.all([ledgerCount(o.stack, o.tenantId), o.probe?.usage() ?? null]);
    const s: Sample = { t: since(), rssMb: rssMb(o.workerd), backlog: o.billedDone.n - rows, ...(js ? { js, regions: memoryRegions(o.workerd) } : {}) };
    samples.push(s);
    const extra = s.js && s.regions ? `  (JS heaps ${s.js.usedMb.toFixed(0)} used / ${s.js.committedMb.toFixed(0)} committed; V8 cage ${s.regions.v8HeapMb.toFixed(0)}, native ${s.regions.nativeMb.toFixed(0)} MB)` : "";
    console.log(`[${o.label}] t=${s.t.toFixed(0)} s  workerd ${s.rssMb.toFixed(0)} MB  backlog ${s.backlog}${extra}`);
    if (o.probe && o.firstSnapshotAt !== null && snapshots.length === 0 && s.t >= o.firstSnapshotAt) pending = snapshot();
  };
  const timer = setInterval(() => void sample().catch((err: unknown) => console.error("sample failed:", err)), o.everySeconds * 1000);
  return {
    samples,
    snapshots,
    async stop() {
      clearInterval(timer);
      await pending;
      await snapshot();
    },
  };
}
