/**
 * The cache-audit rubric: a semantic hit reuses the answer written for question A (the cached
 * question) for question B (the new one). The judge scores whether that answer is a correct and
 * complete answer to B, 1-5, as {score, reason} via response_format json_schema like the other
 * rubrics. The event's cache audit payload is validated with zod here, at the boundary: the
 * gateway's `decisions` are free-form JSON on the queue.
 */
import { z } from "zod";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { JudgeMessage } from "../judge/judge-client";
import { SCORE_SCHEMA } from "../judge/rubrics";

/** Same shape as the gateway's CacheAuditPayload (workers/gateway/src/cache/audit-payload.ts). */
export const CacheAuditSchema = z.object({
  /** "hit": a served hit; "shadow": a refused near-miss, its cached answer judged for the question asked. */
  kind: z.enum(["hit", "shadow"]).default("hit"),
  entryId: z.string().min(1).max(256),
  similarity: z.number().min(-1).max(1),
  cachedQuestion: z.string(),
  question: z.string(),
  cachedModelOrTier: z.string().max(256).default(""),
  cachedAt: z.number().int().optional(),
  /** Calibration namespace scorer and band key; absent from older gateways (then not counted). */
  scorer: z.string().max(256).default(""),
  band: z.number().int().min(0).max(1000).optional(),
  cachedAnswer: z.string().optional(),
});
export type CacheAudit = z.infer<typeof CacheAuditSchema>;

/**
 * The audit payload of a sampled semantic hit (`decisions.cache.audit`) or of a sampled shadow
 * check on a miss (`decisions.cache.shadow`, which must carry the cached answer), or null.
 */
export function cacheAuditOf(event: UsageEvent): CacheAudit | null {
  const cache = event.decisions["cache"];
  if (typeof cache !== "object" || cache === null) return null;
  if (event.cache === "hit-semantic" && "audit" in cache) {
    const parsed = CacheAuditSchema.safeParse(cache.audit);
    return parsed.success ? { ...parsed.data, kind: "hit" } : null;
  }
  if (event.cache === "miss" && "shadow" in cache) {
    const parsed = CacheAuditSchema.safeParse(cache.shadow);
    return parsed.success && parsed.data.cachedAnswer !== undefined ? { ...parsed.data, kind: "shadow" } : null;
  }
  return null;
}

export const CACHE_AUDIT_RUBRIC = "cache_fit";

const SYSTEM =
  "You audit a response cache. An answer written for question A is being reused for question B, a similar but possibly different question. Text such as <PERSON_1> or <EMAIL_ADDRESS_1> is a redaction placeholder, not an error. Reply only with JSON: {\"score\": 1-5, \"reason\": \"...\"}.";

const SCALE =
  "Is ANSWER X a correct and complete answer to QUESTION B? Score 5 = correct and complete for B; 4 = correct for B, minor omissions; 3 = partly answers B; 2 = answers A but misses what B asks; 1 = wrong or misleading for B (for example B asks about a different entity, number, date, place or the opposite action). Judge X only against B: answering A well earns nothing.";

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…[clipped]` : text);

/** Everything before the last user turn: the system prompt and earlier turns both questions share. */
function sharedContext(content: NonNullable<UsageEvent["content"]>): string {
  const lastUser = content.messages.map((m) => m.role).lastIndexOf("user");
  const before = lastUser >= 0 ? content.messages.slice(0, lastUser) : [];
  return before.map((m) => `[${m.role}]\n${clip(m.content, 2_000)}`).join("\n\n");
}

/**
 * A served hit: ANSWER X is the answer the client got. A shadow check: ANSWER X is the cached
 * answer the cache would have served, and the fresh answer the model wrote for B is shown as a
 * reference (it may itself be imperfect; X is judged against B, not matched to it).
 */
export function cacheAuditMessages(audit: CacheAudit, content: NonNullable<UsageEvent["content"]>): JudgeMessage[] {
  const context = sharedContext(content);
  const contextBlock = context ? `\n\nCONTEXT SHARED BY BOTH QUESTIONS:\n${clip(context, 6_000)}` : "";
  const shadow = audit.kind === "shadow" && audit.cachedAnswer !== undefined;
  const answer = shadow ? (audit.cachedAnswer ?? "") : content.response;
  const reference = shadow ? `\n\nREFERENCE (an answer written for B just now; for comparison only):\n${clip(content.response, 6_000)}` : "";
  return [
    { role: "system", content: SYSTEM },
    {
      role: "user",
      content: `${SCALE}${contextBlock}\n\nQUESTION A (the answer was written for this):\n${clip(audit.cachedQuestion, 4_000)}\n\nQUESTION B (asked now):\n${clip(audit.question, 4_000)}\n\nANSWER X:\n${clip(answer, 12_000)}${reference}`,
    },
  ];
}

export const CACHE_AUDIT_RESPONSE_FORMAT = {
  type: "json_schema",
  json_schema: { name: `${CACHE_AUDIT_RUBRIC}_score`, strict: true, schema: SCORE_SCHEMA },
} as const;
