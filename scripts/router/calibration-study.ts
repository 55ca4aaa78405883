/**
 * Band calibration study (issue 12: "auto keeps >= 95% at a >= 30% cut"), exploratory, nothing
 * ships: on each left-out Mixtral/GPT-4 set, the quality-target band from the pooled calibration
 * (the shipped net estimate), from a within-set slope (label-free), and from a tenant's own
 * labelled outcomes (an upper bound for judged-outcome recalibration). lib/calibration-study.ts.
 * Usage: npx tsx scripts/router/calibration-study.ts [--routing-dir ../shared/data/routing] [--corpus FILE] [--markdown OUT]
 */
import { writeFileSync } from "node:fs";
import { DEFAULT_FRONTIER_QUALITY } from "../../workers/gateway/src/router/quality-target/derive-band";
import { parseCli } from "../lib/cli";
import { labelFreeBand, labelledBand, withinGroupSlope, type SlopeInputs } from "./lib/calibration-study";
import { readJsonl } from "./lib/dataset";
import { featurizeOutcomes, lodoLogits, lodoPlatt, lodoWinPlatt, MAIN_FAMILIES } from "./lib/lodo";
import { complexityInputs, trainCorpusModel } from "./lib/train-router";
import { ROUTING_LABELS } from "./outcomes/labels";
import { loadRoutingSets } from "./outcomes/load-routing-sets";
import { outcomeLabel, type OutcomeRow } from "./outcomes/outcome-row";

const TARGETS = [0.9, 0.95, 0.97];
const RATES = [0.2, 0.5, 1];
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const share = (x: number): string => `${Math.round(x * 100)}%`;

function slopeInputs(rows: readonly OutcomeRow[], held: Float64Array, set: string): { idx: number[]; s: SlopeInputs } {
  const main = rows.map((_, i) => i).filter((i) => rows[i]!.pair === "mixtral-gpt4");
  const idx = main.filter((i) => rows[i]!.family === set);
  const others = rows.map((_, i) => i).filter((i) => rows[i]!.family !== set);
  const otherRows = others.map((i) => rows[i]!);
  const otherLogits = Float64Array.from(others, (i) => held[i]!);
  const fit = main.filter((i) => rows[i]!.family !== set);
  const z = fit.map((i) => held[i]!);
  const fam = fit.map((i) => rows[i]!.family);
  return {
    idx,
    s: {
      z: idx.map((i) => held[i]!),
      loss: lodoPlatt(otherRows, otherLogits),
      win: lodoWinPlatt(otherRows, otherLogits),
      lossSlope: withinGroupSlope(z, fit.map((i) => outcomeLabel(rows[i]!.weakOk, rows[i]!.strongOk)), fam),
      winSlope: withinGroupSlope(z, fit.map((i) => (rows[i]!.weakOk && !rows[i]!.strongOk ? 1 : 0)), fam),
    },
  };
}

function study(rows: readonly OutcomeRow[], held: Float64Array): string {
  const sets = MAIN_FAMILIES.filter((f) => rows.some((r) => r.family === f && r.pair === "mixtral-gpt4"));
  const perSet = sets.map((set) => ({ set, ...slopeInputs(rows, held, set) }));
  const out: string[] = [];
  out.push("| left-out set | pooled slope a | within-set slope | the set's own slope (reads its labels: diagnostic only) | target | pooled (shipped net): small share | quality | within-set slope: small share | quality |", "|---|---|---|---|---|---|---|---|---|");
  for (const { set, idx, s } of perSet) {
    const setRows = idx.map((i) => rows[i]!);
    const own = withinGroupSlope(s.z, setRows.map((r) => outcomeLabel(r.weakOk, r.strongOk)), setRows.map(() => set));
    for (const t of TARGETS) {
      const p = labelFreeBand(setRows, s, "pooled", t, DEFAULT_FRONTIER_QUALITY);
      const w = labelFreeBand(setRows, s, "within", t, DEFAULT_FRONTIER_QUALITY);
      out.push(`| ${set} | ${s.loss.a.toFixed(3)} | ${s.lossSlope.toFixed(3)} | ${own.toFixed(3)} | ${t} | ${share(p.smallShare)} | ${pct(p.quality)} | ${share(w.smallShare)} | ${pct(w.quality)} |`);
    }
  }
  out.push("", "Mean over the sets (quality / small share):", "");
  for (const t of TARGETS) {
    const m = (mode: "pooled" | "within") => perSet.map(({ idx, s }) => labelFreeBand(idx.map((i) => rows[i]!), s, mode, t, DEFAULT_FRONTIER_QUALITY));
    const avg = (xs: { quality: number; smallShare: number }[]) => `${pct(xs.reduce((a, x) => a + x.quality, 0) / xs.length)} / ${share(xs.reduce((a, x) => a + x.smallShare, 0) / xs.length)}, below target on ${xs.filter((x) => x.quality < t).length} of ${xs.length}`;
    out.push(`- target ${t}: pooled ${avg(m("pooled"))}; within-set slope ${avg(m("within"))}`);
  }
  out.push("", "Per-tenant labelled band, target 0.95 (two halves, cut-off from a sample of one half with every answer's correctness known, measured on the other; 50 seeded splits x 2):", "");
  out.push(`| left-out set | ${RATES.map((r) => `sample ${share(r)} of a half: quality ± sd | small share | runs > 1 pt below`).join(" | ")} |`, `|---|${RATES.map(() => "---|---|---|").join("")}`);
  for (const { set, idx, s } of perSet) {
    const cells = RATES.map((r) => labelledBand(idx.map((i) => rows[i]!), s.z, 0.95, r, 50, 1)).map((b) => `${pct(b.quality)} ± ${(b.qualitySd * 100).toFixed(1)} | ${share(b.smallShare)} | ${share(b.missRate)}`);
    out.push(`| ${set} | ${cells.join(" | ")} |`);
  }
  return out.join("\n");
}

function main(): void {
  const { values } = parseCli({
    name: "npx tsx scripts/router/calibration-study.ts",
    summary: "Quality-target band calibration study on leave-one-dataset-out complexities (exploratory).",
    options: { "routing-dir": { type: "string" }, corpus: { type: "string" }, markdown: { type: "string" } },
  } as const);
  const { rows } = loadRoutingSets(values["routing-dir"] ?? "../shared/data/routing", ROUTING_LABELS);
  const corpusModel = trainCorpusModel(readJsonl(values.corpus ?? "data/router/corpus.jsonl"), { seed: 1, epochs: 18, hidden: 32 });
  const inputs = featurizeOutcomes(rows).x.map((x) => complexityInputs(corpusModel, x));
  const md = study(rows, lodoLogits(rows, inputs));
  console.log(md);
  if (values.markdown) writeFileSync(values.markdown, md + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) main();
