/** Chrome DevTools Protocol helpers for the benchmarks that profile workerd isolates. */

export interface CallFrame { functionName: string; url: string; lineNumber: number }
export interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
export interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number }

/** `onEvent` receives the protocol's notifications (e.g. HeapProfiler.addHeapSnapshotChunk). */
export function connect(url: string, onEvent?: (method: string, params: unknown) => void): Promise<(method: string, params?: object) => Promise<unknown>> {
  const ws = new WebSocket(url);
  let id = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as { id?: number; result?: unknown; method?: string; params?: unknown };
    if (msg.id !== undefined) {
      waiting.get(msg.id)?.(msg.result);
      waiting.delete(msg.id);
    } else if (msg.method) onEvent?.(msg.method, msg.params);
  });
  return new Promise((ok, fail) => {
    ws.addEventListener("error", fail);
    ws.addEventListener("open", () =>
      ok((method, params = {}) => new Promise((resolve) => {
        const n = ++id;
        waiting.set(n, resolve);
        ws.send(JSON.stringify({ id: n, method, params }));
      })),
    );
  });
}

export function summarise(p: Profile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (f: CallFrame) => `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    total += hits;
    if (n.callFrame.functionName === "(idle)") idle += hits;
    self.set(name(n.callFrame), (self.get(name(n.callFrame)) ?? 0) + hits);
    const seen = new Set<string>();
    for (let cur: number | undefined = n.id; cur !== undefined; cur = parent.get(cur)) {
      const k = name((byId.get(cur) as ProfileNode).callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + hits);
    }
  }
  const busy = total - idle;
  const pct = (h: number) => `${((h / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(`samples ${total}, busy ${busy} (${((busy / total) * 100).toFixed(0)}% of wall time)`);
  console.log("\nTop self time (% of busy):");
  for (const [k, h] of [...self].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(pct(h), k);
  console.log("\nTop inclusive time (% of busy):");
  for (const [k, h] of [...incl].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(root)")).sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(pct(h), k);
}

