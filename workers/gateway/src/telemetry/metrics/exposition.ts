/**
 * Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): one HELP and TYPE line per
 * family, then its samples; a histogram's buckets cumulative over every bound and ending in
 * `+Inf` = `_count`.
 */
import { parseKey, seriesKey } from "./series";

export type MetricType = "counter" | "gauge" | "histogram";

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  /** For histograms: the bucket bounds. */
  buckets?: readonly number[];
  /** Flat series (see series.ts): `name`, `name_bucket` (+le), `name_sum`, `name_count`. */
  series: Record<string, number>;
}

const num = (v: number): string => (Number.isInteger(v) ? String(v) : Number.isFinite(v) ? String(Number(v.toPrecision(15))) : v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN");
const sample = (name: string, labels: string, value: number): string => `${name}${labels ? `{${labels}}` : ""} ${num(value)}\n`;
const withLe = (labels: string, le: string): string => `${labels ? `${labels},` : ""}le="${le}"`;

function renderHistogram(f: Family): string {
  const groups = new Map<string, { buckets: Map<string, number>; sum: number; count: number }>();
  const group = (labels: string) => {
    let g = groups.get(labels);
    if (!g) groups.set(labels, (g = { buckets: new Map(), sum: 0, count: 0 }));
    return g;
  };
  for (const [key, value] of Object.entries(f.series)) {
    const { name, labels, le } = parseKey(key);
    if (name === `${f.name}_bucket`) group(labels).buckets.set(le, (group(labels).buckets.get(le) ?? 0) + value);
    else if (name === `${f.name}_sum`) group(labels).sum += value;
    else if (name === `${f.name}_count`) group(labels).count += value;
  }
  let out = "";
  for (const [labels, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    let cumulative = 0;
    for (const bound of f.buckets ?? []) {
      cumulative += g.buckets.get(String(bound)) ?? 0;
      out += sample(`${f.name}_bucket`, withLe(labels, String(bound)), cumulative);
    }
    out += sample(`${f.name}_bucket`, withLe(labels, "+Inf"), g.count);
    out += sample(`${f.name}_sum`, labels, g.sum);
    out += sample(`${f.name}_count`, labels, g.count);
  }
  return out;
}

export function render(families: readonly Family[]): string {
  let out = "";
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${f.name} ${f.type}\n`;
    if (f.type === "histogram") {
      out += renderHistogram(f);
      continue;
    }
    for (const [key, value] of Object.entries(f.series).sort(([a], [b]) => a.localeCompare(b))) {
      const { labels } = parseKey(key);
      out += sample(f.name, labels, value);
    }
  }
  return out;
}

/** The series of one family from a flat map (live totals hold every family together). */
export function pick(all: Record<string, number>, name: string, histogram = false): Record<string, number> {
  const names = histogram ? new Set([`${name}_bucket`, `${name}_sum`, `${name}_count`]) : new Set([name]);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(all)) if (names.has(parseKey(key).name)) out[key] = value;
  return out;
}

export const one = (name: string, labels: string, value: number): Record<string, number> => ({ [seriesKey(name, labels)]: value });
