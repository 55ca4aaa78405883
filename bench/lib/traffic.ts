/**
 * A reproducible traffic mix for end-to-end benchmarks, from a labelled CSV in router:eval
 * format (prompt + per-tier correctness): a share of simple prompts (the small tier answers
 * them correctly), the rest hard, and a share of repeats (users asking again), seeded.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { mulberry32 } from "../../shared/random";

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

export function buildTraffic(pool: LabelledPrompt[], o: TrafficOptions): LabelledPrompt[] {
  const random = mulberry32(o.seed);
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
