/**
 * The injection classifier: logistic regression over hashed n-grams, trained by
 * scripts/guardrails/train-injection.ts on the corpus in ./corpus and shipped as int8
 * weights (base64) in ./model/injection-model.json. Plain TS beats an ONNX session here: the
 * model is one sparse dot product (~µs), the file is ~45 KB, and there is no wasm to load.
 */
import { z } from "zod";
import weightsFile from "./model/injection-model.json";
import { DIM, forEachFeature } from "./features";

export const ModelFileSchema = z.object({
  version: z.literal(1),
  dim: z.number().int(),
  bias: z.number(),
  scale: z.number().positive(),
  /** int8 weights, base64; weight = int8 * scale. */
  weights: z.string(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export interface LinearModel {
  bias: number;
  weights: Float32Array;
}

export function decodeModel(file: ModelFile): LinearModel {
  if (file.dim !== DIM) throw new Error(`injection model dim ${file.dim} != feature dim ${DIM}`);
  const bytes = Uint8Array.from(atob(file.weights), (c) => c.charCodeAt(0));
  const weights = new Float32Array(file.dim);
  for (let i = 0; i < file.dim; i++) weights[i] = ((bytes[i] ?? 0) << 24 >> 24) * file.scale;
  return { bias: file.bias, weights };
}

let model: LinearModel | null = null;

/** Lazily decoded once per isolate; a corrupt file throws here and the caller fails closed. */
export function loadModel(): LinearModel {
  model ??= decodeModel(ModelFileSchema.parse(weightsFile));
  return model;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function logit(m: LinearModel, features: Map<number, number>): number {
  let z = m.bias;
  for (const [i, v] of features) z += (m.weights[i] ?? 0) * v;
  return z;
}

export function classify(lowerText: string, m: LinearModel = loadModel()): number {
  let z = m.bias;
  forEachFeature(lowerText, (i, v) => {
    z += (m.weights[i] ?? 0) * v;
  });
  return sigmoid(z);
}
