/**
 * Counters as flat series, the one shape every live metric takes between an isolate, the
 * aggregating Durable Object and the exposition: key = `name \x01 labels \x01 le`, value = a
 * running sum. A histogram observation adds to one (non-cumulative) bucket series plus its
 * `_sum` and `_count`; buckets are made cumulative only when rendered. Label values come from
 * the gateway's own vocabulary (route patterns, model ids, tiers, reasons): never request text.
 */

const SEP = "\u0001";

/** vLLM's e2e request latency buckets (vllm/engine/metrics), with sub-300 ms ones for a gateway answering from cache. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680] as const;
/** vLLM's time-to-first-token buckets. */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560] as const;

export type Labels = Record<string, string>;

const NEEDS_ESCAPE = /[\\"\n]/;

/**
 * Prometheus text-format label value escaping (\, ", newline). Label values are almost always
 * plain (route patterns, model ids, tiers): one test instead of three replaces per label, since
 * every request records about ten series.
 */
export const escapeLabel = (v: string): string => (NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") : v);

export function labelText(labels: Labels): string {
  let out = "";
  for (const k in labels) out += `${out ? "," : ""}${k}="${escapeLabel(labels[k] ?? "")}"`;
  return out;
}

export const seriesKey = (name: string, labels: string, le = ""): string => `${name}${SEP}${labels}${SEP}${le}`;

export function parseKey(key: string): { name: string; labels: string; le: string } {
  const [name = "", labels = "", le = ""] = key.split(SEP);
  return { name, labels, le };
}

/** A histogram series' keys: `_sum`, `_count`, and each bucket's (by index; the last is +Inf), made on first use. */
interface HistogramKeys {
  labels: string;
  sum: string;
  count: string;
  /** The bucket bounds the bucket keys were made for (a family observed with other bounds remakes them). */
  bounds: readonly number[] | undefined;
  buckets: Array<string | undefined>;
}

interface KeyNode<T> {
  next: Map<string, KeyNode<T>>;
  keys: T | undefined;
}

/**
 * Series keys by family name and labels (names and values), so a request that records ten
 * series builds no strings once its series have been seen. The chat families are labelled by
 * tenant, so the set grows with the tenants an isolate serves (~6 KB each, measured): it is
 * dropped at every drain (seconds apart) and whole if it grows past MAX_CACHED before one.
 */
class KeyCache<T> {
  private static readonly MAX_CACHED = 2_000;
  private root: KeyNode<T> = { next: new Map(), keys: undefined };
  private size = 0;

  get(name: string, labels: Labels, make: () => T): T {
    let node = step(this.root, name);
    for (const k in labels) node = step(step(node, k), labels[k] ?? "");
    if (node.keys !== undefined) return node.keys;
    if (++this.size > KeyCache.MAX_CACHED) {
      this.root = { next: new Map(), keys: undefined };
      this.size = 0;
      return this.get(name, labels, make);
    }
    return (node.keys = make());
  }
}

function step<T>(node: KeyNode<T>, part: string): KeyNode<T> {
  let next = node.next.get(part);
  if (!next) node.next.set(part, (next = { next: new Map(), keys: undefined }));
  return next;
}

export class SeriesAccumulator {
  private series = new Map<string, number>();
  private counterKeys = new KeyCache<string>();
  private histogramKeys = new KeyCache<HistogramKeys>();

  get size(): number {
    return this.series.size;
  }

  inc(name: string, labels: Labels, by = 1): void {
    this.add(this.counterKeys.get(name, labels, () => seriesKey(name, labelText(labels))), by);
  }

  observe(name: string, labels: Labels, seconds: number, buckets: readonly number[]): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const keys = this.histogramKeys.get(name, labels, () => {
      const l = labelText(labels);
      return { labels: l, sum: seriesKey(`${name}_sum`, l), count: seriesKey(`${name}_count`, l), bounds: buckets, buckets: [] };
    });
    if (keys.bounds !== buckets) {
      keys.bounds = buckets;
      keys.buckets = [];
    }
    let i = 0;
    while (i < buckets.length && !(seconds <= (buckets[i] as number))) i++;
    const bucket = (keys.buckets[i] ??= seriesKey(`${name}_bucket`, keys.labels, i < buckets.length ? String(buckets[i]) : "+Inf"));
    this.add(bucket, 1);
    this.add(keys.sum, seconds);
    this.add(keys.count, 1);
  }

  add(key: string, by: number): void {
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  /** Takes everything counted so far (the isolate's delta since its last flush). */
  drain(): Record<string, number> {
    const out = Object.fromEntries(this.series);
    this.series = new Map();
    // The key caches go too: they would otherwise keep every tenant's keys for the isolate's life.
    this.counterKeys = new KeyCache<string>();
    this.histogramKeys = new KeyCache<HistogramKeys>();
    return out;
  }

  merge(delta: Record<string, number>): void {
    for (const k in delta) this.add(k, delta[k] ?? 0);
  }
}
