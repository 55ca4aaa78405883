/**
 * What the hit score's scale depends on: the embedder and the lexical weight. Feedback counted
 * under one scorer says nothing about another, so the scorer id is part of every calibration key
 * (switching embedders or weights starts a namespace cold again, as it should).
 */
import { DEFAULT_LEXICAL_WEIGHT } from "../settings";
import { SHIPPED_EMBEDDER_ID } from "../embedder/local/shipped-embedder-id";

export function scorerId(embedderId: string, lexicalWeight: number): string {
  return `${embedderId}@w${lexicalWeight.toFixed(2)}`;
}

/**
 * Strict cold-start thresholds for scorers the benchmark measured (bench/cache.ts, "cold
 * threshold": no non-paraphrase at or above it on either half of the development pairs, plus one
 * band of margin). Any other scorer starts with exact hits only.
 */
export const SHIPPED_COLD_THRESHOLD = 0.775;
export const MEASURED_COLD_THRESHOLDS: ReadonlyMap<string, number> = new Map([[scorerId(SHIPPED_EMBEDDER_ID, DEFAULT_LEXICAL_WEIGHT), SHIPPED_COLD_THRESHOLD]]);

export function coldThresholdFor(setting: "auto" | "exact" | number, scorer: string): number | null {
  if (setting === "exact") return null;
  if (setting === "auto") return MEASURED_COLD_THRESHOLDS.get(scorer) ?? null;
  return setting;
}
