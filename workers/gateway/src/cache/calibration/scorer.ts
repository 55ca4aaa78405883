/**
 * What the hit score's scale depends on: the embedder and the lexical weight. Feedback counted
 * under one scorer says nothing about another, so the scorer id is part of every calibration key
 * (switching embedders or weights starts a namespace cold again, as it should).
 */

export function scorerId(embedderId: string, lexicalWeight: number): string {
  return `${embedderId}@w${lexicalWeight.toFixed(2)}`;
}

/**
 * Strict cold-start thresholds for scorers whose threshold was shown to transfer between disjoint
 * halves of the development pairs under streamed traffic (bench/cache.ts). Any other scorer starts
 * with exact hits only, the shipped one included: for the distilled embedder, the strict rule
 * picked on one half (no non-paraphrase at or above it, plus one band) served wrong answers on
 * the other half above every delta, and the development pairs hold too few guard-passing
 * non-paraphrases near the top (2 to 7 per set) to size a safer margin from data
 * (docs/benchmarks/cache.md, "Cold start"). The GloVe scorer it replaced held every delta at 0.775.
 */
export const MEASURED_COLD_THRESHOLDS: ReadonlyMap<string, number> = new Map([[scorerId("local-glove72-avg-v28000", 0.45), 0.775]]);

export function coldThresholdFor(setting: "auto" | "exact" | number, scorer: string): number | null {
  if (setting === "exact") return null;
  if (setting === "auto") return MEASURED_COLD_THRESHOLDS.get(scorer) ?? null;
  return setting;
}
