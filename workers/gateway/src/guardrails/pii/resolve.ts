import type { RawFinding } from "../types";

/**
 * A URL is a container: a key, an email or a name found inside one is the more specific
 * finding and must survive even when the URL itself is allowed by policy.
 */
const rank = (f: RawFinding): number => (f.type === "URL" ? f.score - 1 : f.score);

/**
 * Overlap resolution: higher score wins (URLs last, see `rank`), then the longer span, then the earlier start.
 * Greedy over the sorted list is O(n log n + n·k) with k = accepted neighbours checked.
 */
export function resolveOverlaps<T extends RawFinding>(findings: readonly T[]): T[] {
  const sorted = [...findings].sort(
    (a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: T[] = [];
  for (const f of sorted) {
    if (f.end <= f.start) continue;
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}
