/**
 * The trained draft verifier: logistic regression over DRAFT_FEATURES giving P(draft wrong).
 * The weights are a small JSON file written by `npm run cascade:train`
 * (verifier-model.json, a few hundred bytes of numbers); scoring is one dot product.
 * The shipped file is the default; a bench build may install a per-prompt model source
 * (setVerifierSource) so every replayed row is scored by a model that never saw it. Nothing in
 * the request, the settings or the Worker's environment can reach that hook.
 */
import { z } from "zod";
import shippedJson from "./verifier-model.json";
import { DRAFT_FEATURES, DRAFT_FEATURES_VERSION, type DraftFeature } from "./draft-features";

export const VerifierModelSchema = z.object({
  name: z.literal("cascade-verifier"),
  version: z.string().min(1),
  featuresVersion: z.string(),
  features: z.array(z.string()),
  bias: z.number(),
  weights: z.array(z.number()),
  /** Default escalation threshold on P(wrong); tenants override it (router.cascadeThreshold). */
  threshold: z.number().min(0).max(1),
  /** Weights set by hand, not fitted (no training row carries the signal), and why. */
  unfitted: z.record(z.string(), z.string()).default({}),
  training: z.record(z.string(), z.unknown()).default({}),
});
export type VerifierModel = z.infer<typeof VerifierModelSchema>;

/** Validates a model file against this code's features: a stale file fails loudly, at load. */
export function parseVerifierModel(json: unknown): VerifierModel {
  const model = VerifierModelSchema.parse(json);
  if (model.featuresVersion !== DRAFT_FEATURES_VERSION || model.features.join(",") !== DRAFT_FEATURES.join(",") || model.weights.length !== DRAFT_FEATURES.length) {
    throw new Error(`verifier model ${model.version} was trained on ${model.featuresVersion}; this code computes ${DRAFT_FEATURES_VERSION}: run npm run cascade:train`);
  }
  return model;
}

export function pWrong(model: VerifierModel, x: ArrayLike<number>): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) z += (model.weights[j] ?? 0) * (x[j] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** The signals that pushed P(wrong) up the most (for x-cascade and the trace), strongest first. */
export function topSignals(model: VerifierModel, x: ArrayLike<number>, n = 3): DraftFeature[] {
  return DRAFT_FEATURES.map((name, j) => ({ name, push: (model.weights[j] ?? 0) * (x[j] ?? 0) }))
    .filter((s) => s.push >= 0.25)
    .sort((a, b) => b.push - a.push)
    .slice(0, n)
    .map((s) => s.name);
}

let shipped: VerifierModel | null = null;
export const shippedVerifier = (): VerifierModel => (shipped ??= parseVerifierModel(shippedJson));

type VerifierSource = (prompt: string) => VerifierModel;
let source: VerifierSource | null = null;

/** Bench builds only (bench/replay): score each prompt with the model that left it out. */
export function setVerifierSource(fn: VerifierSource | null): void {
  source = fn;
}

export const verifierFor = (prompt: string): VerifierModel => (source ? source(prompt) : shippedVerifier());
