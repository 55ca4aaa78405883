/**
 * The evaluator's environment: bindings from the generated worker-configuration.d.ts, vars as
 * plain strings (parsed with zod where they are used) and secrets looked up by name (judge
 * credentials, webhook HMAC keys, content encryption keys), never stored in D1 or [vars].
 */
import type { AiBinding } from "./judge/judge-client";

type GeneratedBindings = Pick<Cloudflare.Env, "DB"> & Partial<Pick<Cloudflare.Env, "USAGE_DLQ" | "KEYS_KV" | "JUDGE_ESCALATIONS">>;

/** Bindings typed by the generated file; vars widened to string (tests and envs override them). */
export interface EvaluatorEnv extends GeneratedBindings {
  /** Workers AI (production only: it has no local mode); judges of kind "workers-ai" use it. */
  AI?: AiBinding;
  JUDGES?: string;
  JUDGE_SAMPLING?: string;
  /** "true": escalated cascade drafts are judged too, for the fine-tuning export (process-event.ts). */
  JUDGE_DRAFTS?: string;
  JUDGE_POLICY?: string;
  MAX_CONCURRENCY?: string;
  DRIFT_PSI_THRESHOLD?: string;
  COUNTERFACTUAL_MODEL?: string;
  CACHE_AUDIT_SAMPLING?: string;
  CACHE_AUDIT_PASS_SCORE?: string;
  /** Share of requests whose trace row stays in D1 (trace/trace-sampling.ts); the rest go to ARCHIVE. */
  TRACE_SAMPLING?: string;
  /** Share of evaluation rows kept in D1 (judge/evaluation-sampling.ts); the rest go to ARCHIVE. */
  EVALUATION_SAMPLING?: string;
  /** "ledger" (default) or "message": how the usage rollups are deduplicated (ledger/pack-rollups.ts). */
  ROLLUP_DEDUP?: string;
  /** Share of client ledger rows kept in D1 (ledger/ledger-sampling.ts; needs ROLLUP_DEDUP=message); the rest go to ARCHIVE. */
  LEDGER_SAMPLING?: string;
  CONTENT_ENCRYPTION_KEYS?: string;
  CONTENT_ENCRYPTION_ACTIVE_KID?: string;
  [name: string]: unknown;
}

/** A secret by the name a config row gives (e.g. ALERT_WEBHOOK_SECRET); undefined if unset. */
export function secretByName(env: Record<string, unknown>, name: string): string | undefined {
  const value = env[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

export function intVar(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === "string" ? Number.parseInt(value, 10) : Number.NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
