/**
 * A reproducible traffic mix for end-to-end benchmarks, from a labelled CSV in router:eval
 * format (prompt + per-tier correctness): a share of simple prompts (the small tier answers
 * them correctly), the rest hard, and a share of repeats (users asking again), seeded.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

export interface LabelledPrompt {
  prompt: string;
  smallOk: boolean;
  frontierOk: boolean;
}

export interface TrafficOptions {
  requests: number;
  simpleShare: number;
  repeatShare: number;
  seed: number;
}

export function loadLabelled(path: string): LabelledPrompt[] {
  const rows = parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return rows.map((r) => ({ prompt: r.prompt ?? "", smallOk: r.small === "true", frontierOk: r.frontier === "true" })).filter((r) => r.prompt);
}

/** mulberry32: small, fast, good enough to make a benchmark reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildTraffic(pool: LabelledPrompt[], o: TrafficOptions): LabelledPrompt[] {
  const random = rng(o.seed);
  const simple = pool.filter((p) => p.smallOk);
  const hard = pool.filter((p) => !p.smallOk);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const out: LabelledPrompt[] = [];
  for (let i = 0; i < o.requests; i++) {
    if (out.length > 0 && random() < o.repeatShare) out.push(pick(out));
    else out.push(random() < o.simpleShare ? pick(simple) : pick(hard));
  }
  return out;
}
