/**
 * What a cache entry holds: the answer plus what a hit needs to be accounted (original usage
 * and cost), audited (the redacted question, entry id) and re-checked (tenant, fingerprint).
 * Parsed with zod on every read: KV content is a boundary.
 */
import { z } from "zod";
import { ChatCompletionResponseSchema, UsageSchema } from "../../../../../shared/schemas/openai-chat";

export const CacheEntrySchema = z.object({
  v: z.literal(1),
  entryId: z.string(),
  tenantId: z.string(),
  feature: z.string().nullable(),
  scopeHash: z.string(),
  fingerprint: z.string(),
  modelOrTier: z.string(),
  /** Redacted last user turn: what the guards compare and the judge reads. */
  question: z.string(),
  response: ChatCompletionResponseSchema,
  usage: UsageSchema.nullable(),
  costUsd: z.number().nonnegative(),
  embedderId: z.string().nullable(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

export async function readEntry(kv: KVNamespace, key: string, tenantId: string, now: number): Promise<CacheEntry | null> {
  const raw = await kv.get(key, "json");
  if (raw === null) return null;
  const parsed = CacheEntrySchema.safeParse(raw);
  // The key already holds the tenant; the stored tenant is checked again so a bug in key
  // building can never turn into a cross-tenant answer.
  if (!parsed.success || parsed.data.tenantId !== tenantId || parsed.data.expiresAt <= now) return null;
  return parsed.data;
}

export async function writeEntry(kv: KVNamespace, key: string, entry: CacheEntry, ttlSeconds: number): Promise<void> {
  await kv.put(key, JSON.stringify(entry), { expirationTtl: Math.max(60, ttlSeconds) });
}
