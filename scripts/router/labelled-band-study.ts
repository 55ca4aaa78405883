/**
 * Labelled-band study (issue 12): the quality-target band set from a tenant's judged outcomes
 * with the shipped bound, against the label-free band, held out, with served small-tier labels
 * unpaired and paired by the frontier shadow on the same splits (lib/labelled-band-study.ts has
 * the protocol). docs/benchmarks/router.md, "Labelled band, held out".
 * Usage: npx tsx scripts/router/labelled-band-study.ts [--routing-dir ../shared/data/routing] [--corpus FILE]
 *        [--reps 100] [--per-set 600] [--target 0.95] [--markdown OUT]
 */
import { writeFileSync } from "node:fs";
import { winCurveOf } from "../../workers/gateway/src/router/quality-target/win-curve";
import { LABELLED_BAND_DELTA } from "../../workers/gateway/src/router/quality-target/labelled-band";
import { parseCli } from "../lib/cli";
import { applyPlatt } from "./lib/calibration";
import { readJsonl } from "./lib/dataset";
import { aggregate, gsm8kCut, labelledSplit, type Aggregate, type StudyTenant } from "./lib/labelled-band-study";
import { featurizeOutcomes, lodoLogits, lodoPlatt, lodoWinPlatt, MAIN_FAMILIES } from "./lib/lodo";
import { mulberry32, shuffle } from "./lib/rng";
import { complexityInputs, trainCorpusModel } from "./lib/train-router";
import type { OutcomeRow } from "./outcomes/outcome-row";
import { ROUTING_LABELS } from "./outcomes/labels";
import { loadRoutingSets } from "./outcomes/load-routing-sets";

const LABELS = [100, 300, 1000, 3000];
const NOISE = [0, 0.15];
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Each set's rows with complexities from the model and calibration fitted without it; the mix uses the pooled win curve (what ships). */
function tenants(rows: readonly OutcomeRow[], z: Float64Array, perSet: number): StudyTenant[] {
  const out: StudyTenant[] = [];
  const mix: { rows: OutcomeRow[]; c: number[] } = { rows: [], c: [] };
  const rng = mulberry32(7);
  for (const set of MAIN_FAMILIES) {
    const idx = rows.map((_, i) => i).filter((i) => rows[i]!.family === set && rows[i]!.pair === "mixtral-gpt4");
    const others = rows.map((_, i) => i).filter((i) => rows[i]!.family !== set);
    const [otherRows, otherZ] = [others.map((i) => rows[i]!), Float64Array.from(others, (i) => z[i]!)];
    const platt = lodoPlatt(otherRows, otherZ);
    const t = { name: set, rows: idx.map((i) => rows[i]!), c: idx.map((i) => applyPlatt(platt, z[i]!)), winCurve: winCurveOf(platt, lodoWinPlatt(otherRows, otherZ)) };
    out.push(t);
    for (const k of shuffle(rng, t.rows.map((_, k) => k)).slice(0, perSet)) {
      mix.rows.push(t.rows[k]!);
      mix.c.push(t.c[k]!);
    }
  }
  out.push({ name: `mix of the five (≤ ${perSet} each)`, ...mix, winCurve: winCurveOf(lodoPlatt(rows, z), lodoWinPlatt(rows, z)) });
  return out;
}

const cell = (a: Aggregate, gsm8k: boolean): string =>
  `${pct(a.quality)} ± ${(a.qualitySd * 100).toFixed(1)} | ${pct(a.held)} | ${pct(a.smallShare)}${gsm8k ? ` (≈ ${pct(gsm8kCut(a.smallShare))} cut)` : ""}`;

function main(): void {
  const { values } = parseCli({
    name: "npx tsx scripts/router/labelled-band-study.ts",
    summary: "The labelled quality-target band against the label-free one, set on one half of a tenant's traffic and measured on the other.",
    options: { "routing-dir": { type: "string" }, corpus: { type: "string" }, reps: { type: "string" }, "per-set": { type: "string" }, target: { type: "string" }, markdown: { type: "string" } },
  } as const);
  const reps = Number(values.reps ?? 100);
  const target = Number(values.target ?? 0.95);
  const { rows } = loadRoutingSets(values["routing-dir"] ?? "../shared/data/routing", ROUTING_LABELS);
  const corpusModel = trainCorpusModel(readJsonl(values.corpus ?? "data/router/corpus.jsonl"), { seed: 1, epochs: 18, hidden: 32 });
  const z = lodoLogits(rows, featurizeOutcomes(rows).x.map((x) => complexityInputs(corpusModel, x)));
  const out = [
    `Target ${target}; ${reps} seeded splits per line, the same splits and verdicts for the three bands; bound at δ = ${LABELLED_BAND_DELTA} (the guarantee: quality ≥ target in ≥ ${pct(1 - LABELLED_BAND_DELTA)} of windows, for the judge's verdicts and the Qf estimate). Columns per band: quality kept on the held-out half (mean ± sd) | splits at or above the target | small-tier share (GSM8K: ≈ ledger cost cut from bench:replay's curve); certified = share of splits where some band passed the test.`,
    "",
    "| tenant traffic | rows | labels | judge wrong | label-free: quality | ≥ target | small share | unpaired: quality | ≥ target | small share | certified | paired: quality | ≥ target | small share | certified |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const t of tenants(rows, z, Number(values["per-set"] ?? 600))) {
    for (const labels of LABELS) {
      if (labels > t.rows.length >> 1) continue;
      for (const judgeNoise of NOISE) {
        const runs = Array.from({ length: reps }, (_, r) => labelledSplit(t, { labels, judgeNoise, target, seed: 1000 + r }));
        const gsm = t.name === "gsm8k";
        const certified = (k: "unpaired" | "paired"): string => pct(runs.filter((x) => x[k].certified).length / reps);
        const band = (k: "unpaired" | "paired"): string => `${cell(aggregate(runs.map((x) => x[k]), target), gsm)} | ${certified(k)}`;
        out.push(`| ${t.name} | ${t.rows.length} | ${labels} | ${pct(judgeNoise)} | ${cell(aggregate(runs.map((x) => x.labelFree), target), gsm)} | ${band("unpaired")} | ${band("paired")} |`);
        console.error(out.at(-1));
      }
    }
  }
  const md = out.join("\n");
  console.log(md);
  if (values.markdown) writeFileSync(values.markdown, md + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
