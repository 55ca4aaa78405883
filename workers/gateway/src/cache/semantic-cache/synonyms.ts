/**
 * Words that share a sense ("sofa" / "couch", "expand" / "widen"), for the lexical overlap's
 * optional synonym stage (as METEOR matches words): a question that swaps a word for a synonym
 * keeps its point, one that swaps it for a neighbour in embedding space ("onion" / "garlic")
 * does not, and word vectors rate both kinds alike. Not used by the shipped scorer: the benchmark
 * builds a table from WordNet (bench/cache-synonyms.ts) and measures what it would gain
 * (docs/benchmarks/cache.md, "Features tried"). Keys are lexical-overlap's stem().
 */
export class SynonymTable {
  private readonly groupsOf = new Map<string, number[]>();

  constructor(groups: readonly (readonly string[])[]) {
    for (const [i, g] of groups.entries()) {
      for (const key of g) {
        const list = this.groupsOf.get(key);
        if (list) list.push(i);
        else this.groupsOf.set(key, [i]);
      }
    }
  }

  /** No word has a synonym: the overlap skips the synonym stage. */
  get empty(): boolean {
    return this.groupsOf.size === 0;
  }

  related(a: string, b: string): boolean {
    const ga = this.groupsOf.get(a);
    const gb = this.groupsOf.get(b);
    if (!ga || !gb) return false;
    return ga.some((g) => gb.includes(g));
  }
}

export const NO_SYNONYMS = new SynonymTable([]);
