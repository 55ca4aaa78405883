/**
 * Purge by generation: every key and namespace embeds the current generation of its tenant and
 * feature, so a purge is one KV write that makes every older entry unreachable at once (KV
 * has no delete-by-prefix and Vectorize no delete-by-filter); old entries then expire by TTL.
 * KV is eventually consistent: other locations may serve old entries for up to ~60 s.
 */
import { TtlCache } from "../../../../shared/ttl-cache";

const PREFIX = "cache-gen:v1:";

function keysFor(tenantId: string, feature: string | null): [string, string] {
  const tenant = `${PREFIX}${encodeURIComponent(tenantId)}`;
  return [tenant, `${tenant}:${encodeURIComponent(feature ?? "_")}`];
}

/**
 * Generations are read on every lookup, so each isolate remembers them briefly: a purge made
 * elsewhere takes effect here within GENERATION_TTL_MS (KV itself may lag ~60 s), and at once
 * in the isolate that purged.
 */
export const GENERATION_TTL_MS = 5_000;
// Keyed by tenant and feature (any X-Feature a caller sends): bounded.
const memo = new TtlCache<string>({ ttlMs: GENERATION_TTL_MS, maxEntries: 10_000 });

export async function readGeneration(kv: KVNamespace, tenantId: string, feature: string | null, now = Date.now()): Promise<string> {
  const [tk, fk] = keysFor(tenantId, feature);
  return memo.get(fk, now, async () => {
    const [t, f] = await Promise.all([kv.get(tk), kv.get(fk)]);
    return `${t ?? "0"}.${f ?? "0"}`;
  });
}

/** Without a feature the tenant generation moves, invalidating all of the tenant's features. */
export async function bumpGeneration(kv: KVNamespace, tenantId: string, feature: string | null, now = Date.now()): Promise<void> {
  const [tk, fk] = keysFor(tenantId, feature);
  // A fresh time-based value (not a counter) needs no read-modify-write.
  const value = `${now.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  await kv.put(feature === null ? tk : fk, value);
  // Forget what this isolate remembered for the tenant (all features when the tenant moved).
  memo.deleteWhere((key) => key === fk || (feature === null && key.startsWith(`${tk}:`)));
}
