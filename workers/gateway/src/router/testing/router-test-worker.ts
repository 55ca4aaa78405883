/**
 * Tiny Worker used by the workerd test and the benchmark: runs the shipped router model inside
 * workerd as the gateway does (shippedBackend: the TS forward pass), and through onnxruntime-web.
 *   POST /scores {prompts: string[]}           -> raw model outputs per prompt (shippedBackend)
 *   POST /bench  {prompt: string, iterations}  -> featurize+run timings measured in the isolate
 *   POST /two-sessions {prompts}               -> two sessions created concurrently with the shared
 *                                                 loader (as router + injection screen would), both run
 */
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { createOrtSession, runFloatOutputs } from "../../onnx/ort-session";
import { featurize } from "../features/featurize";
import routerModel from "../model/router.onnx";
import manifest from "../model/manifest.json";
import { tsBackend } from "../ts-backend";
import { ortBackend, sparseFeeds } from "../ort-backend";
import { shippedBackend } from "../worker-router";

interface Body {
  prompts?: string[];
  prompt?: string;
  iterations?: number;
}

async function scores(prompts: readonly string[]): Promise<Response> {
  const { backend, manifest } = shippedBackend();
  const out = [];
  for (const prompt of prompts) {
    const s = await backend(featurize({ prompt }));
    out.push({ intentProbs: [...s.intentProbs], complexity: s.complexity });
  }
  return Response.json({ version: manifest.version, out });
}

let ortArm: ReturnType<typeof ortBackend> | null = null;

async function bench(prompt: string, iterations: number): Promise<Response> {
  const { backend, ready } = shippedBackend();
  await ready();
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink += (await backend(featurize({ prompt: prompt + (i % 2 ? " " : "") }))).complexity;
  const t1 = performance.now();
  for (let i = 0; i < iterations; i++) sink += featurize({ prompt: prompt + (i % 2 ? " " : "") })[0]!;
  const t2 = performance.now();
  const x = featurize({ prompt });
  // The model alone through onnxruntime-web, beside the TS pass the gateway serves with.
  const ort = (ortArm ??= ortBackend({ model: routerModel, wasm: ortWasm, manifest }));
  await ort.ready();
  const t2b = performance.now();
  for (let i = 0; i < iterations; i++) sink += (await ort.backend(x)).complexity;
  const t3 = performance.now();
  const ts = tsBackend(routerModel);
  const t4 = performance.now();
  for (let i = 0; i < iterations; i++) sink += (await ts(x)).complexity;
  const t5 = performance.now();
  return Response.json({ iterations, totalMs: t1 - t0, featurizeMs: t2 - t1, modelMs: t3 - t2b, tsModelMs: t5 - t4, sink });
}

async function twoSessions(prompts: readonly string[]): Promise<Response> {
  const [a, b] = await Promise.all([createOrtSession(routerModel, ortWasm), createOrtSession(new Uint8Array(routerModel), ortWasm)]);
  const out = [];
  for (const prompt of prompts) {
    const x = featurize({ prompt });
    const [[, ca], [, cb]] = await Promise.all([runFloatOutputs(a, sparseFeeds(x), ["intent_probs", "complexity"]), runFloatOutputs(b, sparseFeeds(x), ["intent_probs", "complexity"])]);
    out.push([ca![0], cb![0]]);
  }
  return Response.json({ out });
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = (await request.json()) as Body;
    if (url.pathname === "/scores") return scores(body.prompts ?? []);
    if (url.pathname === "/two-sessions") return twoSessions(body.prompts ?? []);
    if (url.pathname === "/bench") return bench(body.prompt ?? "", body.iterations ?? 1);
    return new Response("not found", { status: 404 });
  },
};
