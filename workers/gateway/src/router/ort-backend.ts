/**
 * ScoreBackend on onnxruntime-web. The session is created lazily on first use and cached per
 * isolate (creation ~340 ms, a run well under a millisecond). If creation fails, requests are
 * answered by the `fallback` backend (the pure-TS forward pass over the same file) and ORT is
 * retried after `retryAfterMs`, so a broken runtime degrades speed, never routing.
 */
import { createOrtSession, OrtTensor, runFloatOutputs, type OrtSession } from "../onnx/ort-session";
import type { ScoreBackend } from "./classify";
import { featureSpecHash, ROUTER_MODEL_IO, RouterManifestSchema, type RouterManifest } from "./model/manifest";

export interface OrtBackendOptions {
  model: ArrayBuffer | Uint8Array;
  wasm: WebAssembly.Module;
  manifest: unknown;
  fallback?: ScoreBackend;
  retryAfterMs?: number;
  onError?: (err: unknown) => void;
}

export interface LoadedBackend {
  backend: ScoreBackend;
  manifest: RouterManifest;
  /** Resolves once the session exists (for warm-up in waitUntil); rejects if ORT cannot start. */
  ready: () => Promise<void>;
}

export function ortBackend(opts: OrtBackendOptions): LoadedBackend {
  const manifest = RouterManifestSchema.parse(opts.manifest);
  let session: Promise<OrtSession> | null = null;
  let failedAt = -Infinity;
  const get = (): Promise<OrtSession> => {
    session ??= (async () => {
      const spec = await featureSpecHash();
      if (spec !== manifest.featureSpecHash) throw new Error(`router model ${manifest.version}: feature spec mismatch (model ${manifest.featureSpecHash.slice(0, 8)}, code ${spec.slice(0, 8)})`);
      return createOrtSession(opts.model, opts.wasm);
    })().catch((err: unknown) => {
      session = null;
      failedAt = Date.now();
      throw err;
    });
    return session;
  };
  const viaOrt: ScoreBackend = async (features) => {
    const [probs, complexity] = await runFloatOutputs(await get(), sparseFeeds(features), [ROUTER_MODEL_IO.intentProbs, ROUTER_MODEL_IO.complexity]);
    return { intentProbs: probs!, complexity: complexity![0]! };
  };
  const fallback = opts.fallback;
  const backend: ScoreBackend = !fallback
    ? viaOrt
    : async (features) => {
        if (!session && Date.now() - failedAt < (opts.retryAfterMs ?? 30_000)) return fallback(features);
        try {
          return await viaOrt(features);
        } catch (err) {
          opts.onError?.(err);
          return fallback(features);
        }
      };
  return { backend, manifest, ready: async () => void (await get()) };
}

/**
 * The model's input: only the non-zero features of the dense vector (a few dozen of ~4,000),
 * so its first layer gathers those rows of W1 instead of multiplying all of them. An all-zero
 * vector is sent as one zero-valued feature (the graph needs K >= 1; the result is the same).
 */
export function sparseFeeds(features: Float32Array): Record<string, InstanceType<typeof OrtTensor>> {
  let k = 0;
  for (let i = 0; i < features.length; i++) if (features[i] !== 0) k++;
  const n = Math.max(k, 1);
  const index = new Int32Array(n);
  const value = new Float32Array(n);
  for (let i = 0, j = 0; i < features.length; i++) {
    const x = features[i] ?? 0;
    if (x === 0) continue;
    index[j] = i;
    value[j++] = x;
  }
  return { [ROUTER_MODEL_IO.index]: new OrtTensor("int32", index, [n]), [ROUTER_MODEL_IO.value]: new OrtTensor("float32", value, [1, n]) };
}
