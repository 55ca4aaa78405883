/**
 * Paraphrase quality of the semantic cache decision on STS-B style pairs: a pair scored >= 4
 * should hit, a pair scored <= 2 must not. Each pair is treated as (cached question, new
 * question); a hit needs the hit score (cosine minus lexicalWeight x the share of content words
 * not shared, as semantic-cache/hit-score.ts) >= threshold and, with guards on, guardCompatible().
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { cosine, type Embedder } from "../workers/gateway/src/cache/embedder/embedder";
import { guardCompatible } from "../workers/gateway/src/cache/guards/guard-compatible";
import { DEFAULT_GUARD_RULES, type GuardRules } from "../workers/gateway/src/cache/guards/rules";
import { lexicalOverlap } from "../workers/gateway/src/cache/semantic-cache/lexical-overlap";
import { NO_SYNONYMS, type SynonymTable } from "../workers/gateway/src/cache/semantic-cache/synonyms";

export interface Pair {
  a: string;
  b: string;
  score: number;
}

export interface ScoredPair extends Pair {
  cos: number;
  /** Weighted content-word overlap (1 = same content words). */
  overlap: number;
  guardOk: boolean;
}

/** The semantic hit decision's parameters besides the threshold (settings.ts). */
export interface Decision {
  lexicalWeight: number;
  /** Cosine below which the vector index returns nothing. */
  minCosine: number;
}

export const COSINE_ONLY: Decision = { lexicalWeight: 0, minCosine: 0 };

/** The decision score of semantic-cache/hit-score.ts, from the precomputed parts. */
export function hitScore(p: ScoredPair, d: Decision): number {
  return p.cos < d.minCosine ? -1 : p.cos - d.lexicalWeight * (1 - p.overlap);
}

export function loadPairs(path: string): Pair[] {
  const rows = parse(readFileSync(path, "utf8"), { relax_quotes: true }) as string[][];
  return rows.map(([a = "", b = "", s = "0"]) => ({ a, b, score: Number(s) }));
}

/** Both directions must pass: either text may be the cached one. */
export function guardsPass(p: Pair, rules: GuardRules = DEFAULT_GUARD_RULES): boolean {
  return guardCompatible(p.b, p.a, rules).ok && guardCompatible(p.a, p.b, rules).ok;
}

export async function scorePairs(pairs: Pair[], embedder: Embedder, rules: GuardRules = DEFAULT_GUARD_RULES, synonyms: SynonymTable = NO_SYNONYMS): Promise<ScoredPair[]> {
  const out: ScoredPair[] = [];
  for (const p of pairs) {
    const [va, vb] = await embedder.embed([p.a, p.b]);
    const guard = guardsPass(p, rules);
    out.push({ ...p, cos: va && vb ? cosine(va, vb) : 0, overlap: lexicalOverlap(p.b, p.a, synonyms), guardOk: guard });
  }
  return out;
}

export interface Rates {
  threshold: number;
  hitRate: number;
  falseHitRate: number;
}

export function rates(scored: ScoredPair[], threshold: number, guards: boolean, d: Decision = COSINE_ONLY): Rates {
  const pos = scored.filter((p) => p.score >= 4);
  const neg = scored.filter((p) => p.score <= 2);
  const hit = (p: ScoredPair): boolean => hitScore(p, d) >= threshold && (!guards || p.guardOk);
  return {
    threshold,
    hitRate: pos.filter(hit).length / Math.max(1, pos.length),
    falseHitRate: neg.filter(hit).length / Math.max(1, neg.length),
  };
}

/** Lowest threshold on a fixed 0.005 grid whose false-hit rate is within the budget. */
export function pickThreshold(scored: ScoredPair[], guards: boolean, budget: number, d: Decision = COSINE_ONLY): Rates {
  let best: Rates = rates(scored, 1, guards, d);
  for (let t = 1; t >= 0.5; t -= 0.005) {
    const r = rates(scored, Number(t.toFixed(3)), guards, d);
    if (r.falseHitRate > budget) break;
    best = r;
  }
  return best;
}

/** Lexical weights the rule considers: 0 (cosine alone) to 0.5 in steps of 0.05. */
export const LEXICAL_WEIGHT_GRID = Array.from({ length: 11 }, (_, i) => i * 0.05);

/**
 * ROC AUC of the hit score, paraphrases vs non-paraphrases, over all pairs the guards accept
 * (no cosine floor): how well the score ranks, measured on every pair rather than on the few
 * near the 1% point, so it moves far less with sampling noise than the hit rate at 1% does.
 */
export function auc(scored: ScoredPair[], lexicalWeight: number): number {
  const d: Decision = { lexicalWeight, minCosine: -1 };
  const decided = scored.filter((p) => p.guardOk);
  const pos = decided.filter((p) => p.score >= 4).map((p) => hitScore(p, d));
  const neg = decided.filter((p) => p.score <= 2).map((p) => hitScore(p, d));
  let wins = 0;
  for (const x of pos) for (const y of neg) wins += x > y ? 1 : x === y ? 0.5 : 0;
  return wins / Math.max(1, pos.length * neg.length);
}

/** The lexical weight rule: highest AUC on the grid; ties (to 4 decimals) go to the smaller weight. */
export function pickLexicalWeight(scored: ScoredPair[]): number {
  let best = 0;
  let bestAuc = -1;
  for (const w of LEXICAL_WEIGHT_GRID) {
    const a = Number(auc(scored, w).toFixed(4));
    if (a > bestAuc) [best, bestAuc] = [w, a];
  }
  return Number(best.toFixed(2));
}

/** Rank correlation of the score with the human ratings over all pairs (no floor: a ranking measure). */
export function spearman(scored: ScoredPair[], lexicalWeight = 0): number {
  const rank = (xs: number[]): number[] => {
    const idx = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    idx.forEach(([, i], k) => (r[i] = k));
    return r;
  };
  const ra = rank(scored.map((p) => hitScore(p, { lexicalWeight, minCosine: -1 })));
  const rb = rank(scored.map((p) => p.score));
  const n = scored.length;
  const d2 = ra.reduce((s, x, i) => s + (x - (rb[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
