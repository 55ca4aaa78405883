/**
 * Judge panel configuration from vars: JUDGES (the panel) and JUDGE_SAMPLING (coverage).
 * Both are validated with zod when a batch starts; a bad var fails loudly rather than
 * silently judging nothing.
 */
import { z } from "zod";

export const JudgeSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  /** Any OpenAI-compatible base URL, up to /v1. */
  baseUrl: z.url(),
  model: z.string().min(1),
  /** Name of the secret holding the bearer token; omitted for local endpoints. */
  credential: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  weight: z.number().positive().default(1),
  /** Bumped when the model or prompts change, so calibrations and evaluations stay comparable. */
  version: z.string().min(1).default("1"),
  timeoutMs: z.number().int().positive().max(120_000).default(30_000),
});
export type Judge = z.infer<typeof JudgeSchema>;

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

export function parseJudges(raw: string | undefined): Judge[] {
  return raw ? JudgesSchema.parse(JSON.parse(raw)) : [];
}

export function parseSampling(raw: string | undefined): Sampling {
  return SamplingSchema.parse(raw ? JSON.parse(raw) : {});
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
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
  return fnv1a(requestId) / 0x1_0000_0000 < rate;
}

/** Identifies the panel (judges + versions + weights) an evaluation was made with. */
export function panelVersion(judges: readonly Judge[]): string {
  return judges.map((j) => `${j.name}:${j.model}@${j.version}x${j.weight}`).join(",");
}
