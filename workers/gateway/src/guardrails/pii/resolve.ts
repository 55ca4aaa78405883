import type { RawFinding } from "../types";

/**
 * A URL is a container: a key, an email or a name found inside one is the more specific
 * finding and must survive even when the URL itself is allowed by policy.
 */
const rank = (f: RawFinding): number => (f.type === "URL" ? f.score - 1 : f.score);

/**
 * Overlap resolution: higher score wins (URLs last, see `rank`), then the longer span, then the
 * earlier start. Greedy over the sorted list; whether a candidate overlaps a span already kept is
 * read from a map of the characters taken, so the cost is O(n log n + the candidates' total
 * length). Comparing each candidate with every kept span was quadratic in the findings: a
 * megabyte of text dense with entities spent seconds here.
 */
export function resolveOverlaps<T extends RawFinding>(findings: readonly T[]): T[] {
  const sorted = [...findings].sort(
    (a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Offsets come from the detectors and lie within the text; anything else is dropped, not trusted.
  const valid = (f: T): boolean => Number.isSafeInteger(f.start) && Number.isSafeInteger(f.end) && f.start >= 0 && f.end > f.start;
  const taken = new Uint8Array(findings.reduce((n, f) => (valid(f) ? Math.max(n, f.end) : n), 0));
  const kept: T[] = [];
  for (const f of sorted) {
    if (!valid(f) || taken.subarray(f.start, f.end).includes(1)) continue;
    taken.fill(1, f.start, f.end);
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}
