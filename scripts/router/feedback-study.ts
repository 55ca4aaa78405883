/**
 * Feedback study (issue 12), exploratory: what a tenant's judged outcomes buy the shipped
 * feedback recipe on tasks the base router never saw. lib/feedback-study.ts has the protocol.
 * Usage: npx tsx scripts/router/feedback-study.ts [--routing-dir ../shared/data/routing] [--corpus FILE]
 *        [--reps 10] [--per-set 600] [--markdown OUT]
 */
import { writeFileSync } from "node:fs";
import { parseCli } from "../lib/cli";
import { readJsonl } from "./lib/dataset";
import { feedbackRun, meanOutcome, type StudyOutcome, type StudyRow } from "./lib/feedback-study";
import { featurizeOutcomes, lodoLogits, MAIN_FAMILIES } from "./lib/lodo";
import { mulberry32, shuffle } from "./lib/rng";
import { complexityInputs, trainCorpusModel } from "./lib/train-router";
import { ROUTING_LABELS } from "./outcomes/labels";
import { loadRoutingSets } from "./outcomes/load-routing-sets";

const JUDGED = [100, 300, 1000];
const NOISE = [0, 0.15];
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const cells = (o: StudyOutcome): string => `${o.apgr.toFixed(3)} | ${o.auc.toFixed(3)} | ${pct(o.qualityAt30)} | ${pct(o.bandSmallShare)} / ${pct(o.bandQuality)}`;

function main(): void {
  const { values } = parseCli({
    name: "npx tsx scripts/router/feedback-study.ts",
    summary: "What a tenant's judged outcomes buy the router's feedback recipe on unseen tasks (exploratory).",
    options: { "routing-dir": { type: "string" }, corpus: { type: "string" }, reps: { type: "string" }, "per-set": { type: "string" }, markdown: { type: "string" } },
  } as const);
  const reps = Number(values.reps ?? 10);
  const perSet = Number(values["per-set"] ?? 600);
  const { rows } = loadRoutingSets(values["routing-dir"] ?? "../shared/data/routing", ROUTING_LABELS);
  const corpusModel = trainCorpusModel(readJsonl(values.corpus ?? "data/router/corpus.jsonl"), { seed: 1, epochs: 18, hidden: 32 });
  const feats = featurizeOutcomes(rows);
  const z = lodoLogits(rows, feats.x.map((x) => complexityInputs(corpusModel, x)));
  const all: StudyRow[] = rows.map((row, i) => ({ row, x: feats.x[i]!, z0: z[i]! }));
  const main = all.filter((r) => r.row.pair === "mixtral-gpt4");
  // Anchors keep n-grams neutral off the tenant's traffic: rows of sets outside the five.
  const anchors = all.filter((r) => r.row.pair !== "mixtral-gpt4").filter((_, i) => i % 3 === 0).slice(0, 2000);
  const rng = mulberry32(7);
  const tenants: [string, StudyRow[]][] = [
    ...MAIN_FAMILIES.map((f): [string, StudyRow[]] => [f, main.filter((r) => r.row.family === f)]),
    ["mix of the five (≤ " + perSet + " each)", MAIN_FAMILIES.flatMap((f) => shuffle(rng, main.filter((r) => r.row.family === f)).slice(0, perSet))],
  ];
  const out = [
    `Judged outcomes drawn from one half of the tenant's traffic, measured on the other half; ${reps} seeded splits each; base logits leave-one-dataset-out. Columns: APGR | AUC (small worse) | quality kept with the lowest 30% small | band read on the judged half (target 0.95): small share / quality kept.`,
    "",
    `| tenant traffic | rows | judged | judge wrong | ${["base router", "+ judged outcomes (n-grams, unchecked)", "+ judged outcomes behind the shipped check"].map((r) => `${r}: APGR | AUC | quality, lowest 30% small | band: small share / quality`).join(" | ")} |`,
    `|---|---|---|---|${"---|".repeat(12)}`,
  ];
  for (const [name, t] of tenants) {
    for (const judged of JUDGED) {
      if (judged > t.length / 2 * 1.2) continue;
      for (const judgeNoise of NOISE) {
        const runs = Array.from({ length: reps }, (_, r) => feedbackRun(t, anchors, { judged, judgeNoise, target: 0.95, seed: 1000 + r }));
        out.push(`| ${name} | ${t.length} | ${judged} | ${pct(judgeNoise)} | ${cells(meanOutcome(runs.map((x) => x[0])))} | ${cells(meanOutcome(runs.map((x) => x[1])))} | ${cells(meanOutcome(runs.map((x) => x[2])))} (applied ${runs.filter((x) => x[2] === x[1]).length}/${reps}) |`);
        console.error(out.at(-1));
      }
    }
  }
  const md = out.join("\n");
  console.log(md);
  if (values.markdown) writeFileSync(values.markdown, md + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
