/**
 * Worker wiring: the shipped model + ORT wasm as bundle modules (wrangler rules: *.onnx ->
 * Data, *.wasm -> CompiledWasm). One backend per isolate, created on first classification.
 * Only this file imports binary modules, so everything else stays testable in plain Node.
 */
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import manifest from "./model/manifest.json";
import routerModel from "./model/router.onnx";
import type { ScoreBackend } from "./classify";
import { ortBackend, type LoadedBackend } from "./ort-backend";
import { buildRouter, type Router } from "./router";
import type { WinCurve } from "./quality-target/win-curve";
import type { RouterSettingsInput } from "./settings";
import { tsBackend } from "./ts-backend";

let shipped: LoadedBackend | null = null;
let tsFallback: ScoreBackend | null = null;

export function shippedBackend(): LoadedBackend {
  shipped ??= ortBackend({
    model: routerModel,
    wasm: ortWasm,
    manifest,
    // Parsed only if ORT fails: most isolates never pay for it.
    fallback: (x) => (tsFallback ??= tsBackend(routerModel))(x),
    onError: (err) => console.warn("router: ORT unavailable, using the TS forward pass", err instanceof Error ? err.message : String(err)),
  });
  return shipped;
}

let benchModel: { backend: ScoreBackend; version: string; winCurve?: WinCurve } | null = null;

/**
 * Bench builds only (bench/replay/workerd-entry.ts): route with another router file, e.g. one
 * trained without the replayed set, through the pure-TS forward pass. The deployed entry
 * (index.ts) never calls it, and nothing in a request, the settings or the environment reaches it.
 */
export function setBenchRouterModel(modelBytes: ArrayBuffer | Uint8Array, version: string, winCurve?: WinCurve): void {
  benchModel = { backend: tsBackend(modelBytes), version, ...(winCurve ? { winCurve } : {}) };
}

/** The gateway's entry point: `createRouter(settings).route(request, ctx)`. */
export function createRouter(settings: RouterSettingsInput = {}): Router {
  if (benchModel) return buildRouter({ backend: benchModel.backend, modelVersion: benchModel.version, ...(benchModel.winCurve ? { winCurve: benchModel.winCurve } : {}) }, settings);
  const b = shippedBackend();
  return buildRouter({ backend: b.backend, modelVersion: b.manifest.version, ...(b.manifest.winCurve ? { winCurve: b.manifest.winCurve } : {}) }, settings);
}
