/**
 * ScoreBackend on onnxruntime-web. The session is created lazily on first use and cached per
 * isolate (creation ~340 ms, a run well under a millisecond). If creation fails, requests are
 * answered by the `fallback` backend (the pure-TS forward pass over the same file) and ORT is
 * retried after `retryAfterMs`, so a broken runtime degrades speed, never routing.
 */
import { createOrtSession, runFloat, type OrtSession } from "../onnx/ort-session";
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
    const [probs, complexity] = await runFloat(await get(), ROUTER_MODEL_IO.input, features, [ROUTER_MODEL_IO.intentProbs, ROUTER_MODEL_IO.complexity]);
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
