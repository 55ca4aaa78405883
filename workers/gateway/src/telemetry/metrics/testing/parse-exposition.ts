/**
 * A strict parser of Prometheus text format 0.0.4 for tests. The npm parsers we tried are
 * lenient or lose labelled histograms (parse-prometheus-text-format 1.1.1 merges a histogram's
 * label sets into one), so this one fails on anything the format does not allow: every line
 * is a HELP/TYPE comment or `name{labels} value`; a sample belongs to the family TYPE'd above
 * it; a family is declared once; histogram buckets are cumulative and end in +Inf = _count.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (-?[0-9.]+(?:[eE][+-]?[0-9]+)?|\\+Inf|-Inf|NaN)$`);
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

const unescape = (v: string): string => v.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));

export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  let current: { name: string; family: ParsedFamily } | null = null;
  const helps = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      helps.set(help[1] as string, help[2] as string);
      continue;
    }
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      const name = type[1] as string;
      if (families.has(name)) throw new Error(`family ${name} declared twice`);
      const family = { type: type[2] as string, help: helps.get(name) ?? "", samples: [] };
      families.set(name, family);
      current = { name, family };
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    if (!current) throw new Error(`sample before TYPE: ${line}`);
    const name = m[1] as string;
    const suffix = name.slice(current.name.length);
    const allowed = current.family.type === "histogram" ? ["_bucket", "_sum", "_count"] : [""];
    if (!name.startsWith(current.name) || !allowed.includes(suffix)) throw new Error(`sample ${name} outside its family ${current.name}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(LABEL_PAIR)) {
      if ((k as string) in labels) throw new Error(`label ${k} repeated: ${line}`);
      labels[k as string] = unescape(v as string);
    }
    const raw = m[3] as string;
    current.family.samples.push({ name, labels, value: raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw) });
  }
  for (const [name, f] of families) if (f.type === "histogram") checkHistogram(name, f);
  return families;
}

function checkHistogram(name: string, f: ParsedFamily): void {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).filter(([k]) => k !== "le").sort());
  const groups = new Map<string, { buckets: Sample[]; count?: number }>();
  for (const s of f.samples) {
    const g = groups.get(key(s.labels)) ?? { buckets: [] };
    groups.set(key(s.labels), g);
    if (s.name.endsWith("_bucket")) g.buckets.push(s);
    if (s.name.endsWith("_count")) g.count = s.value;
  }
  for (const [labels, g] of groups) {
    for (let i = 1; i < g.buckets.length; i++) if ((g.buckets[i]?.value ?? 0) < (g.buckets[i - 1]?.value ?? 0)) throw new Error(`${name}${labels}: buckets not cumulative`);
    const last = g.buckets.at(-1);
    if (last?.labels.le !== "+Inf" || last.value !== g.count) throw new Error(`${name}${labels}: +Inf bucket must equal _count`);
  }
}

/** Sum of a family's samples whose labels include `match` (e.g. one tenant's requests). */
export function total(families: Map<string, ParsedFamily>, name: string, match: Record<string, string> = {}, sampleName = name): number {
  return (families.get(name)?.samples ?? []).filter((s) => s.name === sampleName && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}
