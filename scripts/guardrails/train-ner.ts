/**
 * `npm run guardrails:train-ner`: trains the entity tagger (PERSON, LOCATION, ORGANIZATION,
 * STREET_ADDRESS) from ../shared/data/ner and our generator, reports dev and held-out span
 * metrics, and writes workers/gateway/src/guardrails/pii/tagger/model/entity-tagger.json.
 * Deterministic: seeded generator, seeded shuffles, no wall-clock input.
 *   --data DIR   NER sets (default ../shared/data/ner)
 *   --select     compare settings on the dev split only; writes nothing
 *   --no-write   train and report without writing the artifact
 *   --eval       only report the shipped artifact on the dev and held-out splits
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ENTITY_TYPES } from "../../workers/gateway/src/guardrails/pii/tagger/decode";
import { decodeTaggerFile, TaggerFileSchema, type TaggerFile } from "../../workers/gateway/src/guardrails/pii/tagger/model";
import { tagText } from "../../workers/gateway/src/guardrails/pii/tagger/tag";
import { trainTagger, type TrainConfig } from "./ner/build";
import { DEFAULT_DATA, loadSplits } from "./ner/datasets";
import type { Example } from "./ner/example";
import { formatRow, HEADER, score, total } from "./ner/evaluate";
import { SHIPPED_RUN, taggerSpecHash, type TaggerRun } from "./ner/spec";
import { parseCli } from "../lib/cli";

const OUT = resolve(import.meta.dirname, "../../workers/gateway/src/guardrails/pii/tagger/model/entity-tagger.json");
const { values } = parseCli({
  name: "npm run guardrails:train-ner --",
  summary: "Trains the PII entity tagger and reports dev and held-out scores (--eval: report only). Runs for minutes.",
  options: {
    data: { type: "string", value: "DIR", description: "NER data directory" },
    generated: { type: "string", value: "N", description: "generated training texts (default 12000)" },
    eval: { type: "boolean", description: "score the shipped tagger, train nothing" },
    select: { type: "boolean", description: "model selection over --grid" },
    grid: { type: "string", value: "JSON", description: "configurations for --select" },
    "no-write": { type: "boolean", description: "do not write the model" },
  },
});
const arg = (name: string): string | undefined => values[name.replace(/^--/, "") as "data" | "generated" | "grid"];
const BASE: TrainConfig = SHIPPED_RUN.train;
const TYPES = new Set<string>(ENTITY_TYPES);

function report(title: string, sets: Record<string, Example[]>, file: TaggerFile): void {
  const model = decodeTaggerFile(file);
  console.log(`\n### ${title}\n`);
  for (const [name, exs] of Object.entries(sets)) {
    const r = score(exs, (t) => tagText(t, model).filter((s) => s.score >= 0.5), TYPES);
    console.log(`${name} (${exs.length} texts)\n${HEADER}`);
    for (const [k, t] of [...r].sort()) console.log(formatRow(k, t));
    console.log(`${formatRow("**all**", total(r))}\n`);
  }
}

const evalOnly = process.argv.includes("--eval");
const dataDir = arg("--data") ?? DEFAULT_DATA;
const run: TaggerRun = { ...SHIPPED_RUN, generated: Number(arg("--generated") ?? SHIPPED_RUN.generated) };
const splits = loadSplits({ data: dataDir, generated: run.generated, seed: run.splitSeed, withTrain: !evalOnly });
const calib = [...(splits.dev["generated-dev"] ?? []), ...(splits.dev["wnut17-dev"] ?? [])];
if (evalOnly) {
  const file = TaggerFileSchema.parse(JSON.parse(readFileSync(OUT, "utf8")));
  report("dev", splits.dev, file);
  report("held-out", splits.test, file);
} else if (process.argv.includes("--select")) {
  const grid: Array<Partial<TrainConfig>> = JSON.parse(arg("--grid") ?? '[{}]') as Array<Partial<TrainConfig>>;
  for (const g of grid) {
    const cfg = { ...BASE, ...g };
    const t0 = Date.now();
    const file = trainTagger(splits.train, calib, cfg);
    console.log(`\n## ${JSON.stringify(g)} (${((Date.now() - t0) / 1000).toFixed(0)} s, ${(file.weights.length / 1024).toFixed(0)} KB base64)`);
    report("dev", splits.dev, file);
  }
} else {
  const file = trainTagger(splits.train, calib, BASE, console.log);
  report("dev", splits.dev, file);
  report("held-out", splits.test, file);
  if (!process.argv.includes("--no-write")) {
    // A run with other settings writes another hash, which model-spec.test.ts then refuses.
    file.spec = { hash: taggerSpecHash(run), data: splits.files.map((f) => ({ file: f, bytes: statSync(join(dataDir, f)).size })) };
    writeFileSync(OUT, `${JSON.stringify(file)}\n`);
    console.log(`wrote ${OUT}`);
  }
}
