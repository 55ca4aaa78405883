import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * The Workers import model weights as Data modules (wrangler rule: ArrayBuffer). Node tests
 * that import the whole app (e.g. the route-policy coverage test) get the same shape here.
 */
function workerDataModules(): Plugin {
  return {
    name: "worker-data-modules",
    enforce: "pre",
    load(id) {
      const path = id.split("?")[0] ?? id;
      if (!/\.(bin|onnx)$/.test(path)) return null;
      return `import { readFileSync } from "node:fs"; const b = readFileSync(${JSON.stringify(path)}); export default b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);`;
    },
  };
}

// Unit tests run in Node (the shared and worker code is plain Web-standard TypeScript);
// integration tests start the bundled Workers inside workerd through Miniflare's API
// (test/harness/) together with the GPU simulator on loopback.
export default defineConfig({
  plugins: [workerDataModules()],
  resolve: {
    alias: {
      // CompiledWasm module in the Worker; a compiled WebAssembly.Module in Node tests too.
      "onnxruntime-web/ort-wasm-simd-threaded.wasm": fileURLToPath(new URL("./test/stubs/ort-wasm-module.ts", import.meta.url)),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", ".wrangler/**", ".tmp/**"],
    globalSetup: ["test/harness/global-setup.ts"],
    // Every test file that starts workerd: Miniflare's config serializer made quadratic copies (see the file).
    setupFiles: ["test/harness/miniflare-config-speedup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
