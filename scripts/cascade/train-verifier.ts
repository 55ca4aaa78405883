/**
 * `npm run cascade:train`: trains the cascade verifier (P(draft wrong) from the prompt and one
 * draft) on the shared drafts — GSM8K's Mixtral answers and RouterBench's mixtral-8x7b-chat
 * answers for ARC-Challenge, MBPP and Winogrande — chooses the variant by held-out AUC
 * (leave-one-dataset-out and 5-fold by row, never in-sample), prints the held-out table and the
 * escalate/accept trade-off, and writes workers/gateway/src/router/cascade/verifier-model.json.
 * Deterministic: the same data give the same bytes.
 *
 *   npm run cascade:train [-- --data DIR] [--out FILE] [--folds K --folds-out FILE]
 *
 * --folds K also writes K fold models (fold f trained without the rows whose prompt hashes to
 * f) for bench:replay, which serves every row with the model that did not see it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCli } from "../lib/cli";
import { sha256Hex } from "../../shared/crypto/sha256";
import { DRAFT_FEATURES, DRAFT_FEATURES_VERSION, draftFeatureVector } from "../../workers/gateway/src/router/cascade/draft-features";
import { parseVerifierModel, type VerifierModel } from "../../workers/gateway/src/router/cascade/verifier-model";
import { DEFAULT_DATA_DIR, loadDraftRows, SOURCES, type DraftRow } from "./lib/draft-rows";
import { sigmoid, type LogisticFit } from "./lib/logistic";
import { shippedRouterPrior } from "./lib/router-prior";
import { fitAll, fitFolds, rowsBySource, scoreVariant, UNFITTED, VARIANTS, type Variant, type VariantScore } from "./lib/train-verifier-lib";
import { aucBySource, tradeoff, type TrainSet } from "./lib/verifier-cv";

const { values: args } = parseCli({
  name: "npm run cascade:train --",
  summary: "Trains the cascade's draft verifier (k-fold by source, held-out threshold); writes the verifier model. Runs for minutes.",
  options: {
    data: { type: "string", default: DEFAULT_DATA_DIR },
    out: { type: "string", default: "workers/gateway/src/router/cascade/verifier-model.json" },
    folds: { type: "string" },
    "folds-out": { type: "string" },
    k: { type: "string", default: "5" },
    quiet: { type: "boolean", default: false },
  },
});
const log = (s: string) => (args.quiet ? undefined : console.log(s));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The default escalation threshold is chosen on held-out (5-fold) predictions, never in-sample:
 * the largest P(wrong) threshold at which GSM8K drafts served through the cascade keep
 * QUALITY_FLOOR of all-frontier quality (1 point above the product target, as margin for
 * other data). Tenants move it per feature (router.cascadeThreshold).
 */
const QUALITY_FLOOR = 0.96;

function chooseThreshold(rows: readonly DraftRow[], logits: ArrayLike<number>): number {
  const idx = rows.flatMap((r, i) => (r.source === "gsm8k" && r.frontierOk !== null ? [i] : []));
  const frontier = idx.filter((i) => rows[i]!.frontierOk).length;
  let best = 0.05;
  for (let t = 0.05; t <= 0.951; t += 0.025) {
    const correct = idx.filter((i) => (sigmoid(logits[i]!) > t ? rows[i]!.frontierOk : !rows[i]!.wrong)).length;
    if (correct >= QUALITY_FLOOR * frontier) best = Math.round(t * 1000) / 1000;
  }
  return best;
}

async function features(rows: readonly DraftRow[]): Promise<{ set: TrainSet; routerVersion: string }> {
  const prior = shippedRouterPrior();
  const x: Float64Array[] = [];
  for (const r of rows) x.push(draftFeatureVector({ prompt: r.prompt, draft: r.draft, prior: await prior.complexity(r.prompt) }));
  return { set: { rows, x }, routerVersion: prior.modelVersion };
}

function toModel(fit: LogisticFit, training: Record<string, unknown>, version: string, threshold: number): VerifierModel {
  return parseVerifierModel({
    name: "cascade-verifier",
    version,
    featuresVersion: DRAFT_FEATURES_VERSION,
    features: [...DRAFT_FEATURES],
    bias: Math.round(fit.bias * 1e4) / 1e4,
    weights: fit.weights.map((w) => Math.round(w * 1e4) / 1e4),
    threshold,
    unfitted: Object.fromEntries(Object.entries(UNFITTED).map(([k, v]) => [k, v.why])),
    training,
  });
}

function report(scores: VariantScore[], best: VariantScore, set: TrainSet, inSample: Record<string, number>, threshold: number): Record<string, unknown> {
  const f = (o: Record<string, number>) => SOURCES.map((s) => (o[s] ?? NaN).toFixed(3)).join(" | ");
  log(`\nvariant | ${SOURCES.map((s) => `LODO ${s}`).join(" | ")} | ${SOURCES.map((s) => `5-fold ${s}`).join(" | ")} | score`);
  for (const s of scores) log(`${s.variant.name}${s === best ? " (chosen)" : ""} | ${f(s.lodo)} | ${f(s.kfold)} | ${s.score.toFixed(3)}`);
  log(`in-sample (dev, for comparison only) | ${f(inSample)}`);
  const tradeoffs: Record<string, unknown> = {};
  log("\nescalate/accept trade-off on held-out (5-fold) rows: escalated share -> served quality / all-frontier quality, wrong drafts caught");
  for (const source of SOURCES) {
    const idx = set.rows.flatMap((r, i) => (r.source === source ? [i] : []));
    const points = tradeoff(idx.map((i) => set.rows[i]!), idx.map((i) => best.kfoldLogits[i]!), [0.1, 0.2, 0.3, 0.4, 0.5]);
    tradeoffs[source] = points.map((p) => ({ escalated: r3(p.escalated), quality: r3(p.qualityVsFrontier), recall: r3(p.recall) }));
    log(`${source.padEnd(14)} ${points.map((p) => `${(100 * p.escalated).toFixed(0)}% -> ${(100 * p.qualityVsFrontier).toFixed(1)}% (${(100 * p.recall).toFixed(0)}%)`).join("  ")}`);
    const p = idx.map((i) => sigmoid(best.kfoldLogits[i]!));
    const above = p.filter((v) => v > threshold).length / Math.max(1, p.length);
    log(`${"".padEnd(14)} at the default threshold ${threshold}: ${(100 * above).toFixed(0)}% escalated`);
  }
  return {
    heldout: Object.fromEntries(scores.map((s) => [s.variant.name, { lodo: roundAll(s.lodo), kfold: roundAll(s.kfold), score: r3(s.score) }])),
    inSampleAuc: roundAll(inSample),
    tradeoff5fold: tradeoffs,
  };
}

const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, r3(v)]));

async function main(): Promise<void> {
  const started = Date.now();
  const rows = loadDraftRows(args.data);
  const { set, routerVersion } = await features(rows);
  const k = Number(args.k);
  const scores = VARIANTS.map((v) => scoreVariant(set, v, k));
  // Highest held-out score; ties go to the earlier (simpler: no prior, stronger penalty last) variant.
  const best = scores.reduce((a, b) => (b.score > a.score + 1e-9 ? b : a));
  const fit = fitAll(set, best.variant);
  const inSample = aucBySource(set, set.x.map((x) => fit.bias + fit.weights.reduce((s, w, j) => s + w * x[j]!, 0)));
  const threshold = chooseThreshold(rows, best.kfoldLogits);
  const cv = report(scores, best, set, inSample, threshold);
  const dataFiles = ["gsm8k-mixtral-gpt4-dev.csv", ...["arc_challenge", "mbpp", "winograde"].flatMap((s) => [`routerbench-${s}-train.csv`, `routerbench-${s}-test.csv`])];
  const dataSha256 = await sha256Hex(dataFiles.map((f) => readFileSync(join(args.data!, f), "utf8")).join("\u0000"));
  const training = { variant: best.variant, rows: rowsBySource(rows), routerModelVersion: routerVersion, dataSha256, cvFolds: k, ...cv };
  const weightsSha = (await sha256Hex(JSON.stringify([fit.bias, fit.weights]))).slice(0, 12);
  const model = toModel(fit, { ...training, thresholdRule: `largest threshold keeping ${QUALITY_FLOOR} of all-frontier quality on held-out GSM8K rows` }, `verifier-1+${weightsSha}`, threshold);
  writeFileSync(args.out!, `${JSON.stringify(model, null, 2)}\n`);
  log(`\nwrote ${args.out} (${model.version}, ${best.variant.name}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (args.folds) writeFolds(set, best.variant, Number(args.folds), model, args["folds-out"] ?? ".tmp/verifier-folds.json");
}

function writeFolds(set: TrainSet, variant: Variant, k: number, shipped: VerifierModel, out: string): void {
  const models = fitFolds(set, variant, k).map((fit, f) => toModel(fit, { fold: f, of: k }, `${shipped.version}-fold${f}of${k}`, shipped.threshold));
  writeFileSync(out, `${JSON.stringify({ k, models })}\n`);
  log(`wrote ${k} fold models to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
