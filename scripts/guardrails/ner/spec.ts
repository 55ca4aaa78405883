/**
 * What the shipped entity tagger is built from, as one hash the trainer writes into
 * entity-tagger.json and a unit test recomputes (tagger/model-spec.test.ts), so a model that the
 * current code would not rebuild fails a test instead of shipping quietly.
 *
 * Why a hash of source files: the calibration is fitted on the decoder's own spans, so a change to
 * the cue windows or to where a span ends moves it while the weights stay put (775a8cd and a26c6a4
 * did exactly that, and nobody noticed). A version constant bumped by hand fails the same way a
 * retrain is forgotten; retraining inside a test takes a minute and needs the shared data. Hashing
 * the trainer and every module it imports (relative imports, followed) plus the versions of the
 * packages they import catches any such change. Comments count too: a comment-only edit asks for a
 * retrain, which is deterministic and takes about a minute, and then changes only this hash.
 * The shared data cannot be read on a clean clone, so its files and sizes are recorded beside the
 * hash and compared only where the data is present.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { TrainConfig } from "./build";

const ROOT = resolve(import.meta.dirname, "../../..");
const ENTRY = "scripts/guardrails/train-ner.ts";

/** Imported by the trainer but unable to change what it writes (argument parsing, score tables, schema checks). */
const IGNORED_FILES = new Set(["scripts/lib/cli.ts", "scripts/guardrails/ner/evaluate.ts"]);
const IGNORED_PACKAGES = new Set(["zod"]);

/** The run whose output ships: what `npm run guardrails:train-ner` does without options. */
export interface TaggerRun {
  train: TrainConfig;
  /** Generated training texts. */
  generated: number;
  /** Seed of the generator and the split shuffles. */
  splitSeed: number;
}

export const SHIPPED_RUN: TaggerRun = {
  train: { bits: 16, epochs: 6, charNgrams: true, hideGazetteer: 0.3, seed: 13, proseRule: true },
  generated: 12000,
  splitSeed: 13,
};

// `import type` is left out: it cannot change what runs.
const IMPORT = /\b(?:import|export)(\s+type)?\s[^"';]*?\bfrom\s+["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g;

function resolveImport(fromFile: string, spec: string): string | null {
  const base = resolve(dirname(join(ROOT, fromFile)), spec);
  for (const p of [base, `${base}.ts`, join(base, "index.ts")]) {
    if (/\.(ts|json)$/.test(p) && existsSync(p)) return relative(ROOT, p);
  }
  return null;
}

const packageName = (spec: string): string => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

/** Repo-relative source files reached from the trainer, and the packages they import, both sorted. */
export function specInputs(): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [ENTRY];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file) || IGNORED_FILES.has(file)) continue;
    files.add(file);
    if (!file.endsWith(".ts")) continue;
    for (const m of readFileSync(join(ROOT, file), "utf8").matchAll(IMPORT)) {
      if (m[1]) continue;
      const spec = (m[2] ?? m[3]) as string;
      if (spec.startsWith(".")) {
        const target = resolveImport(file, spec);
        if (!target) throw new Error(`${file}: cannot resolve ${spec}`);
        queue.push(target);
      } else if (!spec.startsWith("node:") && !IGNORED_PACKAGES.has(packageName(spec))) {
        packages.add(packageName(spec));
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Hash of the run settings, every source file the trainer reaches (line endings normalised) and the package versions. */
export function taggerSpecHash(run: TaggerRun): string {
  const { files, packages } = specInputs();
  const version = (pkg: string): string => (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  return sha256(
    JSON.stringify({
      run,
      files: files.map((f) => [f, sha256(readFileSync(join(ROOT, f), "utf8").replace(/\r\n/g, "\n"))]),
      packages: packages.map((p) => [p, version(p)]),
    }),
  );
}
