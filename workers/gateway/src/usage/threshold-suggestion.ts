/**
 * Semantic-cache hit precision and a threshold suggestion from audited hits (the evaluator's
 * cache_audits: similarity of the hit, judged correct or not). Pure: the query feeds it counts.
 *
 * The suggestion is the lowest similarity threshold t whose precision over audited hits with
 * similarity >= t reaches the target: the loosest cache that would still have served correct
 * answers that often. Two limits the notes spell out: hits are only served (so only audited)
 * at or above the threshold in force, so nothing below the lowest audited similarity is known;
 * and a few dozen samples cannot show 97% precision (with every sample correct, the 95% lower
 * bound passes 0.97 only from 125 samples), hence a confidence level from the Wilson bound.
 */

export interface AuditBucket {
  /** Similarity of the hits in this bucket (the query floors to 0.001). */
  similarity: number;
  audited: number;
  correct: number;
}

export type Confidence = "none" | "low" | "medium" | "high";

export interface ThresholdSuggestion {
  targetPrecision: number;
  /** null when no threshold over the audited range reaches the target (or nothing was audited). */
  suggestedThreshold: number | null;
  /** Audited hits at or above the suggested threshold (all audited hits when there is none). */
  samples: number;
  precisionAtThreshold: number | null;
  /** 95% Wilson lower bound of that precision. */
  precisionLowerBound: number | null;
  confidence: Confidence;
  note: string;
}

export interface SuggestOptions {
  targetPrecision?: number;
  /** Below this many samples at the suggested threshold, confidence is "low". */
  minSamples?: number;
  /** The threshold in force, for the note (raise / keep). */
  currentThreshold?: number;
}

export const DEFAULT_TARGET_PRECISION = 0.97;
export const DEFAULT_MIN_SAMPLES = 30;

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function precision(audited: number, correct: number): number | null {
  return audited > 0 ? round(correct / audited) : null;
}

/** Wilson score interval lower bound (z = 1.96): honest about small samples, unlike p itself. */
export function wilsonLowerBound(successes: number, n: number, z = 1.96): number {
  if (n <= 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

/** Buckets merged by similarity, highest first, with running totals of hits at or above. */
function cumulative(buckets: readonly AuditBucket[]): { similarity: number; audited: number; correct: number }[] {
  const merged = new Map<number, { audited: number; correct: number }>();
  for (const b of buckets) {
    if (b.audited <= 0) continue;
    const m = merged.get(b.similarity) ?? { audited: 0, correct: 0 };
    merged.set(b.similarity, { audited: m.audited + b.audited, correct: m.correct + Math.min(b.correct, b.audited) });
  }
  let audited = 0;
  let correct = 0;
  return [...merged.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([similarity, m]) => {
      audited += m.audited;
      correct += m.correct;
      return { similarity, audited, correct };
    });
}

function confidenceOf(samples: number, lowerBound: number, target: number, minSamples: number): Confidence {
  if (samples === 0) return "none";
  if (samples < minSamples) return "low";
  return lowerBound >= target ? "high" : "medium";
}

function noteFor(s: Omit<ThresholdSuggestion, "note">, lowest: number, minSamples: number, current: number | undefined): string {
  const pct = `${round(s.targetPrecision * 100, 2)}%`;
  if (s.samples === 0) return "No audited semantic hits yet: nothing to suggest.";
  if (s.suggestedThreshold === null) {
    return `No threshold in the audited range (>= ${lowest}) reaches ${pct} precision (${s.samples} audited, ${s.precisionAtThreshold ?? 0} overall): raise the threshold above the audited range or check the guards.`;
  }
  const parts: string[] = [];
  if (s.confidence === "low") parts.push(`Only ${s.samples} audited hits at or above ${s.suggestedThreshold} (at least ${minSamples} recommended): treat this as a hint.`);
  if (s.confidence === "medium") parts.push(`Precision ${s.precisionAtThreshold} over ${s.samples} hits, but its 95% lower bound ${round(s.precisionLowerBound ?? 0, 3)} is below ${pct}: more audits needed to be sure.`);
  if (s.confidence === "high") parts.push(`Precision ${s.precisionAtThreshold} over ${s.samples} hits (95% lower bound ${round(s.precisionLowerBound ?? 0, 3)}).`);
  if (s.suggestedThreshold <= lowest) parts.push(`Hits below the serving threshold are never audited, so a threshold under ${lowest} is untested.`);
  if (current !== undefined && s.suggestedThreshold > current) parts.push(`Consider raising the threshold from ${current}.`);
  return parts.join(" ");
}

export function suggestThreshold(buckets: readonly AuditBucket[], options: SuggestOptions = {}): ThresholdSuggestion {
  const target = options.targetPrecision ?? DEFAULT_TARGET_PRECISION;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  const rows = cumulative(buckets);
  const all = rows.at(-1);
  const lowest = all?.similarity ?? 0;
  // Lowest threshold = the last (lowest-similarity) running total that still meets the target.
  const pick = [...rows].reverse().find((r) => r.correct / r.audited >= target);
  const basis = pick ?? all;
  const samples = basis?.audited ?? 0;
  const lowerBound = basis ? wilsonLowerBound(basis.correct, basis.audited) : null;
  const partial = {
    targetPrecision: target,
    suggestedThreshold: pick ? pick.similarity : null,
    samples,
    precisionAtThreshold: basis ? precision(basis.audited, basis.correct) : null,
    precisionLowerBound: lowerBound === null ? null : round(lowerBound),
    // Without a pick the level says how sure "nothing reaches the target" is: never "high".
    confidence: pick ? confidenceOf(samples, lowerBound ?? 0, target, minSamples) : confidenceOf(samples, 0, 1.1, minSamples),
  };
  return { ...partial, note: noteFor(partial, lowest, minSamples, options.currentThreshold) };
}
