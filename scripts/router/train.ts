/**
 * Trains the router from the shipped corpus (and optional production feedback), exports ONNX
 * and its manifest to workers/gateway/src/router/model/. Deterministic for a seed.
 * Usage: npm run router:train [-- --feedback FILE.jsonl] [--seed 1] [--epochs 18] [--out DIR]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { INTENTS } from "../../shared/schemas/router-training-example";
import { FEATURE_DIM } from "../../workers/gateway/src/router/features/featurize";
import { sha256Hex } from "../../shared/crypto/sha256";
import { featureSpecHash, ROUTER_MODEL_IO, type RouterManifest } from "../../workers/gateway/src/router/model/manifest";
import { readJsonl, toTrainRow } from "./lib/dataset";
import { auc, round4, spearman } from "./lib/metrics";
import { forward } from "./lib/mlp";
import { exportOnnx, importOnnx } from "./lib/onnx-export";
import { trainRouter } from "./lib/train-router";

const { values: args } = parseArgs({
  options: {
    data: { type: "string", default: "data/router/corpus.jsonl" },
    heldout: { type: "string", default: "data/router/heldout.jsonl" },
    feedback: { type: "string" },
    out: { type: "string", default: "workers/gateway/src/router/model" },
    seed: { type: "string", default: "1" },
    epochs: { type: "string", default: "18" },
    hidden: { type: "string", default: "32" },
  },
});

async function main(): Promise<void> {
  const seed = Number(args.seed);
  const epochs = Number(args.epochs);
  const corpus = readJsonl(args.data!);
  const feedback = args.feedback ? readJsonl(args.feedback).filter((e) => e.source === "feedback") : [];
  const examples = [...corpus, ...feedback];
  const started = Date.now();
  const weights = trainRouter(examples, {
    seed, epochs, hidden: Number(args.hidden),
    onEpoch: (e, loss) => process.stdout.write(`epoch ${e + 1}/${epochs} loss ${loss.toFixed(4)}\n`),
  });
  const onnx = exportOnnx(weights, `router model; seed ${seed}; ${examples.length} rows`);
  const held = readJsonl(args.heldout!);
  const reference = importOnnx(onnx);
  const preds = held.map((e) => forward(reference, toTrainRow(e).x));
  const labelled = held.map((e, i) => ({ e, p: preds[i]! })).filter((r) => r.e.complexity !== undefined);
  const metrics = {
    heldoutRows: held.length,
    intentAccuracy: round4(held.filter((e, i) => INTENTS[preds[i]!.probs.indexOf(Math.max(...preds[i]!.probs))] === e.intent).length / held.length),
    complexityMae: round4(labelled.reduce((s, r) => s + Math.abs(r.p.complexity - r.e.complexity!), 0) / labelled.length),
    complexitySpearman: round4(spearman(labelled.map((r) => r.p.complexity), labelled.map((r) => r.e.complexity!))),
    complexityAucAt05: round4(auc(labelled.map((r) => r.p.complexity), labelled.map((r) => r.e.complexity! >= 0.5))),
  };
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
      trainRows: corpus.length, feedbackRows: feedback.length, seed, epochs, hidden: Number(args.hidden),
    },
    metrics,
  };
  writeFileSync(`${args.out}/router.onnx`, onnx);
  writeFileSync(`${args.out}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`wrote ${args.out}/router.onnx (${onnx.byteLength} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s`, metrics);
}

void main();
