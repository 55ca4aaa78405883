/**
 * CPU time a process has used (user + system, all threads), read from /proc/<pid>/stat.
 * Benchmarks take the difference over a measured run and divide by the requests served: CPU
 * per request is far steadier than requests/s on a shared machine, because other tenants'
 * jobs slow the clock but do not add to this process's CPU.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based).
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Total CPU seconds of a set of processes (null if none could be read). */
export function totalCpuSeconds(pids: number[]): number | null {
  const values = pids.map(cpuSeconds).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/**
 * CPU time of a process in nanoseconds, split into its main thread and the rest (in workerd:
 * V8's background threads, i.e. concurrent GC and compilation): the sum over its threads of
 * /proc/<pid>/task/<tid>/schedstat (time on CPU, nanosecond resolution; /proc/<pid>/stat counts
 * 10 ms ticks, too coarse for windows of a second). A thread that exits between two reads takes
 * its time with it, so use this on processes with long-lived threads (workerd's are).
 */
export function threadCpuNanoseconds(pid: number): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
        if (Number(tid) === pid) main += ns;
        else others += ns;
      } catch {
        // the thread exited while we looked
      }
    }
    return { main, others };
  } catch {
    return null;
  }
}
