/**
 * Test/bench helper: bundles a Worker entry with esbuild the way wrangler does (workerd
 * conditions, .wasm and .onnx left as modules) into a temp dir, copies the binary modules next
 * to it, and starts it in workerd through Miniflare's API with wrangler's module rules.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { Miniflare } from "miniflare";

const require = createRequire(import.meta.url);

function binaryModules(outdir: string, copied: string[]): Plugin {
  return {
    name: "binary-modules",
    setup(b) {
      b.onResolve({ filter: /\.(wasm|onnx|bin)$/ }, (args) => {
        const real = args.path.startsWith(".") ? resolve(args.resolveDir, args.path) : require.resolve(args.path);
        const name = basename(real);
        if (!copied.includes(join(outdir, name))) {
          copyFileSync(real, join(outdir, name));
          copied.push(join(outdir, name));
        }
        return { path: `./${name}`, external: true };
      });
    },
  };
}

export interface BundledWorker {
  mf: Miniflare;
  dir: string;
  /** Bytes of the JS bundle plus every binary module it imports. */
  files: string[];
  dispose(): Promise<void>;
}

export async function bundleAndStart(entry: string): Promise<BundledWorker> {
  const dir = mkdtempSync(join(tmpdir(), "router-worker-"));
  const files: string[] = [];
  await build({
    entryPoints: [entry],
    outfile: join(dir, "worker.mjs"),
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    minify: true,
    logLevel: "error",
    plugins: [binaryModules(dir, files)],
  });
  files.unshift(join(dir, "worker.mjs"));
  // Modules listed explicitly: ORT's bundle contains dynamic import() with computed
  // specifiers that Miniflare's module walker rejects (ERR_MODULE_DYNAMIC_SPEC).
  const modules = files.map((f) => ({
    type: f.endsWith(".mjs") ? ("ESModule" as const) : f.endsWith(".wasm") ? ("CompiledWasm" as const) : ("Data" as const),
    path: f,
    contents: readFileSync(f),
  }));
  const mf = new Miniflare({ modules, modulesRoot: dir, compatibilityDate: "2026-04-01" });
  await mf.ready;
  return { mf, dir, files, dispose: async () => (await mf.dispose(), rmSync(dir, { recursive: true, force: true })) };
}

export const totalBytes = (files: readonly string[]): number => files.reduce((n, f) => n + statSync(f).size, 0);
