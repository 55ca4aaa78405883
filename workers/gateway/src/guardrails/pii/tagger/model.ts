/**
 * The entity tagger's weights: hashed feature buckets × labels as int8 (base64) with one scale,
 * BIO transition scores, and a per-type logistic map from decoding margin to a score. Built by
 * `npm run guardrails:train-ner` (scripts/guardrails/ner/), shipped as ./model/entity-tagger.json.
 */
import { z } from "zod";
import { ENTITY_TYPES, NUM_LABELS } from "./decode";

export const TaggerFileSchema = z.object({
  version: z.literal(1),
  /** log2 of the bucket count. */
  bits: z.number().int().min(8).max(22),
  labels: z.number().int(),
  charNgrams: z.boolean(),
  scale: z.number().positive(),
  weights: z.string(),
  transitions: z.array(z.number()),
  start: z.array(z.number()),
  /**
   * score = sigmoid(a · margin + b), fitted on the dev split per type; `lower` is the same map
   * for spans written all in lower case, which are right less often at the same margin.
   */
  calibration: z.record(
    z.enum(ENTITY_TYPES),
    z.object({ a: z.number(), b: z.number(), lower: z.object({ a: z.number(), b: z.number() }).optional() }),
  ),
  training: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  /**
   * Whether spans inside non-Latin prose need name evidence (../tagger/script-runs.ts). A property of
   * the file because the calibration was fitted with or without the rule; absent in older files.
   */
  proseRule: z.boolean().optional(),
  /** What the trainer built this from (scripts/guardrails/ner/spec.ts), checked by model-spec.test.ts. */
  spec: z
    .object({ hash: z.string().regex(/^[0-9a-f]{64}$/), data: z.array(z.object({ file: z.string(), bytes: z.number().int().nonnegative() })) })
    .optional(),
});
export type TaggerFile = z.infer<typeof TaggerFileSchema>;

export interface TaggerModel {
  mask: number;
  charNgrams: boolean;
  /** buckets × labels, int8. */
  weights: Int8Array;
  scale: number;
  transitions: Float32Array;
  start: Float32Array;
  calibration: TaggerFile["calibration"];
  proseRule: boolean;
}

export function decodeTaggerFile(file: TaggerFile): TaggerModel {
  const L = NUM_LABELS;
  const size = (1 << file.bits) * L;
  if (file.labels !== L || file.transitions.length !== L * L || file.start.length !== L) {
    throw new Error("entity tagger file does not match the label set; run npm run guardrails:train-ner");
  }
  const bin = atob(file.weights);
  if (bin.length !== size) throw new Error(`entity tagger weights: ${bin.length} bytes, expected ${size}`);
  const weights = new Int8Array(size);
  for (let i = 0; i < size; i++) weights[i] = (bin.charCodeAt(i) << 24) >> 24;
  return {
    mask: (1 << file.bits) - 1,
    charNgrams: file.charNgrams,
    weights,
    scale: file.scale,
    transitions: Float32Array.from(file.transitions),
    start: Float32Array.from(file.start),
    calibration: file.calibration,
    proseRule: file.proseRule ?? false,
  };
}

/** Base64 of int8 weights quantized with `scale` = max |w| / 127 (training side). */
export function quantize(w: Float32Array): { scale: number; base64: string } {
  let max = 0;
  for (const v of w) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  const bytes = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) bytes[i] = Math.max(-127, Math.min(127, Math.round((w[i] as number) / scale))) & 0xff;
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { scale, base64: btoa(bin) };
}
