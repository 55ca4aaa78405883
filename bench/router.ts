/**
 * Router benchmark (npm run bench:router):
 *  1. CPU time per classification (featurize + the TS forward pass) for a ~500-token prompt, measured
 *     inside workerd: the test worker times batches of iterations with performance.now()
 *     (Miniflare's local workerd advances the clock during CPU work; production Workers only
 *     across I/O) and we report per-request p50/p99 over batches.
 *  2. Bundle size of the router test worker (JS + ORT wasm + model), raw and gzipped: a proxy
 *     for what the router adds to the gateway bundle.
 *  3. router:eval on the held-out split and on the sample CSV.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleAndStart, totalBytes } from "../workers/gateway/src/onnx/testing/bundle-worker";
import { evaluate } from "../scripts/router/eval";
import { SHIPPED_MODEL } from "../scripts/router/lib/reference-backend";
import type { RoutingReport } from "../scripts/router/lib/routellm-metrics";
import { parseCli } from "../scripts/lib/cli";

parseCli({ name: "npm run bench:router", summary: "Router CPU per classification inside workerd, its bundle size, and router:eval on the held-out split; about a minute." });

const BATCHES = 60;
const PER_BATCH = 50;

/** ~500 tokens of ordinary English (about 2,000 characters). */
function prompt500(): string {
  const para = "Our team migrated the billing service to a new database last weekend. Two customers reported duplicate invoices after the migration, and the root cause was a retry that ran twice when the network timed out. ";
  return `Please review the incident below, explain the root cause step by step, and propose three fixes ranked by risk.\n\n${para.repeat(9)}`;
}

const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

interface Cpu {
  p50: number;
  p99: number;
  mean: number;
  featurizeP50: number;
  modelP50: number;
  tsModelP50: number;
  chars: number;
  raw: number;
  gz: number;
}

async function cpu(): Promise<Cpu> {
  const w = await bundleAndStart(fileURLToPath(new URL("../workers/gateway/src/router/testing/router-test-worker.ts", import.meta.url)));
  try {
    const text = prompt500();
    const perReq: number[] = [];
    const feat: number[] = [];
    const model: number[] = [];
    const tsModel: number[] = [];
    await w.mf.dispatchFetch("http://bench/bench", { method: "POST", body: JSON.stringify({ prompt: text, iterations: 200 }) }); // warm-up + session
    for (let b = 0; b < BATCHES; b++) {
      const res = await w.mf.dispatchFetch("http://bench/bench", { method: "POST", body: JSON.stringify({ prompt: text, iterations: PER_BATCH }) });
      const t = (await res.json()) as { totalMs: number; featurizeMs: number; modelMs: number; tsModelMs: number };
      tsModel.push(t.tsModelMs / PER_BATCH);
      perReq.push(t.totalMs / PER_BATCH);
      feat.push(t.featurizeMs / PER_BATCH);
      model.push(t.modelMs / PER_BATCH);
    }
    const sizes = w.files.map((f) => `${f.split("/").pop()}: ${readFileSync(f).byteLength} B raw, ${gzipSync(readFileSync(f)).byteLength} B gzip`);
    console.log("bundle files:\n  " + sizes.join("\n  "));
    const gz = w.files.reduce((n, f) => n + gzipSync(readFileSync(f)).byteLength, 0);
    return { p50: q(perReq, 0.5), p99: q(perReq, 0.99), mean: perReq.reduce((a, b) => a + b, 0) / perReq.length, featurizeP50: q(feat, 0.5), modelP50: q(model, 0.5), tsModelP50: q(tsModel, 0.5), chars: text.length, raw: totalBytes(w.files), gz };
  } finally {
    await w.dispose().catch(() => undefined);
  }
}

function line(name: string, r: RoutingReport): string {
  return `${name}: APGR ${r.apgr.toFixed(3)}, CPT(50%) ${(r.cpt50 * 100).toFixed(1)}%, CPT(80%) ${(r.cpt80 * 100).toFixed(1)}%, q(weak) ${(r.qWeak * 100).toFixed(1)}%, q(strong) ${(r.qStrong * 100).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const c = await cpu();
  console.log(`router CPU per request in workerd (${c.chars} chars, ${BATCHES}x${PER_BATCH} iterations): p50 ${c.p50.toFixed(3)} ms, p99 ${c.p99.toFixed(3)} ms, mean ${c.mean.toFixed(3)} ms (p50 featurize ${c.featurizeP50.toFixed(3)} ms, model alone: onnxruntime-web ${c.modelP50.toFixed(3)} ms, the TS forward pass the gateway serves with ${c.tsModelP50.toFixed(3)} ms)`);
  console.log(`router test worker bundle: ${(c.raw / 1e6).toFixed(2)} MB raw, ${(c.gz / 1e6).toFixed(2)} MB gzip`);
  for (const [name, file] of [["held-out split (simulated outcomes)", "data/router/heldout-eval.csv"], ["eval-sample.csv", "data/router/eval-sample.csv"]] as const) {
    const r = await evaluate(readFileSync(file, "utf8"), "small", "frontier", SHIPPED_MODEL);
    console.log(`${name} (${r.rows} rows)\n  ${line("prompt-only", r.prompt_only as RoutingReport)}`);
    if (r.cascade) console.log(`  ${line("cascade", r.cascade as RoutingReport)}`);
  }
}

void main();
