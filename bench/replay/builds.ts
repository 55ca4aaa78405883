/**
 * Models the replay benchmarks build out of process before they start a stack, so a bench never
 * holds a model fitted on a row it scores: the cascade verifier's k fold models (each row is
 * served by the fold that left it out) and a router trained without whole dataset families
 * (leave-those-families-out: bench:replay leaves GSM8K out, bench:reference every set it replays).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../test/harness/build-workers";
import type { RouterBuild } from "./run-stack";
import type { WinCurve } from "../../workers/gateway/src/router/quality-target/win-curve";

function child(script: string, argv: string[], what: string): void {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script), ...argv], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
}

export interface VerifierFolds {
  foldsJson: string;
  version: string;
  threshold: number;
}

/** K fold verifiers (npm run cascade:train -- --folds K) and the all-rows model's version and default threshold. */
export function trainVerifierFolds(workDir: string, dataDir: string, k: number): VerifierFolds {
  mkdirSync(workDir, { recursive: true });
  const folds = join(workDir, "verifier-folds.json");
  const all = join(workDir, "verifier-all-rows.json");
  child("scripts/cascade/train-verifier.ts", ["--quiet", "--data", dataDir, "--folds", String(k), "--folds-out", folds, "--out", all], `cascade:train --folds ${k}`);
  const model = JSON.parse(readFileSync(all, "utf8")) as { version: string; threshold: number };
  return { foldsJson: readFileSync(folds, "utf8"), version: model.version, threshold: model.threshold };
}

interface Manifest {
  version: string;
  training?: { excludedFamilies?: string[] };
  winCurve?: WinCurve;
}

/** The router recipe with every row of `families` left out, calibration too (npm run router:train -- --exclude-family ...). */
export function routerWithout(workDir: string, dataDir: string, families: readonly string[]): RouterBuild {
  const name = families.join("-");
  const dir = join(workDir, `router-without-${name}`);
  mkdirSync(dir, { recursive: true });
  child("scripts/router/train.ts", ["--routing-dir", dataDir, "--exclude-family", families.join(","), "--out", dir], `router:train --exclude-family ${families.join(",")}`);
  const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  const excluded = m.training?.excludedFamilies ?? [];
  return {
    kind: "lodo",
    version: `${m.version}-no-${name}`,
    trainedOnRows: !families.every((f) => excluded.includes(f)),
    modelBase64: readFileSync(join(dir, "router.onnx")).toString("base64"),
    ...(m.winCurve ? { winCurve: m.winCurve } : {}),
  };
}
