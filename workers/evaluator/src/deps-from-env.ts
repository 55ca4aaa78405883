/** Builds the consumer's dependencies from the Worker environment (vars parsed with zod). */
import { warnConfigOnce } from "./config-warning";
import { parseCacheAuditConfig } from "./cache-audit/audit-cache-hit";
import { intVar, secretByName, type EvaluatorEnv } from "./env";
import { parseJudges, parseSampling } from "./judge/config";
import { parseJudgePolicy } from "./judge/policy";
import type { ConsumerDeps } from "./process-event";
import type { ArchiveWriter } from "./archive/archive-job";
import { sealerFromEnv } from "./trace/content-cipher";
import { parseTraceSampling } from "./trace/trace-sampling";
import { parseEvaluationSampling } from "./judge/evaluation-sampling";
import { parseRollupDedup } from "./ledger/pack-rollups";
import { parseLedgerSampling } from "./ledger/ledger-sampling";

const bucketOf = (b: unknown): ArchiveWriter | undefined => (typeof b === "object" && b !== null && typeof (b as { put?: unknown }).put === "function" ? (b as ArchiveWriter) : undefined);

/** ROLLUP_DEDUP and LEDGER_SAMPLING, which needs it set to "message" (ledger/ledger-sampling.ts). */
export function ledgerSamplingFromEnv(env: EvaluatorEnv): Pick<ConsumerDeps, "rollupDedup" | "ledgerSampling" | "ledgerArchive"> {
  const rollupDedup = parseRollupDedup(env.ROLLUP_DEDUP);
  const ledgerSampling = parseLedgerSampling(env.LEDGER_SAMPLING, rollupDedup);
  const archive = bucketOf(env["ARCHIVE"]);
  if (ledgerSampling && !archive) warnConfigOnce("LEDGER_SAMPLING ignored: no ARCHIVE bucket to write the sampled-out rows to; every ledger row stays in D1");
  return { rollupDedup, ...(ledgerSampling && archive ? { ledgerSampling, ledgerArchive: archive } : {}) };
}

export async function depsFromEnv(env: EvaluatorEnv): Promise<ConsumerDeps> {
  return {
    db: env.DB,
    dlq: env.USAGE_DLQ,
    judges: parseJudges(env.JUDGES, env),
    sampling: parseSampling(env.JUDGE_SAMPLING),
    judgeDrafts: env.JUDGE_DRAFTS === "true",
    policy: parseJudgePolicy(env.JUDGE_POLICY),
    ...(env.AI ? { ai: env.AI } : {}),
    ...(env.JUDGE_ESCALATIONS ? { escalations: env.JUDGE_ESCALATIONS } : {}),
    seal: await sealerFromEnv(env),
    fetch: (input, init) => fetch(input, init),
    credential: (name) => secretByName(env, name),
    concurrency: intVar(env.MAX_CONCURRENCY, 8, 1, 64),
    counterfactualModel: env.COUNTERFACTUAL_MODEL,
    maxJudgeAttempts: intVar(env.MAX_JUDGE_ATTEMPTS, 3, 1, 20),
    cacheAudit: parseCacheAuditConfig(env.CACHE_AUDIT_SAMPLING, env.CACHE_AUDIT_PASS_SCORE),
    traceSampling: parseTraceSampling(env.TRACE_SAMPLING),
    ...(bucketOf(env["ARCHIVE"]) ? { traceArchive: bucketOf(env["ARCHIVE"]) } : {}),
    evaluationSampling: parseEvaluationSampling(env.EVALUATION_SAMPLING),
    ...(bucketOf(env["ARCHIVE"]) ? { evaluationArchive: bucketOf(env["ARCHIVE"]) } : {}),
    ...ledgerSamplingFromEnv(env),
    now: () => Date.now(),
  };
}
