/**
 * Worker wiring: the shipped model as a bundle module (wrangler rule: *.onnx -> Data), run by
 * the pure-TS forward pass over the file's initializers (ts-backend.ts). One backend per
 * isolate, built on first classification. Only this file imports binary modules, so
 * everything else stays testable in plain Node.
 */
import manifest from "./model/manifest.json";
import routerModel from "./model/router.onnx";
import type { ScoreBackend, SparseScoreBackend } from "./classify";
import { featureSpecHash, RouterManifestSchema, type RouterManifest } from "./model/manifest";
import { buildRouter, type Router } from "./router";
import type { WinCurve } from "./quality-target/win-curve";
import type { RouterSettingsInput } from "./settings";
import { tsBackend, tsModel } from "./ts-backend";

export interface LoadedBackend {
  backend: ScoreBackend;
  /** The same model on featurizeSparse's entries (what createRouter classifies with). */
  sparse: SparseScoreBackend;
  manifest: RouterManifest;
  /** Resolves once the model is read and its feature spec checked (for warm-up in waitUntil). */
  ready: () => Promise<void>;
}

let shipped: LoadedBackend | null = null;

/**
 * The model's feature spec is checked against the code's once per isolate; a mismatch is
 * logged and the model still routes (features computed differently at train and serve time
 * misroute some prompts, and a router outage must not stop traffic).
 */
export function shippedBackend(): LoadedBackend {
  if (shipped) return shipped;
  const parsed = RouterManifestSchema.parse(manifest);
  let forward: ReturnType<typeof tsModel> | null = null;
  let checked: Promise<void> | null = null;
  let done = false;
  const ready = (): Promise<void> =>
    (checked ??= featureSpecHash()
      .then((spec) => {
        if (spec !== parsed.featureSpecHash) console.warn(`router model ${parsed.version}: feature spec mismatch (model ${parsed.featureSpecHash.slice(0, 8)}, code ${spec.slice(0, 8)})`);
      })
      // The check is advisory: a failure to run it must not fail every later routing call of the isolate.
      .catch((err: unknown) => console.warn(`router model ${parsed.version}: feature spec not checked (${err instanceof Error ? err.message : String(err)})`))
      .finally(() => {
        done = true;
      }));
  const backend: ScoreBackend = async (x) => {
    if (!done) await ready();
    return (forward ??= tsModel(routerModel)).dense(x);
  };
  const sparse: SparseScoreBackend = async (x) => {
    if (!done) await ready();
    return (forward ??= tsModel(routerModel)).sparse(x);
  };
  shipped = { backend, sparse, manifest: parsed, ready };
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
  return buildRouter({ backend: b.backend, sparse: b.sparse, modelVersion: b.manifest.version, ...(b.manifest.winCurve ? { winCurve: b.manifest.winCurve } : {}) }, settings);
}
