/**
 * Peak resident memory (VmHWM) of processes, read from /proc: for workerd children that
 * Miniflare starts, and for Node servers we spawn. Linux only, which is where benches run.
 */
import { readdirSync, readFileSync } from "node:fs";

export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** Pids of direct children of `parent` whose command name matches. */
export function childPids(parent: number, name: RegExp): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = /\((.*)\)/.exec(stat)?.[1] ?? "";
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent && name.test(comm)) out.push(Number(entry));
    } catch {
      // process exited while we looked
    }
  }
  return out;
}
