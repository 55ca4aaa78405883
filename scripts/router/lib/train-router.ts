/**
 * The router's training recipe (hyper-parameters in one place), shared by the CLI, the LODO
 * evaluation and the tests. Three stages, all in the one exported graph:
 *  1. corpus model: the MLP on the authored corpus (data/router/): intent, plus a complexity
 *     prior from the authored labels (the old recipe);
 *  2. complexity: logistic regression on real outcomes of the shared routing sets, one
 *     base-rate offset per set, over within-task difficulty features and the prior's logit
 *     (complexity-model.ts); Platt-calibrated on held-out-set predictions and folded into the
 *     graph's complexity path (W3, b3, V), which is linear in its parameters;
 *  3. production feedback: hashed n-gram weights added to V (feedback-ngrams.ts).
 */
import { INTENTS, type RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { FEATURE_DIM, HASH_DIM } from "../../../workers/gateway/src/router/features/featurize";
import type { OutcomeRow } from "../outcomes/outcome-row";
import type { Platt } from "./calibration";
import { COMPLEXITY_INDEX, fitComplexity, selectFeatures, type ComplexityRow, type LinearComplexity } from "./complexity-model";
import { toTrainRow } from "./dataset";
import { checkFeedback, type FeedbackCheck } from "./feedback-gate";
import { fitFeedbackNgrams, type FeedbackRow } from "./feedback-ngrams";
import { forward, type MlpWeights, type SparseVec } from "./mlp";
import { trainMlp } from "./train-mlp";

export interface RecipeOptions {
  seed: number;
  epochs: number;
  hidden: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** balance: per-row weight of a set of n rows is (REF_ROWS / n)^balance (0 = by rows, 1 = every set equal). */
export const RECIPE_DEFAULTS = { balance: 0.5, l2: 1e-3, feedbackEpochs: 20, maxAnchors: 2000 } as const;
const REF_ROWS = 500;

/** Outcome rows with their complexity inputs computed once (LODO fits many models on them). */
export interface OutcomeSet {
  rows: readonly OutcomeRow[];
  x: readonly SparseVec[];
}

export function trainCorpusModel(examples: readonly RouterTrainingExample[], o: RecipeOptions): MlpWeights {
  return trainMlp(examples.filter((e) => e.source !== "feedback").map(toTrainRow), {
    seed: o.seed, epochs: o.epochs, hidden: o.hidden, classes: INTENTS.length, inputDim: FEATURE_DIM, hashDim: HASH_DIM,
    batch: 32, lr: 0.01, decay: 1e-4, dropout: 0.25, complexityWeight: 2, ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
  });
}

/** The complexity model's inputs: the difficulty features, then the corpus prior's logit. */
export const complexityInputs = (corpus: MlpWeights, x: SparseVec): Float64Array => Float64Array.of(...selectFeatures(x), forward(corpus, x).logit);

export function complexityRows(rows: readonly OutcomeRow[], inputs: readonly Float64Array[]): { rows: ComplexityRow[]; groups: number } {
  const sizes = new Map<string, number>();
  for (const r of rows) sizes.set(r.group, (sizes.get(r.group) ?? 0) + 1);
  const index = new Map([...sizes.keys()].sort().map((g, i) => [g, i]));
  return { rows: rows.map((r, i) => ({ f: inputs[i]!, y: r.label, weight: (REF_ROWS / sizes.get(r.group)!) ** RECIPE_DEFAULTS.balance, group: index.get(r.group)! })), groups: index.size };
}

export function trainComplexity(rows: readonly OutcomeRow[], inputs: readonly Float64Array[]): LinearComplexity {
  const c = complexityRows(rows, inputs);
  return fitComplexity(c.rows, c.groups, RECIPE_DEFAULTS.l2);
}

/** The corpus model with its complexity path replaced by a·(linear model) + b. */
export function composeRouter(corpus: MlpWeights, m: LinearComplexity, cal: Platt): MlpWeights {
  const F = COMPLEXITY_INDEX.length;
  const prior = m.coef[F] ?? 0;
  const w: MlpWeights = { ...corpus, w3: corpus.w3.map((x) => cal.a * prior * x), v: corpus.v.map((x) => cal.a * prior * x), b3: Float32Array.of(cal.a * (prior * corpus.b3[0]! + m.bias) + cal.b) };
  COMPLEXITY_INDEX.forEach((i, k) => (w.v[i]! += cal.a * m.coef[k]!));
  return w;
}

/** Every k-th item, at most about `max`: a deterministic spread over all sets. */
const spread = <T>(xs: readonly T[], max: number): T[] => xs.filter((_, i) => i % Math.max(1, Math.ceil(xs.length / max)) === 0);

export interface TrainedRouter {
  weights: MlpWeights;
  corpus: MlpWeights;
  complexity: LinearComplexity;
  /** Present when feedback rows were given: whether their n-grams were applied, and why. */
  feedback?: FeedbackCheck;
}

/** `corpus`: a corpus model already trained with the same options (LODO needs it first). */
export function trainRouter(examples: readonly RouterTrainingExample[], o: RecipeOptions, outcomes: OutcomeSet, cal: Platt = { a: 1, b: 0 }, corpus = trainCorpusModel(examples, o)): TrainedRouter {
  const complexity = trainComplexity(outcomes.rows, outcomes.x.map((x) => complexityInputs(corpus, x)));
  const weights = composeRouter(corpus, complexity, cal);
  const feedback = examples.filter((e) => e.source === "feedback" && e.small_ok !== undefined).map((e) => ({ x: toTrainRow(e).x, y: e.small_ok ? 0 : 1, weight: e.weight ?? 3 }));
  if (!feedback.length) return { weights, corpus, complexity };
  const corpusX = examples.filter((e) => e.source !== "feedback").map((e) => toTrainRow(e).x);
  const anchors = spread([...outcomes.x, ...corpusX], RECIPE_DEFAULTS.maxAnchors);
  const logits = new Map<SparseVec, number>();
  const base = (x: SparseVec): number => logits.get(x) ?? logits.set(x, forward(weights, x).logit).get(x)!;
  const fit = (rows: readonly FeedbackRow[]): Float32Array => fitFeedbackNgrams(base, rows, anchors, { seed: o.seed, epochs: RECIPE_DEFAULTS.feedbackEpochs, hashDim: HASH_DIM });
  // Checked before `weights` changes: `base` must stay the router without feedback.
  const check = checkFeedback(base, feedback, fit, o.seed);
  if (check.applied) fit(feedback).forEach((d, i) => (weights.v[i]! += d));
  return { weights, corpus, complexity, feedback: check };
}

