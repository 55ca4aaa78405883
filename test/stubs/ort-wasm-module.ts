/**
 * Node stand-in for `import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm"`:
 * in the Worker, wrangler's CompiledWasm rule makes that import a WebAssembly.Module; vitest
 * (Node) would otherwise hand the file to Node's experimental wasm ESM loader.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// The project's types are the Workers' (no WebAssembly.compile); Node has it.
const { compile } = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };
const path = createRequire(import.meta.url).resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm");
export default await compile(readFileSync(path));
