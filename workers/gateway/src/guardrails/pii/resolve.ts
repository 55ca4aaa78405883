import type { RawFinding } from "../types";

/**
 * Overlap resolution: higher score wins, then the longer span, then the earlier start.
 * Greedy over the sorted list is O(n log n + n·k) with k = accepted neighbours checked.
 */
export function resolveOverlaps<T extends RawFinding>(findings: readonly T[]): T[] {
  const sorted = [...findings].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: T[] = [];
  for (const f of sorted) {
    if (f.end <= f.start) continue;
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}
