/**
 * The shipped tagger, decoded once per isolate at first use (~0.6 MB of int8 weights). A corrupt
 * or stale file throws here; detectPii's caller then fails closed (control_failed), as with any
 * control error.
 */
import taggerFile from "./model/entity-tagger.json";
import { decodeTaggerFile, TaggerFileSchema, type TaggerModel } from "./model";

let model: TaggerModel | null = null;

export function loadTagger(): TaggerModel {
  model ??= decodeTaggerFile(TaggerFileSchema.parse(taggerFile));
  return model;
}

/**
 * Benchmarks only (bench/guardrails-ner-seeds.ts): score a model trained in the same process
 * through the detector that serves requests, instead of a copy of its fusion rules that could
 * drift. `null` goes back to the shipped file. Nothing in the Worker calls it.
 */
export function useTaggerModel(next: TaggerModel | null): void {
  model = next;
}
