/**
 * Reciprocal rank fusion (Cormack, Clarke, Buettcher 2009): score = sum over retrievers of
 * 1 / (k + rank). Rank-based, so BM25's unbounded scores and cosines need no calibration
 * against each other; k = 60 as in the paper.
 */
export const RRF_K = 60;

export interface RankedList {
  name: string;
  ids: readonly string[];
}

export interface Fused {
  id: string;
  score: number;
  /** 1-based rank of the id in each list it appears in. */
  ranks: Record<string, number>;
}

export function reciprocalRankFusion(lists: readonly RankedList[], k = RRF_K): Fused[] {
  const byId = new Map<string, Fused>();
  for (const list of lists) {
    list.ids.forEach((id, i) => {
      const entry = byId.get(id) ?? { id, score: 0, ranks: {} };
      if (entry.ranks[list.name] !== undefined) return;
      entry.ranks[list.name] = i + 1;
      entry.score += 1 / (k + i + 1);
      byId.set(id, entry);
    });
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
