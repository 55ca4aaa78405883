/**
 * Trains the prompt-injection classifier and its calibration tables, and writes the shipped
 * artifact workers/gateway/src/guardrails/injection/model/injection-model.json. Deterministic
 * (seeded SGD, sorted inputs): the same data gives the same file.
 *
 * Data (scripts/guardrails/injection/data.ts): the corpus we wrote, the shared jailbreak-dev and
 * notinject-dev sets, every third router prompt and 300 even-numbered SciFact abstracts. Held-out
 * numbers come from `npm run bench:guardrails-cv`, never from this file's own fit.
 * Run: npm run guardrails:train [-- --data ../shared/data]
 */
import { writeFileSync } from "node:fs";
import { DIM } from "../../workers/gateway/src/guardrails/injection/features";
import { RULES } from "../../workers/gateway/src/guardrails/injection/heuristics";
import { corpusSamples, extraTrainingSamples, heldOutBenign, sharedSamples } from "./injection/data";
import { fit } from "./injection/fit";
import { assignGroups } from "./injection/groups";
import { parseCli } from "../lib/cli";

const { values } = parseCli({
  name: "npm run guardrails:train --",
  summary: "Trains the prompt-injection screen (corpus + shared sets, deterministic) and writes its model. Runs for minutes.",
  options: { data: { type: "string", default: new URL("../../../shared/data", import.meta.url).pathname, value: "DIR", description: "shared data directory" } },
});
const DATA = values.data;
const OUT = "workers/gateway/src/guardrails/injection/model/injection-model.json";
export const SEED = 7;

function quantize(w: Float64Array): { scale: number; weights: string } {
  let max = 0;
  for (let i = 0; i < DIM; i++) max = Math.max(max, Math.abs(w[i] ?? 0));
  const scale = max / 127 || 1;
  const bytes = new Uint8Array(DIM);
  for (let i = 0; i < DIM; i++) bytes[i] = Math.round((w[i] ?? 0) / scale) & 0xff;
  return { scale, weights: Buffer.from(bytes).toString("base64") };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

const samples = [...corpusSamples(), ...sharedSamples(DATA), ...extraTrainingSamples(DATA)];
assignGroups(samples);
const { model, tables } = fit(samples, heldOutBenign(DATA), SEED);
const file = {
  version: 2,
  dim: DIM,
  bias: round(model.b),
  ...quantize(model.w),
  rules: RULES.map((r) => r.id),
  ruleWeights: RULES.map((_, i) => round(model.w[DIM + i] ?? 0)),
  calibration: Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, { raw: t.raw.map(round), rate: t.rate }])),
  training: {
    seed: SEED,
    samples: samples.length,
    attacks: samples.filter((s) => s.y === 1).length,
    benign: samples.filter((s) => s.y === 0).length,
    groups: new Set(samples.map((s) => s.group)).size,
  },
};
writeFileSync(OUT, `${JSON.stringify(file)}\n`);
console.log(`wrote ${OUT}: ${file.training.samples} samples (${file.training.attacks} attacks) in ${file.training.groups} groups`);
