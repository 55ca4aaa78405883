/**
 * Keys of the two caches, all derived from the redacted request:
 * - scope: tenant (always) + key / end user / feature as the policy asks;
 * - exact key: SHA-256 of everything that can change the answer, within the scope;
 * - fingerprint: the request minus the last user turn (system prompt, earlier turns, tools,
 *   response_format, model-or-tier, sampling parameters with temperature bucketed), so a
 *   semantic neighbour only counts when the rest of the conversation is identical;
 * - namespace: scope + fingerprint (+ purge generation), the vector-store partition.
 * The tenant id sits in clear at the front of every key and namespace: cross-tenant reuse would
 * need a SHA-256 collision, and purge/listing by tenant is a prefix operation.
 */
import type { ChatCompletionRequest, ChatMessage } from "../../../../../shared/schemas/openai-chat";
import type { CachePolicy } from "../settings";
import { sha256Hex } from "../../../../../shared/crypto/sha256";
import { canonicalJson } from "../../../../../shared/canonical-json";

/** Key text: canonical JSON without null members (OpenAI treats an explicit null like an absent field). */
const keyJson = (value: unknown): string => canonicalJson(value, { dropNull: true });

export interface CacheScope {
  tenantId: string;
  keyId: string;
  endUser: string | null;
  feature: string | null;
}

export interface CacheKeys {
  /** KV key of the exact entry (also the entry a vector points at). */
  exactKey: string;
  fingerprint: string;
  namespace: string;
  /** Hash of the scope parts beyond the tenant, for entries and diagnostics. */
  scopeHash: string;
}

/** Transport and bookkeeping fields: they never change the answer's content. */
const NOT_ANSWER_AFFECTING = new Set(["model", "messages", "stream", "stream_options", "user", "metadata", "store", "service_tier"]);
/**
 * Bumped when answers cached under earlier keys must no longer be served. v2: hash tokens keyed
 * by PII_HASH_KEY (7b9388d); v1 entries hold tokens keyed by the public tenant id, which can be
 * brute-forced, and must not be replayed. Entries and vector namespaces of v1 are then never read and age out.
 */
const KEY_VERSION = "v2";

export function answerParameters(request: ChatCompletionRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) if (!NOT_ANSWER_AFFECTING.has(k)) params[k] = v;
  // Two spellings of one limit (max_completion_tokens superseded max_tokens).
  params.max_tokens = request.max_completion_tokens ?? request.max_tokens;
  delete params.max_completion_tokens;
  return params;
}

/** 0 | (0,0.5] | (0.5,1] | >1: close temperatures sample from similar distributions. */
export function temperatureBucket(t: number | null | undefined): string {
  const v = t ?? 1;
  return v === 0 ? "t0" : v <= 0.5 ? "t1" : v <= 1 ? "t2" : "t3";
}

export function normalizeMessages(messages: readonly ChatMessage[]): unknown[] {
  // Surrounding whitespace is noise from templating; inner text is kept verbatim.
  return messages.map((m) => ({ ...m, content: typeof m.content === "string" ? m.content.trim() : m.content }));
}

/**
 * Everything in the last turn except its text: images, audio and files, the speaker's name.
 * The semantic match compares only the question's text, so without this two users asking
 * "What is in this picture?" about different pictures would share an answer.
 */
function lastTurnBesidesText(messages: readonly ChatMessage[]): unknown {
  const last = messages.at(-1);
  if (!last) return null;
  const { content, ...rest } = last;
  const parts = Array.isArray(content) ? content.filter((p) => p.type !== "text") : [];
  return { ...rest, parts };
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

export async function computeCacheKeys(
  request: ChatCompletionRequest,
  modelOrTier: string,
  scope: CacheScope,
  policy: CachePolicy,
  generation: string,
): Promise<CacheKeys> {
  const scopeParts = {
    tenant: scope.tenantId,
    key: policy.scopeBy.key ? scope.keyId : null,
    endUser: policy.scopeBy.endUser ? scope.endUser : null,
    feature: policy.scopeBy.feature ? scope.feature : null,
  };
  const scopeHash = (await sha256Hex(keyJson(scopeParts))).slice(0, 32);
  const params = answerParameters(request);
  const messages = normalizeMessages(request.messages);
  const exactHash = await sha256Hex(keyJson({ v: KEY_VERSION, scope: scopeParts, modelOrTier, messages, params }));
  const { temperature, ...otherParams } = params;
  const fingerprint = await sha256Hex(
    keyJson({ v: KEY_VERSION, modelOrTier, context: messages.slice(0, -1), last: lastTurnBesidesText(request.messages), params: otherParams, t: temperatureBucket(temperature as number | null) }),
  );
  const tenant = segment(scope.tenantId);
  const feature = segment(scope.feature ?? "_");
  return {
    exactKey: `cache:${KEY_VERSION}:${tenant}:${feature}:${generation}:${exactHash}`,
    fingerprint,
    namespace: `${tenant}/${scopeHash}/${generation}/${fingerprint.slice(0, 32)}`,
    scopeHash,
  };
}
