/**
 * Purge by generation: every key and namespace embeds the current generation of its tenant and
 * feature, so a purge is one KV write that makes every older entry unreachable at once (KV
 * has no delete-by-prefix and Vectorize no delete-by-filter); old entries then expire by TTL.
 * KV is eventually consistent: other locations may serve old entries for up to ~60 s.
 */
const PREFIX = "cache-gen:v1:";

function keysFor(tenantId: string, feature: string | null): [string, string] {
  const tenant = `${PREFIX}${encodeURIComponent(tenantId)}`;
  return [tenant, `${tenant}:${encodeURIComponent(feature ?? "_")}`];
}

export async function readGeneration(kv: KVNamespace, tenantId: string, feature: string | null): Promise<string> {
  const [tk, fk] = keysFor(tenantId, feature);
  const [t, f] = await Promise.all([kv.get(tk), kv.get(fk)]);
  return `${t ?? "0"}.${f ?? "0"}`;
}

/** Without a feature the tenant generation moves, invalidating all of the tenant's features. */
export async function bumpGeneration(kv: KVNamespace, tenantId: string, feature: string | null, now = Date.now()): Promise<void> {
  const [tk, fk] = keysFor(tenantId, feature);
  // A fresh time-based value (not a counter) needs no read-modify-write.
  const value = `${now.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  await kv.put(feature === null ? tk : fk, value);
}
