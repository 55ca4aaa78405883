/**
 * Builds the shipped router corpus: data/router/corpus.jsonl (train) and
 * data/router/heldout.jsonl (15% held out by prompt hash, never trained on), plus
 * data/router/heldout-eval.csv for `router:eval` (see docs/router.md for how its correctness
 * columns are simulated from the authored labels).
 * Usage: npm run router:corpus [-- --seed 7]
 */
import { writeFileSync } from "node:fs";
import { RouterTrainingExampleSchema, type RouterTrainingExample } from "../../shared/schemas/router-training-example";
import { fnv1a } from "../../shared/hash/fnv1a";
import { assembleCorpus } from "./corpus/assemble";
import { mulberry32 } from "./lib/rng";
import { parseCli, usageError } from "../lib/cli";

export const isHeldOut = (prompt: string): boolean => fnv1a("split:" + prompt) % 100 < 15;

const csvCell = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Simulated outcomes: the weak model fails with probability = label, the strong one 5% of the time. */
export function heldoutCsv(rows: readonly RouterTrainingExample[], seed: number): string {
  const rng = mulberry32(seed ^ 0x5eed);
  const lines = ["prompt,small,frontier,label_complexity"];
  for (const r of rows) {
    const weakOk = rng() >= (r.complexity ?? 0.5);
    const strongOk = rng() >= 0.05;
    lines.push(`${csvCell(r.prompt)},${weakOk},${strongOk},${r.complexity ?? ""}`);
  }
  return lines.join("\n") + "\n";
}

function main(): void {
  const spec = {
    name: "npm run router:corpus --",
    summary: "Builds data/router/corpus.jsonl, heldout.jsonl (15% by prompt hash) and heldout-eval.csv.",
    options: { seed: { type: "string", default: "7", value: "N", description: "seed of the simulated held-out outcomes" } },
  } as const;
  const { values } = parseCli(spec);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) usageError(spec, `--seed must be an integer, not '${values.seed}'.`);
  const rows = assembleCorpus(seed).map((r) => RouterTrainingExampleSchema.parse(r));
  const train = rows.filter((r) => !isHeldOut(r.prompt));
  const held = rows.filter((r) => isHeldOut(r.prompt));
  const jsonl = (rs: readonly RouterTrainingExample[]): string => rs.map((r) => JSON.stringify(r)).join("\n") + "\n";
  writeFileSync("data/router/corpus.jsonl", jsonl(train));
  writeFileSync("data/router/heldout.jsonl", jsonl(held));
  writeFileSync("data/router/heldout-eval.csv", heldoutCsv(held, seed));
  const byIntent = new Map<string, number>();
  for (const r of rows) byIntent.set(r.intent ?? "?", (byIntent.get(r.intent ?? "?") ?? 0) + 1);
  console.log(`corpus: ${train.length} train, ${held.length} held out`, Object.fromEntries(byIntent));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
