/**
 * The manifest shipped next to each router .onnx: what the model is, what it was trained on
 * and how it scored. The Worker refuses a model whose featureSpecHash differs from the code's
 * (features computed differently at train and serve time would silently misroute).
 */
import { z } from "zod";
import { INTENTS } from "../../../../../shared/schemas/router-training-example";
import { FEATURE_SPEC } from "../features/featurize";
import { WinCurveSchema } from "../quality-target/win-curve";
import { sha256Hex } from "../../../../../shared/crypto/sha256";
import { CODE_PATTERNS, CONJUNCTION_WORDS, CONSTRAINT_WORDS, EASY_WORDS, HARD_WORDS, MULTISTEP_WORDS, NEGATION_WORDS, NUMBER_WORDS, STOPWORDS } from "../features/lexicons";

export const RouterManifestSchema = z.object({
  name: z.literal("router"),
  version: z.string().min(1),
  onnxFile: z.string(),
  onnxSha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().positive(),
  featureSpecHash: z.string().regex(/^[0-9a-f]{64}$/),
  featureDim: z.number().int().positive(),
  intents: z.array(z.enum(INTENTS)),
  io: z.object({ index: z.string(), value: z.string(), intentProbs: z.string(), complexity: z.string() }),
  training: z.object({
    corpusSha256: z.string(),
    feedbackSha256: z.string().nullable(),
    trainRows: z.number().int(),
    feedbackRows: z.number().int(),
    seed: z.number().int(),
    epochs: z.number().int(),
    hidden: z.number().int(),
    /** The shared routing sets the complexity head was fitted on (file, SHA-256, rows read). */
    routingSets: z.array(z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), rows: z.number().int() })).default([]),
    outcomeRows: z.number().int().default(0),
    /** Families left out of training (router:train --exclude-family; bench builds only, never shipped). */
    excludedFamilies: z.array(z.string()).optional(),
    complexity: z
      .object({ features: z.array(z.string()), platt: z.object({ a: z.number(), b: z.number() }), balance: z.number(), l2: z.number(), labels: z.string() })
      .optional(),
    /** With --feedback: whether the feedback n-grams beat the base router out of fold, and so were applied (scripts/router/lib/feedback-gate.ts). */
    feedbackCheck: z
      .object({
        rows: z.number().int(),
        applied: z.boolean(),
        reason: z.string(),
        baseLogLoss: z.number().nullable(),
        tunedLogLoss: z.number().nullable(),
        baseAuc: z.number().nullable(),
        tunedAuc: z.number().nullable(),
      })
      .optional(),
  }),
  metrics: z.record(z.string(), z.number()),
  /** P(small better) by complexity (quality-target/win-curve.ts), fitted with the calibration; older files have none. */
  winCurve: WinCurveSchema.optional(),
});
export type RouterManifest = z.infer<typeof RouterManifestSchema>;

/**
 * Stable hash of everything that decides feature values: the layout constants, every lexicon
 * and the code-marker patterns. The contract between trainer and Worker.
 */
export const featureSpecHash = (): Promise<string> =>
  sha256Hex(
    JSON.stringify({
      spec: FEATURE_SPEC,
      lexicons: [CONSTRAINT_WORDS, MULTISTEP_WORDS, HARD_WORDS, EASY_WORDS, ...Object.values(STOPWORDS), NEGATION_WORDS, CONJUNCTION_WORDS, NUMBER_WORDS].map((set) => [...set].sort()),
      code: CODE_PATTERNS.map((re) => re.source),
    }),
  );

/** The model's tensors: the non-zero features as (index int32 [K], value float32 [1, K]) in, scores out. */
export const ROUTER_MODEL_IO = { index: "feature_index", value: "feature_value", intentProbs: "intent_probs", complexity: "complexity" } as const;
