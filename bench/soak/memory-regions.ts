/**
 * Where a workerd process's resident memory sits, from /proc/PID/smaps: the V8 pointer-compression
 * cage (every isolate's JS heap: one 4 GiB reservation), tcmalloc's arenas (workerd's native
 * allocations: C++ objects, SQLite, sockets, buffers; tcmalloc reserves 1 GiB-aligned regions),
 * JIT code (the rwx code range), mapped files (the workerd binary), and the rest. Pure, so it is
 * tested on a fixture; Linux only, which is where the benches run.
 */
import { readFileSync } from "node:fs";

export interface MemoryRegions {
  v8HeapMb: number;
  nativeMb: number;
  codeMb: number;
  filesMb: number;
  otherMb: number;
}

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
  rssKb: number;
}

const GIB = 1n << 30n;
const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/;

function parse(smaps: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of smaps.split("\n")) {
    const h = HEADER.exec(line);
    if (h) out.push({ start: BigInt(`0x${h[1]}`), end: BigInt(`0x${h[2]}`), perms: h[3] as string, path: (h[4] as string).trim(), rssKb: 0 });
    else if (line.startsWith("Rss:") && out.length) (out.at(-1) as Mapping).rssKb = Number(line.split(/\s+/)[1] ?? 0);
  }
  return out;
}

/** Contiguous runs of anonymous mappings: one reservation, split by protection changes. */
function runs(anon: readonly Mapping[]): Mapping[][] {
  const out: Mapping[][] = [];
  for (const m of [...anon].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    const last = out.at(-1);
    if (last && (last.at(-1) as Mapping).end === m.start) last.push(m);
    else out.push([m]);
  }
  return out;
}

export function classifyMappings(smaps: string): MemoryRegions {
  const r: MemoryRegions = { v8HeapMb: 0, nativeMb: 0, codeMb: 0, filesMb: 0, otherMb: 0 };
  const anon: Mapping[] = [];
  for (const m of parse(smaps)) {
    const mb = m.rssKb / 1024;
    if (m.path.startsWith("/")) r.filesMb += mb;
    else if (m.path !== "") r.otherMb += mb;
    else if (m.perms.includes("x")) r.codeMb += mb;
    else anon.push(m);
  }
  for (const run of runs(anon)) {
    const start = (run[0] as Mapping).start;
    const size = (run.at(-1) as Mapping).end - start;
    const mb = run.reduce((a, m) => a + m.rssKb, 0) / 1024;
    if (size === 4n * GIB) r.v8HeapMb += mb;
    else if (size % GIB === 0n && start % GIB === 0n) r.nativeMb += mb;
    else r.otherMb += mb;
  }
  return r;
}

/** The regions of the given processes, summed; exited ones count 0. */
export function memoryRegions(pids: readonly number[]): MemoryRegions {
  const sum: MemoryRegions = { v8HeapMb: 0, nativeMb: 0, codeMb: 0, filesMb: 0, otherMb: 0 };
  for (const pid of pids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/smaps`, "utf8");
    } catch {
      continue;
    }
    const r = classifyMappings(text);
    for (const k of Object.keys(sum) as Array<keyof MemoryRegions>) sum[k] += r[k];
  }
  return sum;
}
