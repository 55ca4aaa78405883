/**
 * onnxruntime-web inside workerd. Workers cannot compile WebAssembly from bytes, so the ORT
 * wasm binary is imported as a compiled module by the caller (wrangler rule: *.wasm ->
 * CompiledWasm) and handed in here. ORT is given a one-byte placeholder `wasmBinary`, and the
 * byte instantiation it then attempts (`WebAssembly.instantiate(bytes, imports)`) is answered
 * with the imported module, only while a session is being created. Threads are off (no
 * SharedArrayBuffer workers in Workers). Reusable by any model (router, injection screen):
 * creations are serialized so the wrapper is never installed twice.
 */
import * as ort from "onnxruntime-web/wasm";

export type OrtSession = ort.InferenceSession;
export const OrtTensor = ort.Tensor;

let chain: Promise<unknown> = Promise.resolve();

type Instantiate = typeof WebAssembly.instantiate;

function answerWith(module: WebAssembly.Module, original: Instantiate): Instantiate {
  const patched = async (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (source instanceof WebAssembly.Module) return original(source, imports);
    const instance = await original(module, imports);
    return { instance, module };
  };
  return patched as Instantiate;
}

/** Creates an ORT session from model bytes with the given compiled ORT wasm module. */
export function createOrtSession(model: ArrayBuffer | Uint8Array, wasmModule: WebAssembly.Module): Promise<OrtSession> {
  const run = async (): Promise<OrtSession> => {
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmBinary = new Uint8Array([0]);
    const original = WebAssembly.instantiate;
    WebAssembly.instantiate = answerWith(wasmModule, original);
    try {
      const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
      return await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    } finally {
      WebAssembly.instantiate = original;
    }
  };
  const next = chain.then(run, run);
  chain = next.catch(() => undefined);
  return next;
}

/** Runs a session on `feeds` and returns the named outputs, each of which must be float32. */
export async function runFloatOutputs(session: OrtSession, feeds: Record<string, ort.Tensor>, outputs: readonly string[]): Promise<Float32Array[]> {
  const result = await session.run(feeds);
  return outputs.map((name) => {
    const t = result[name];
    if (!t || !(t.data instanceof Float32Array)) throw new Error(`onnx: output ${name} missing or not float32`);
    return t.data;
  });
}
