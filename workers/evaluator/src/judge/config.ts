/**
 * Judge panel configuration from vars: JUDGES (the panel) and JUDGE_SAMPLING (coverage).
 * Both are validated with zod when a batch starts; a bad var fails loudly rather than
 * silently judging nothing.
 *
 * A judge is reached over one of two transports (judge-client.ts): any OpenAI-compatible
 * endpoint (`baseUrl`, e.g. the self-hosted small tier or a frontier API), or the Workers AI
 * binding (`kind: "workers-ai"`, no credential: the binding is the account). Workers AI only
 * runs remotely, so local configs use the simulator's small model over the same interface.
 * `tier` orders the panel: every judged answer goes to the cheap judges; the strong ones
 * only see what the escalation policy (policy.ts) sends them.
 */
import { z } from "zod";
import { unitDraw } from "../../../../shared/hash/unit-draw";

const JudgeBaseSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  model: z.string().min(1),
  /** Name of the secret holding the bearer token; omitted for local endpoints and Workers AI. */
  credential: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  weight: z.number().positive().default(1),
  /** Bumped when the model or prompts change, so calibrations and evaluations stay comparable. */
  version: z.string().min(1).default("1"),
  timeoutMs: z.number().int().positive().max(120_000).default(30_000),
  tier: z.enum(["cheap", "strong"]).default("cheap"),
  /** Answers of one tenant a cheap judge triages per call (rubrics.ts); strong judges take one. */
  batch: z.number().int().min(1).max(16).default(1),
});

/** Entries without `kind` are OpenAI-compatible (the shape JUDGES had before Workers AI). */
const withKind = (value: unknown): unknown => (value && typeof value === "object" && !("kind" in value) ? { ...value, kind: "openai-compatible" } : value);

export const JudgeSchema = z.preprocess(
  withKind,
  z.discriminatedUnion("kind", [
    JudgeBaseSchema.extend({
      kind: z.literal("openai-compatible"),
      /** Any OpenAI-compatible base URL, up to /v1. */
      baseUrl: z.url(),
    }),
    JudgeBaseSchema.extend({ kind: z.literal("workers-ai") }),
  ]),
);
export type Judge = z.infer<typeof JudgeSchema>;
export type JudgeTier = Judge["tier"];

export const JudgesSchema = z
  .array(JudgeSchema)
  .max(8)
  .refine((js) => new Set(js.map((j) => j.name)).size === js.length, { message: "judge names must be unique" });

export const SamplingSchema = z.object({
  /** Fraction of requests judged when no rule matches, 0..1 (1 = every answer). */
  default: z.number().min(0).max(1).default(0),
  /** First match wins; a rule with only tenantId covers all its features. */
  rules: z
    .array(z.object({ tenantId: z.string().optional(), feature: z.string().optional(), rate: z.number().min(0).max(1) }))
    .default([]),
});
export type Sampling = z.infer<typeof SamplingSchema>;

const PLACEHOLDER = /\{env:([A-Z][A-Z0-9_]*)\}/g;

/**
 * `{env:NAME}` in a judge's string fields is replaced by the Worker variable NAME (as in
 * config/models.*.json), so the local panel follows SIMULATOR_URL instead of a fixed port.
 * An unset variable is an error naming it, not a judge that quietly calls nowhere.
 */
function resolvePlaceholders(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const v = vars[name];
      if (typeof v !== "string" || v === "") throw new Error(`JUDGES uses {env:${name}} but the variable ${name} is not set`);
      return v.replace(/\/$/, "");
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, vars));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, vars)]));
  return value;
}

export function parseJudges(raw: string | undefined, vars: Record<string, unknown> = {}): Judge[] {
  return raw ? JudgesSchema.parse(resolvePlaceholders(JSON.parse(raw), vars)) : [];
}

export function parseSampling(raw: string | undefined): Sampling {
  return SamplingSchema.parse(raw ? JSON.parse(raw) : {});
}

export function samplingRate(s: Sampling, tenantId: string, feature: string | null): number {
  const rule = s.rules.find(
    (r) => (r.tenantId === undefined || r.tenantId === tenantId) && (r.feature === undefined || r.feature === feature),
  );
  return rule ? rule.rate : s.default;
}

/** Deterministic by request id: a redelivered event gets the same decision. */
export function isSampled(s: Sampling, requestId: string, tenantId: string, feature: string | null): boolean {
  const rate = samplingRate(s, tenantId, feature);
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return unitDraw(requestId) < rate;
}

/** Identifies the panel (judges + versions + weights) an evaluation was made with. */
export function panelVersion(judges: readonly Judge[]): string {
  return judges.map((j) => `${j.name}:${j.model}@${j.version}x${j.weight}`).join(",");
}

export const judgesOfTier = (judges: readonly Judge[], tier: JudgeTier): Judge[] => judges.filter((j) => j.tier === tier);
