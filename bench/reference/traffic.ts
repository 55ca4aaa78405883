/**
 * bench:reference's traffic: a seeded mix of held-out rows, an equal share from each source
 * (drawn without replacement; a source that runs out leaves the draw), plus a share of repeats
 * (a user asking an earlier request again, which is what the cache is for). Rows are never
 * chosen by their correctness labels: the share the small model gets right is whatever the
 * sources give, and the report states it next to the reference case's 70%.
 */
import { mulberry32, shuffle } from "../../scripts/router/lib/rng";

export interface MixOptions {
  requests: number;
  /** Probability that a request repeats an earlier one (its prompt, verbatim). */
  repeatShare: number;
  seed: number;
}

export interface Request<T> {
  row: T;
  /** Sent before in this traffic (so a cache may hold it). */
  repeat: boolean;
}

export function mixTraffic<T>(pools: ReadonlyMap<string, readonly T[]>, o: MixOptions): Array<Request<T>> {
  const random = mulberry32(o.seed);
  // Sorted names so the mix does not depend on the order the pools were read in.
  const bags = [...pools.keys()].sort().map((name) => shuffle(random, [...(pools.get(name) ?? [])]));
  const out: Array<Request<T>> = [];
  while (out.length < o.requests) {
    const open = bags.filter((b) => b.length > 0);
    if (out.length > 0 && (open.length === 0 || random() < o.repeatShare)) {
      const firsts = out.filter((r) => !r.repeat);
      out.push({ row: firsts[Math.floor(random() * firsts.length)]!.row, repeat: true });
    } else if (open.length > 0) {
      out.push({ row: open[Math.floor(random() * open.length)]!.pop()!, repeat: false });
    } else {
      break;
    }
  }
  return out;
}

/** Share of rows (first sends only) for which `ok` holds, e.g. the small model's answer is right. */
export function shareOf<T>(traffic: ReadonlyArray<Request<T>>, ok: (row: T) => boolean): number {
  const firsts = traffic.filter((r) => !r.repeat);
  return firsts.length ? firsts.filter((r) => ok(r.row)).length / firsts.length : 0;
}

/**
 * The pools without the rows `taken` uses: a warm-up sample of the same distribution (same files,
 * another seed) that shares no prompt with the measured traffic.
 */
export function withoutRows<T>(pools: ReadonlyMap<string, readonly T[]>, taken: ReadonlyArray<Request<T>>): Map<string, T[]> {
  const used = new Set(taken.map((r) => r.row));
  return new Map([...pools].map(([name, rows]) => [name, rows.filter((r) => !used.has(r))]));
}
