/**
 * The injection classifier: logistic regression over hashed n-grams plus the hand-written rule
 * indicators (heuristics.ts), all weights learned together by scripts/guardrails/train-injection.ts,
 * and per-source calibration tables (calibrate.ts). Shipped as int8 n-gram weights (base64) in
 * ./model/injection-model.json. Plain TS beats an ONNX session here: the model is one sparse dot
 * product (~µs), the file is ~50 KB, and there is no wasm to load.
 */
import { z } from "zod";
import weightsFile from "./model/injection-model.json";
import { CalibrationTableSchema, type CalibrationTable } from "./calibrate";
import { DIM, forEachFeature } from "./features";
import { RULES, ruleHits } from "./heuristics";

export const SOURCES = ["user", "tool", "system"] as const;
export type InjectionSource = (typeof SOURCES)[number];

export const ModelFileSchema = z.object({
  version: z.literal(2),
  dim: z.number().int(),
  bias: z.number(),
  scale: z.number().positive(),
  /** int8 n-gram weights, base64; weight = int8 * scale. */
  weights: z.string(),
  /** Rule ids in the order of `ruleWeights`; must equal RULES' ids (a stale file fails closed). */
  rules: z.array(z.string()),
  ruleWeights: z.array(z.number()),
  calibration: z.object({ user: CalibrationTableSchema, tool: CalibrationTableSchema, system: CalibrationTableSchema }),
  /** What the file was trained on (counts, seed); informational. */
  training: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export interface LinearModel {
  bias: number;
  weights: Float32Array;
  ruleWeights: Float32Array;
  calibration: Record<InjectionSource, CalibrationTable>;
}

export function decodeModel(file: ModelFile): LinearModel {
  if (file.dim !== DIM) throw new Error(`injection model dim ${file.dim} != feature dim ${DIM}`);
  const ids = RULES.map((r) => r.id);
  if (file.rules.join(",") !== ids.join(",") || file.ruleWeights.length !== ids.length) {
    throw new Error("injection model was trained with other rules; run npm run guardrails:train");
  }
  const bytes = Uint8Array.from(atob(file.weights), (c) => c.charCodeAt(0));
  const weights = new Float32Array(file.dim);
  for (let i = 0; i < file.dim; i++) weights[i] = ((bytes[i] ?? 0) << 24 >> 24) * file.scale;
  return { bias: file.bias, weights, ruleWeights: Float32Array.from(file.ruleWeights), calibration: file.calibration };
}

let model: LinearModel | null = null;

/** Lazily decoded once per isolate; a corrupt or stale file throws here and the caller fails closed. */
export function loadModel(): LinearModel {
  model ??= decodeModel(ModelFileSchema.parse(weightsFile));
  return model;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Logit of one lower-cased view; rule hits and concepts may be passed when already computed. */
export function logitOf(view: string, m: LinearModel = loadModel(), hits: readonly number[] = ruleHits(view), concepts?: readonly number[]): number {
  let z = m.bias;
  forEachFeature(
    view,
    (i, v) => {
      z += (m.weights[i] ?? 0) * v;
    },
    concepts,
  );
  for (const h of hits) z += m.ruleWeights[h] ?? 0;
  return z;
}

export function classify(view: string, m: LinearModel = loadModel()): number {
  return sigmoid(logitOf(view, m));
}
