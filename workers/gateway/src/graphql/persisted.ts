/**
 * Automatic persisted queries (Apollo's APQ protocol, the form Apollo, urql and graphql-request
 * clients speak): a client sends `extensions.persistedQuery = {version: 1, sha256Hash}` alone,
 * typically as a GET, and the server answers PERSISTED_QUERY_NOT_FOUND until the client has
 * sent the text once with its hash. Registered texts are kept per tenant (a tenant's documents
 * are its own business) in CACHE_KV for 30 days and in an isolate map, and only after they
 * parsed and validated: the store never holds a query this API would refuse.
 */
import { z } from "zod";

const TTL_SECONDS = 30 * 86_400;
const MAX_IN_ISOLATE = 500;
export const MAX_QUERY_CHARS = 20_000;

export const PersistedQuerySchema = z.object({ version: z.literal(1), sha256Hash: z.string().regex(/^[0-9a-f]{64}$/, "a lowercase hex SHA-256") });

const inIsolate = new Map<string, string>();

const storeKey = (tenantId: string, hash: string) => `gql:apq:${tenantId}:${hash}`;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function lookupPersisted(kv: KVNamespace | undefined, tenantId: string, hash: string): Promise<string | null> {
  const key = storeKey(tenantId, hash);
  const hit = inIsolate.get(key);
  if (hit !== undefined) return hit;
  const stored = kv ? await kv.get(key) : null;
  // The stored text is trusted only if it still hashes to its key.
  if (stored === null || stored.length > MAX_QUERY_CHARS || (await sha256Hex(stored)) !== hash) return null;
  remember(key, stored);
  return stored;
}

export async function registerPersisted(kv: KVNamespace | undefined, tenantId: string, hash: string, query: string): Promise<void> {
  const key = storeKey(tenantId, hash);
  if (inIsolate.has(key)) return;
  remember(key, query);
  if (kv) await kv.put(key, query, { expirationTtl: TTL_SECONDS });
}

function remember(key: string, query: string): void {
  if (inIsolate.size >= MAX_IN_ISOLATE) inIsolate.delete(inIsolate.keys().next().value as string);
  inIsolate.set(key, query);
}
