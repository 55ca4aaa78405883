/**
 * Builds the web console (console/) into the gateway's static assets directory: the page
 * from console/public (its security headers are set by the Worker, routes/console-assets.ts), and one minified script and one stylesheet bundled by esbuild
 * (the console's TypeScript, uPlot and its CSS). Workers static assets serve them, so the
 * console adds nothing to the Worker bundle.
 */
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const ROOT = resolve(import.meta.dirname, "../..");
/** wrangler.toml [assets] directory. */
export const ASSETS_DIR = join(ROOT, ".tmp/console-assets");

/** What a first visit downloads: the page, its script and its stylesheet. */
export const FIRST_LOAD = ["console/index.html", "console/console.js", "console/console.css"] as const;

export interface AssetSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export async function bundleConsole(outDir = ASSETS_DIR): Promise<AssetSize[]> {
  // Overwritten in place, never emptied first: a stack started by another build (a second test
  // run, wrangler dev) may be serving this directory, and the files have fixed names.
  mkdirSync(join(outDir, "console"), { recursive: true });
  cpSync(join(ROOT, "console/public"), outDir, { recursive: true });
  await build({
    entryPoints: { console: join(ROOT, "console/src/main.ts") },
    outdir: join(outDir, "console"),
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    legalComments: "none",
    logLevel: "warning",
  });
  return FIRST_LOAD.map((file) => {
    const bytes = readFileSync(join(outDir, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
}
