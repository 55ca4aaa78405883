/** Loads RouterTrainingExample JSONL (validated line by line) and turns rows into training rows. */
import { readFileSync } from "node:fs";
import { INTENTS, RouterTrainingExampleSchema, type RouterTrainingExample } from "../../../shared/schemas/router-training-example";
import { featurize } from "../../../workers/gateway/src/router/features/featurize";
import { toSparse } from "./mlp";
import type { TrainRow } from "./train-mlp";

export function readJsonl(path: string): RouterTrainingExample[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((line, i) => {
      const parsed = RouterTrainingExampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? "invalid row"}`);
      return parsed.data;
    });
}

/** Feedback rows weigh 3x by default: they are judged outcomes from real traffic, not authored guesses. */
export function toTrainRow(e: RouterTrainingExample): TrainRow {
  const complexity = e.complexity ?? (e.small_ok === undefined ? undefined : e.small_ok ? 0 : 1);
  const row: TrainRow = { x: toSparse(featurize({ prompt: e.prompt, context: e.context })), weight: e.weight ?? (e.source === "feedback" ? 3 : 1) };
  if (e.intent !== undefined) row.intent = INTENTS.indexOf(e.intent);
  if (complexity !== undefined) row.complexity = complexity;
  return row;
}
