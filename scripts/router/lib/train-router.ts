/** The router's training recipe (hyper-parameters in one place), shared by the CLI and its tests. */
import { INTENTS, type RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { FEATURE_DIM, HASH_DIM } from "../../../workers/gateway/src/router/features/featurize";
import { toTrainRow } from "./dataset";
import type { MlpWeights } from "./mlp";
import { trainMlp } from "./train-mlp";

export interface RecipeOptions {
  seed: number;
  epochs: number;
  hidden: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export function trainRouter(examples: readonly RouterTrainingExample[], o: RecipeOptions): MlpWeights {
  return trainMlp(examples.map(toTrainRow), {
    seed: o.seed, epochs: o.epochs, hidden: o.hidden, classes: INTENTS.length, inputDim: FEATURE_DIM, hashDim: HASH_DIM,
    batch: 32, lr: 0.01, decay: 1e-4, dropout: 0.25, complexityWeight: 2, ...(o.onEpoch ? { onEpoch: o.onEpoch } : {}),
  });
}
