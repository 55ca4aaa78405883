/**
 * bench:replay's Worker: the gateway exactly as deployed, except that the cascade verifier
 * scores each prompt with the fold model that was trained without it (k-fold by row), so the
 * replayed GSM8K rows are never scored in-sample. The fold models arrive in the bench-only
 * variable BENCH_VERIFIER_FOLDS, which only this entry reads: the deployed gateway's entry
 * (workers/gateway/src/index.ts) never installs a verifier source, whatever its environment says.
 * With BENCH_ROUTER_MODEL (base64 .onnx), BENCH_ROUTER_VERSION and BENCH_ROUTER_WIN_CURVE (its
 * manifest's win curve, JSON), the router is that file instead of the shipped one (bench:replay's
 * leave-GSM8K-out build).
 * Bench-only: this file is never part of the deployed gateway.
 */
import { env } from "cloudflare:workers";
import { z } from "zod";
import { parseVerifierModel, setVerifierSource } from "../../workers/gateway/src/router/cascade/verifier-model";
import { WinCurveSchema } from "../../workers/gateway/src/router/quality-target/win-curve";
import { setBenchRouterModel } from "../../workers/gateway/src/router/worker-router";
import { verifierFold } from "../../scripts/cascade/lib/verifier-folds";
import gateway from "../../workers/gateway/src/index";
export * from "../../workers/gateway/src/index";

const FoldsSchema = z.object({ k: z.number().int().min(2), models: z.array(z.unknown()) });

const raw = (env as unknown as { BENCH_VERIFIER_FOLDS?: string }).BENCH_VERIFIER_FOLDS;
if (!raw) throw new Error("bench:replay's Worker needs BENCH_VERIFIER_FOLDS (the k fold verifier models)");
const folds = FoldsSchema.parse(JSON.parse(raw));
const models = folds.models.map(parseVerifierModel);
if (models.length !== folds.k) throw new Error(`expected ${folds.k} fold models, got ${models.length}`);
setVerifierSource((prompt) => models[verifierFold(prompt, folds.k)]!);

const bench = env as unknown as { BENCH_ROUTER_MODEL?: string; BENCH_ROUTER_VERSION?: string; BENCH_ROUTER_WIN_CURVE?: string };
if (bench.BENCH_ROUTER_MODEL) {
  const bytes = Uint8Array.from(atob(bench.BENCH_ROUTER_MODEL), (ch) => ch.charCodeAt(0));
  const winCurve = bench.BENCH_ROUTER_WIN_CURVE ? WinCurveSchema.parse(JSON.parse(bench.BENCH_ROUTER_WIN_CURVE)) : undefined;
  setBenchRouterModel(bytes, bench.BENCH_ROUTER_VERSION ?? "bench-router", winCurve);
}

export default gateway;
