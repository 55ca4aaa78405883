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

export class SeriesAccumulator {
  private series = new Map<string, number>();

  get size(): number {
    return this.series.size;
  }

  inc(name: string, labels: Labels, by = 1): void {
    this.add(seriesKey(name, labelText(labels)), by);
  }

  observe(name: string, labels: Labels, seconds: number, buckets: readonly number[]): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    const l = labelText(labels);
    let le = "+Inf";
    for (const b of buckets) {
      if (seconds <= b) {
        le = String(b);
        break;
      }
    }
    this.add(seriesKey(`${name}_bucket`, l, le), 1);
    this.add(seriesKey(`${name}_sum`, l), seconds);
    this.add(seriesKey(`${name}_count`, l), 1);
  }

  add(key: string, by: number): void {
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  /** Takes everything counted so far (the isolate's delta since its last flush). */
  drain(): Record<string, number> {
    const out = Object.fromEntries(this.series);
    this.series = new Map();
    return out;
  }

  merge(delta: Record<string, number>): void {
    for (const k in delta) this.add(k, delta[k] ?? 0);
  }
}
