/** ScoreBackend for Node tools and tests: the TS forward pass over weights read from the .onnx file. */
import { readFileSync } from "node:fs";
import type { ScoreBackend } from "../../../workers/gateway/src/router/classify";
import { forward, toSparse } from "./mlp";
import { importOnnx } from "./onnx-export";

export const SHIPPED_MODEL = new URL("../../../workers/gateway/src/router/model/router.onnx", import.meta.url);

export function referenceBackend(path: string | URL = SHIPPED_MODEL): ScoreBackend {
  const w = importOnnx(readFileSync(path));
  return async (features) => {
    const f = forward(w, toSparse(features));
    return { intentProbs: f.probs, complexity: f.complexity };
  };
}
