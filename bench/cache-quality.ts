/**
 * Paraphrase quality of the semantic cache decision on STS-B style pairs: a pair scored >= 4
 * should hit, a pair scored <= 2 must not. Each pair is treated as (cached question, new
 * question); a hit needs cosine >= threshold and, when guards are on, guardCompatible().
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { cosine, type Embedder } from "../workers/gateway/src/cache/embedder/embedder";
import { guardCompatible } from "../workers/gateway/src/cache/guards/guard-compatible";

export interface Pair {
  a: string;
  b: string;
  score: number;
}

export interface ScoredPair extends Pair {
  cos: number;
  guardOk: boolean;
}

export function loadPairs(path: string): Pair[] {
  const rows = parse(readFileSync(path, "utf8"), { relax_quotes: true }) as string[][];
  return rows.map(([a = "", b = "", s = "0"]) => ({ a, b, score: Number(s) }));
}

export async function scorePairs(pairs: Pair[], embedder: Embedder): Promise<ScoredPair[]> {
  const out: ScoredPair[] = [];
  for (const p of pairs) {
    const [va, vb] = await embedder.embed([p.a, p.b]);
    const guard = guardCompatible(p.b, p.a).ok && guardCompatible(p.a, p.b).ok;
    out.push({ ...p, cos: va && vb ? cosine(va, vb) : 0, guardOk: guard });
  }
  return out;
}

export interface Rates {
  threshold: number;
  hitRate: number;
  falseHitRate: number;
}

export function rates(scored: ScoredPair[], threshold: number, guards: boolean): Rates {
  const pos = scored.filter((p) => p.score >= 4);
  const neg = scored.filter((p) => p.score <= 2);
  const hit = (p: ScoredPair): boolean => p.cos >= threshold && (!guards || p.guardOk);
  return {
    threshold,
    hitRate: pos.filter(hit).length / Math.max(1, pos.length),
    falseHitRate: neg.filter(hit).length / Math.max(1, neg.length),
  };
}

/** Lowest threshold on a fixed 0.005 grid whose false-hit rate is within the budget. */
export function pickThreshold(scored: ScoredPair[], guards: boolean, budget: number): Rates {
  let best: Rates = rates(scored, 1, guards);
  for (let t = 1; t >= 0.5; t -= 0.005) {
    const r = rates(scored, Number(t.toFixed(3)), guards);
    if (r.falseHitRate > budget) break;
    best = r;
  }
  return best;
}

export function spearman(scored: ScoredPair[]): number {
  const rank = (xs: number[]): number[] => {
    const idx = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    idx.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = rank(scored.map((p) => p.cos));
  const rb = rank(scored.map((p) => p.score));
  const n = scored.length;
  const d2 = ra.reduce((s, x, i) => s + (x - (rb[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
