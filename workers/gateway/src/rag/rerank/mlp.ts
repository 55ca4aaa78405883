/**
 * The local reranker's model: standardised features -> one tanh hidden layer plus a linear
 * skip -> a relevance score. Shipped as JSON (a few hundred weights), fitted by
 * scripts/rag/train-reranker.ts; the same function scores in training and in the Worker.
 */
import { z } from "zod";

export const RerankModelSchema = z.object({
  id: z.string(),
  features: z.array(z.string()),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  hidden: z.number().int().min(0),
  w1: z.array(z.number()),
  b1: z.array(z.number()),
  w2: z.array(z.number()),
  linear: z.array(z.number()),
  bias: z.number(),
  /** How it was chosen and what it measured (dev folds, held-out claims). */
  provenance: z.record(z.string(), z.unknown()),
});
export type RerankModel = z.infer<typeof RerankModelSchema>;

export function scoreFeatures(m: RerankModel, x: ArrayLike<number>): number {
  const f = m.features.length;
  const z = new Float64Array(f);
  for (let i = 0; i < f; i++) z[i] = ((x[i] ?? 0) - (m.mean[i] ?? 0)) / (m.std[i] || 1);
  let s = m.bias;
  for (let i = 0; i < f; i++) s += (m.linear[i] ?? 0) * (z[i] ?? 0);
  for (let h = 0; h < m.hidden; h++) {
    let a = m.b1[h] ?? 0;
    for (let i = 0; i < f; i++) a += (m.w1[h * f + i] ?? 0) * (z[i] ?? 0);
    s += (m.w2[h] ?? 0) * Math.tanh(a);
  }
  return s;
}
