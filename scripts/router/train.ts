/**
 * Trains the router and exports ONNX + manifest to workers/gateway/src/router/model/.
 * Intent from the authored corpus; complexity from the shared routing sets' real outcomes,
 * calibrated on leave-one-dataset-out predictions (docs/router.md). Deterministic for a seed.
 * Usage: npm run router:train [-- --routing-dir ../shared/data/routing] [--feedback FILE.jsonl]
 *        [--seed 1] [--epochs 18] [--hidden 32] [--out DIR] [--exclude-family gsm8k[,mmlu]]
 * --exclude-family trains without every row of those families (a family includes its copies,
 * e.g. MGSM for gsm8k), calibration included: a held-out build for benchmarks that replay one of
 * them (bench:replay --router lodo). Never for the shipped model.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseCli } from "../lib/cli";
import { INTENTS } from "../../shared/schemas/router-training-example";
import { sha256Hex } from "../../shared/crypto/sha256";
import { FEATURE_DIM } from "../../workers/gateway/src/router/features/featurize";
import { featureSpecHash, ROUTER_MODEL_IO, type RouterManifest } from "../../workers/gateway/src/router/model/manifest";
import { winCurveOf } from "../../workers/gateway/src/router/quality-target/win-curve";
import { loadRoutingSets } from "./outcomes/load-routing-sets";
import { outcomeLabel } from "./outcomes/outcome-row";
import { applyPlatt, ece } from "./lib/calibration";
import { COMPLEXITY_FEATURES } from "./lib/complexity-model";
import { readJsonl, toTrainRow } from "./lib/dataset";
import { featurizeOutcomes, lodoLogits, lodoPlatt, lodoWinPlatt, MAIN_FAMILIES } from "./lib/lodo";
import { round4 } from "./lib/metrics";
import { forward } from "./lib/mlp";
import { exportOnnx, importOnnx } from "./lib/onnx-export";
import { routingReport } from "./lib/routellm-metrics";
import { complexityInputs, RECIPE_DEFAULTS, trainCorpusModel, trainRouter } from "./lib/train-router";
import { feedbackProblem, feedbackSummary } from "./lib/feedback-check";
import { ROUTING_LABELS } from "./outcomes/labels";

const { values: args } = parseCli({
  name: "npm run router:train --",
  summary: "Trains the router (intent from the corpus, complexity from the routing sets) and exports ONNX + manifest. Runs for minutes.",
  options: {
    data: { type: "string", default: "data/router/corpus.jsonl" },
    heldout: { type: "string", default: "data/router/heldout.jsonl" },
    "routing-dir": { type: "string", default: "../shared/data/routing" },
    feedback: { type: "string" },
    out: { type: "string", default: "workers/gateway/src/router/model" },
    seed: { type: "string", default: "1" },
    epochs: { type: "string", default: "18" },
    hidden: { type: "string", default: "32" },
    "exclude-family": { type: "string" },
  },
});

async function main(): Promise<void> {
  const seed = Number(args.seed);
  const epochs = Number(args.epochs);
  const hidden = Number(args.hidden);
  const started = Date.now();
  const corpus = readJsonl(args.data!);
  const feedback = args.feedback ? readJsonl(args.feedback).filter((e) => e.source === "feedback") : [];
  const problem = args.feedback ? feedbackProblem(args.feedback, feedback) : null;
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  if (args.feedback) console.log(feedbackSummary(feedback));
  const excluded = new Set((args["exclude-family"] ?? "").split(",").filter(Boolean));
  const loaded = loadRoutingSets(args["routing-dir"]!, ROUTING_LABELS);
  const routing = { ...loaded, rows: loaded.rows.filter((r) => !excluded.has(r.family)) };
  if (excluded.size && routing.rows.length === loaded.rows.length) throw new Error(`--exclude-family ${[...excluded].join(",")}: no such family in the routing sets`);
  const outcomes = featurizeOutcomes(routing.rows);
  const opts = { seed, epochs, hidden, onEpoch: (e: number, loss: number) => process.stdout.write(`corpus model epoch ${e + 1}/${epochs} loss ${loss.toFixed(4)}\n`) };
  const corpusModel = trainCorpusModel(corpus, opts);
  const inputs = outcomes.x.map((x) => complexityInputs(corpusModel, x));
  const heldLogits = lodoLogits(outcomes.rows, inputs);
  const platt = lodoPlatt(outcomes.rows, heldLogits);
  const winCurve = winCurveOf(platt, lodoWinPlatt(outcomes.rows, heldLogits));
  const { weights, feedback: feedbackCheck } = trainRouter([...corpus, ...feedback], opts, outcomes, platt, corpusModel);
  if (feedbackCheck) console.log(`feedback n-grams ${feedbackCheck.applied ? "applied" : "NOT applied"}: ${feedbackCheck.reason} (held-out log-loss ${feedbackCheck.baseLogLoss} -> ${feedbackCheck.tunedLogLoss}, AUC ${feedbackCheck.baseAuc ?? "n/a"} -> ${feedbackCheck.tunedAuc ?? "n/a"}, ${feedbackCheck.rows} rows)`);
  const onnx = exportOnnx(weights, `router model; seed ${seed}; ${corpus.length} corpus rows, ${routing.rows.length} outcome rows`);
  const reference = importOnnx(onnx);
  const held = readJsonl(args.heldout!);
  const intentOk = held.filter((e) => {
    const p = forward(reference, toTrainRow(e).x).probs;
    return INTENTS[p.indexOf(Math.max(...p))] === e.intent;
  }).length;
  const metrics: Record<string, number> = { intentHeldoutRows: held.length, intentAccuracy: round4(intentOk / held.length) };
  const calibrated: number[] = [];
  const truth: number[] = [];
  for (const family of MAIN_FAMILIES) {
    const idx = outcomes.rows.map((_, i) => i).filter((i) => outcomes.rows[i]!.family === family && outcomes.rows[i]!.pair === "mixtral-gpt4");
    if (!idx.length) continue;
    const item = (score: (i: number) => number) => idx.map((i) => ({ score: score(i), weakOk: outcomes.rows[i]!.weakOk, strongOk: outcomes.rows[i]!.strongOk }));
    metrics[`lodoApgr_${family}`] = round4(routingReport(item((i) => heldLogits[i]!)).apgr);
    metrics[`devApgr_${family}`] = round4(routingReport(item((i) => forward(reference, outcomes.x[i]!).complexity)).apgr);
    for (const i of idx) (calibrated.push(applyPlatt(platt, heldLogits[i]!)), truth.push(outcomeLabel(outcomes.rows[i]!.weakOk, outcomes.rows[i]!.strongOk)));
  }
  metrics.lodoCalibrationEce = round4(ece(calibrated, truth));
  const onnxSha = await sha256Hex(onnx);
  const manifest: RouterManifest = {
    name: "router",
    version: `1.0.0+${onnxSha.slice(0, 12)}`,
    onnxFile: "router.onnx",
    onnxSha256: onnxSha,
    sizeBytes: onnx.byteLength,
    featureSpecHash: await featureSpecHash(),
    featureDim: FEATURE_DIM,
    intents: [...INTENTS],
    io: ROUTER_MODEL_IO,
    training: {
      corpusSha256: await sha256Hex(readFileSync(args.data!)),
      feedbackSha256: args.feedback ? await sha256Hex(readFileSync(args.feedback)) : null,
      trainRows: corpus.length, feedbackRows: feedback.length, seed, epochs, hidden,
      routingSets: routing.files,
      outcomeRows: routing.rows.length,
      ...(excluded.size ? { excludedFamilies: [...excluded].sort() } : {}),
      ...(feedbackCheck ? { feedbackCheck } : {}),
      complexity: { features: [...COMPLEXITY_FEATURES, "corpus_prior_logit"], platt: { a: round4(platt.a), b: round4(platt.b) }, balance: RECIPE_DEFAULTS.balance, l2: RECIPE_DEFAULTS.l2, labels: ROUTING_LABELS.description },
    },
    metrics,
    winCurve: { alpha: round4(winCurve.alpha), beta: round4(winCurve.beta) },
  };
  writeFileSync(`${args.out}/router.onnx`, onnx);
  writeFileSync(`${args.out}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`wrote ${args.out}/router.onnx (${onnx.byteLength} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s`, metrics);
}

void main();
