/**
 * VectorStore over Cloudflare Vectorize (production). Vectorize namespaces and ids are limited
 * to 64 bytes, so both are SHA-256 hex of ours. Scope is enforced three times: the hashed
 * namespace (tenant + scope + fingerprint + generation), a metadata filter on tenantId and
 * fingerprint (needs metadata indexes, see docs/semantic-cache.md), and a re-check of the
 * returned metadata. Vectorize has no delete-by-filter: purge is the generation bump done by
 * the response cache, and stale vectors are simply never addressed again.
 * https://developers.cloudflare.com/vectorize/reference/metadata-filtering/
 */
import { z } from "zod";
import { sha256Hex } from "../../../../../../shared/crypto/sha256";
import type { Match, PurgeFilter, VectorItem, VectorMetadata, VectorQuery, VectorStore } from "../vector-store";

const MetadataSchema = z.object({
  tenantId: z.string(),
  feature: z.string(),
  fingerprint: z.string(),
  entryKey: z.string(),
});

export function createVectorizeStore(index: VectorizeIndex): VectorStore {
  return {
    async query(vector: Float32Array, o: VectorQuery): Promise<Match[]> {
      const result = await index.query(vector, {
        topK: o.topK,
        namespace: await sha256Hex(o.namespace),
        returnMetadata: "all",
        filter: { tenantId: o.tenantId },
      });
      const matches: Match[] = [];
      for (const m of result.matches) {
        const meta = MetadataSchema.safeParse(m.metadata);
        if (!meta.success || meta.data.tenantId !== o.tenantId) continue;
        if (o.minScore !== undefined && m.score < o.minScore) continue;
        matches.push({ id: m.id, score: m.score, metadata: meta.data });
      }
      return matches;
    },
    async upsert(items: VectorItem[]): Promise<void> {
      const vectors: VectorizeVector[] = await Promise.all(
        items.map(async (item) => ({
          id: (await sha256Hex(item.id)).slice(0, 64),
          namespace: await sha256Hex(item.namespace),
          values: item.vector,
          metadata: { ...item.metadata } satisfies VectorMetadata,
        })),
      );
      await index.upsert(vectors);
    },
    async purge(_filter: PurgeFilter): Promise<number> {
      return -1;
    },
  };
}
