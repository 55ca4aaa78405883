/**
 * bench:soak --heap: the V8 heap of each Worker's isolate, read through workerd's inspector, so a
 * rising resident set can be told apart: JS objects our code keeps (the heap grows after a full
 * GC) or memory outside the JS heap (workerd, SQLite, the allocator; the heap stays level).
 * `usage()` reads the heaps as they stand (garbage included, cheap); `snapshot()` runs a full GC
 * and counts live objects by constructor, and `diff()` lists what grew between two snapshots.
 */
import { connect } from "../lib/inspector-profile";

type Send = (method: string, params?: object) => Promise<unknown>;

export interface HeapUsage {
  /** Inspector target id, e.g. "core:user:llm-gateway". */
  id: string;
  /** Live JS heap after the snapshot's full GC, MB. */
  usedMb: number;
  totalMb: number;
  /** Array buffers' and Wasm memories' backing stores outside the JS heap, MB (V8's count). */
  backingMb: number;
  groups: HeapGroup[];
}

export interface HeapGroup {
  /** "<node type>:<constructor or name>", e.g. "object:Map", "closure:fetch", "string". */
  key: string;
  count: number;
  bytes: number;
}

/** The JS heaps as they stand (garbage included), MB: all isolates summed, and the gateway's own. */
export interface JsHeaps {
  usedMb: number;
  committedMb: number;
  /** The gateway's isolate ("core:user:llm-gateway"): what a deployed Worker's 128 MB limit is about. */
  gatewayUsedMb: number;
  gatewayCommittedMb: number;
  /** Every isolate's heap in use, MB, by inspector target id: which one carries a rise. */
  byIsolate: Record<string, number>;
}

export const GATEWAY_ISOLATE = "core:user:llm-gateway";

export interface HeapProbe {
  /** JS heap of every isolate summed, as it stands (no GC): used and committed, MB. */
  usage(): Promise<JsHeaps>;
  /** Per isolate, after a full GC: live heap and objects by constructor. Pauses each isolate (seconds for the gateway). */
  snapshot(): Promise<HeapUsage[]>;
}

/**
 * Every isolate in the workerd process: ours (the gateway, "core:user:llm-gateway", and the
 * evaluator) and Miniflare's D1/KV/Queue/R2 simulators, which live in the same process.
 * workerd does not answer HeapProfiler.collectGarbage while an isolate is idle; a heap snapshot
 * runs a full GC itself, so `snapshot()` takes one and asks for the usage after it.
 */
export async function openHeapProbe(inspectorPort: number): Promise<HeapProbe> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ id: string; webSocketDebuggerUrl: string }>;
  const sessions = await Promise.all(
    targets.map(async (t) => {
      const chunks: string[] = [];
      const send: Send = await connect(t.webSocketDebuggerUrl, (method, params) => {
        if (method === "HeapProfiler.addHeapSnapshotChunk") chunks.push((params as { chunk: string }).chunk);
      });
      return { id: t.id, send, chunks };
    }),
  );
  const heapUsage = async (send: Send) => (await send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number; backingStorageSize?: number };
  // One inspector call at a time per probe: a sample must not interleave with a snapshot.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    usage: () =>
      serial(async () => {
        const all = await Promise.all(sessions.map((s) => heapUsage(s.send)));
        const gateway = all[sessions.findIndex((s) => s.id === GATEWAY_ISOLATE)];
        const mb = (bytes: number | undefined) => (bytes ?? 0) / 2 ** 20;
        return {
          usedMb: mb(all.reduce((a, u) => a + u.usedSize, 0)),
          committedMb: mb(all.reduce((a, u) => a + u.totalSize, 0)),
          gatewayUsedMb: mb(gateway?.usedSize),
          gatewayCommittedMb: mb(gateway?.totalSize),
          byIsolate: Object.fromEntries(sessions.map((s, i) => [s.id, mb(all[i]?.usedSize)])),
        };
      }),
    snapshot: () =>
      serial(async () => {
        const out: HeapUsage[] = [];
        for (const { id, send, chunks } of sessions) {
          chunks.length = 0;
          await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
          const u = await heapUsage(send);
          const groups = groupSnapshot(JSON.parse(chunks.join("")) as RawSnapshot);
          chunks.length = 0;
          out.push({ id, usedMb: u.usedSize / 2 ** 20, totalMb: u.totalSize / 2 ** 20, backingMb: (u.backingStorageSize ?? 0) / 2 ** 20, groups });
        }
        return out;
      }),
  };
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Live objects grouped by type and constructor (strings, code and numbers by type alone). */
export function groupSnapshot(raw: RawSnapshot): HeapGroup[] {
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const width = fields.length;
  const [ti, ni, si] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < raw.nodes.length; i += width) {
    const type = types[raw.nodes[i + ti] as number] ?? "?";
    const named = type === "object" || type === "closure" || type === "native" || type === "hidden" || type === "array";
    const key = named ? `${type}:${(raw.strings[raw.nodes[i + ni] as number] ?? "").slice(0, 60)}` : type;
    const g = groups.get(key) ?? { key, count: 0, bytes: 0 };
    g.count++;
    g.bytes += raw.nodes[i + si] as number;
    groups.set(key, g);
  }
  return [...groups.values()];
}

export interface HeapGrowth {
  key: string;
  countDelta: number;
  bytesDelta: number;
  countAfter: number;
}

/** Groups that grew from `before` to `after`, largest byte growth first. */
export function diff(before: readonly HeapGroup[], after: readonly HeapGroup[], top = 15): HeapGrowth[] {
  const was = new Map(before.map((g) => [g.key, g]));
  return after
    .map((g) => ({ key: g.key, countDelta: g.count - (was.get(g.key)?.count ?? 0), bytesDelta: g.bytes - (was.get(g.key)?.bytes ?? 0), countAfter: g.count }))
    .filter((g) => g.bytesDelta > 0)
    .sort((a, b) => b.bytesDelta - a.bytesDelta)
    .slice(0, top);
}

export interface HeapReading {
  /** Seconds since the run started. */
  t: number;
  isolates: HeapUsage[];
}

/** Per isolate: live heap at two snapshots, and what grew between them. */
export interface IsolateGrowth {
  id: string;
  fromMb: number;
  toMb: number;
  top: HeapGrowth[];
}

export function growthBetween(first: HeapReading, last: HeapReading): IsolateGrowth[] {
  return last.isolates.map((u) => {
    const was = first.isolates.find((x) => x.id === u.id);
    return { id: u.id, fromMb: was?.usedMb ?? 0, toMb: u.usedMb, top: diff(was?.groups ?? [], u.groups) };
  });
}

/** Total live heap (after GC) of all isolates in a reading, MB. */
export const liveMb = (r: HeapReading): number => r.isolates.reduce((a, u) => a + u.usedMb, 0);
