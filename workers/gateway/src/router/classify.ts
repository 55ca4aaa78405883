/**
 * From model scores to a Classification. `complexity` is the model's estimate of
 * P(small tier's answer worse than the frontier's). `confidence` blends how far complexity
 * is from a coin flip with how peaked the intent distribution is: a prompt unlike anything
 * the model saw (diffuse intent) gets low confidence even if its complexity looks low, and
 * the policy escalates it.
 */
import { INTENTS, type Intent } from "../../../../shared/schemas/router-training-example";
import { featurize, type FeatureInput } from "./features/featurize";

export interface ModelScores {
  intentProbs: Float32Array;
  complexity: number;
}

/** Whatever executes the model: ORT in the Worker, the TS reference in Node tools. */
export type ScoreBackend = (features: Float32Array) => Promise<ModelScores>;

export interface Classification {
  intent: Intent;
  intentConfidence: number;
  complexity: number;
  confidence: number;
  modelVersion: string;
}

export function toClassification(scores: ModelScores, modelVersion: string): Classification {
  let best = 0;
  for (let i = 1; i < INTENTS.length; i++) if ((scores.intentProbs[i] ?? 0) > (scores.intentProbs[best] ?? 0)) best = i;
  const intentConfidence = scores.intentProbs[best] ?? 0;
  const complexity = Math.min(1, Math.max(0, scores.complexity));
  const tierConfidence = Math.abs(2 * complexity - 1);
  return {
    intent: INTENTS[best]!,
    intentConfidence,
    complexity,
    confidence: 0.5 * tierConfidence + 0.5 * intentConfidence,
    modelVersion,
  };
}

export async function classifyInput(backend: ScoreBackend, input: FeatureInput, modelVersion: string): Promise<Classification> {
  return toClassification(await backend(featurize(input)), modelVersion);
}
