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

/** Draws without replacement (each pool reshuffled when used up), plus explicit repeats. */
export function buildTraffic(pool: LabelledPrompt[], o: TrafficOptions): LabelledPrompt[] {
  const random = mulberry32(o.seed);
  const drawer = (items: LabelledPrompt[]) => {
    let bag: LabelledPrompt[] = [];
    return () => {
      if (bag.length === 0) bag = shuffle([...items], random);
      return bag.pop() as LabelledPrompt;
    };
  };
  const simple = drawer(pool.filter((p) => p.smallOk));
  const hard = drawer(pool.filter((p) => !p.smallOk));
  const out: LabelledPrompt[] = [];
  for (let i = 0; i < o.requests; i++) {
    if (out.length > 0 && random() < o.repeatShare) out.push(out[Math.floor(random() * out.length)] as LabelledPrompt);
    else out.push(random() < o.simpleShare ? simple() : hard());
  }
  return out;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
