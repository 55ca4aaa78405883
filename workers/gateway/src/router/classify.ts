/**
 * From model scores to a Classification. `complexity` is the model's estimate of
 * P(small tier's answer worse than the frontier's). The decision's confidence depends on the
 * band in force, so the policy computes it (routeConfidence): how far complexity is from the
 * band, blended with how peaked the intent distribution is: a prompt unlike anything the
 * model saw (diffuse intent) near the band gets low confidence, and the policy escalates it.
 */
import { INTENTS, type Intent } from "../../../../shared/schemas/router-training-example";
import { featurize, featurizeSparse, type FeatureInput, type SparseFeatures } from "./features/featurize";
import type { WinCurve } from "./quality-target/win-curve";

export interface ModelScores {
  intentProbs: Float32Array;
  complexity: number;
}

/** Whatever executes the model on featurize's dense vector (TS forward pass, ORT, Node references). */
export type ScoreBackend = (features: Float32Array) => Promise<ModelScores>;
/** The same on featurizeSparse's non-zero entries (the Worker's request path). */
export type SparseScoreBackend = (features: SparseFeatures) => Promise<ModelScores>;

export interface Classification {
  intent: Intent;
  intentConfidence: number;
  complexity: number;
  modelVersion: string;
  /** The model's P(small better) by complexity (manifest), for the quality target's net loss; absent for models without one. */
  winCurve?: WinCurve;
}

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * Confidence in a band decision: 0.5 x tanh(|logit(complexity) - logit(band)| / 2) + 0.5 x
 * intent confidence. The first term is the old |2c - 1| (distance from a coin flip) moved to
 * the band actually in force: for band 0.5 it is exactly |2c - 1|, and it stays symmetric on
 * the log-odds scale for bands near the calibrated range (0.1-0.4), where |2c - 1| would call
 * every prompt confident. With several bands the nearest boundary counts.
 */
export function routeConfidence(complexity: number, bands: readonly number[], intentConfidence: number): number {
  const distance = Math.min(...bands.map((b) => Math.abs(logit(complexity) - logit(b))));
  const tier = bands.length ? Math.tanh(distance / 2) : 1;
  return 0.5 * tier + 0.5 * intentConfidence;
}

export function toClassification(scores: ModelScores, modelVersion: string): Classification {
  let best = 0;
  for (let i = 1; i < INTENTS.length; i++) if ((scores.intentProbs[i] ?? 0) > (scores.intentProbs[best] ?? 0)) best = i;
  const intentConfidence = scores.intentProbs[best] ?? 0;
  const complexity = Math.min(1, Math.max(0, scores.complexity));
  return { intent: INTENTS[best]!, intentConfidence, complexity, modelVersion };
}

export async function classifyInput(backend: ScoreBackend, input: FeatureInput, modelVersion: string): Promise<Classification> {
  return toClassification(await backend(featurize(input)), modelVersion);
}

export async function classifySparse(backend: SparseScoreBackend, input: FeatureInput, modelVersion: string): Promise<Classification> {
  return toClassification(await backend(featurizeSparse(input)), modelVersion);
}
