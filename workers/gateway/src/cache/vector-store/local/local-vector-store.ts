/**
 * VectorStore over the LocalVectorIndex Durable Object: one object per tenant, addressed by
 * name, so a query physically cannot reach another tenant's rows.
 */
import type { LocalVectorIndex } from "./local-vector-index";
import type { Match, PurgeFilter, VectorItem, VectorQuery, VectorStore } from "../vector-store";

export function tenantObjectName(tenantId: string): string {
  return `cache-vectors:${tenantId}`;
}

export function createLocalVectorStore(namespace: DurableObjectNamespace): VectorStore {
  const stub = (tenantId: string): DurableObjectStub<LocalVectorIndex> =>
    (namespace as unknown as DurableObjectNamespace<LocalVectorIndex>).get(namespace.idFromName(tenantObjectName(tenantId)));

  return {
    async query(vector: Float32Array, o: VectorQuery): Promise<Match[]> {
      const matches = (await stub(o.tenantId).query(vector, o.namespace, o.tenantId, o.topK, o.minScore ?? -1)) as Match[];
      return matches.filter((m) => m.metadata.tenantId === o.tenantId);
    },
    async upsert(items: VectorItem[]): Promise<void> {
      const byTenant = new Map<string, VectorItem[]>();
      for (const item of items) byTenant.set(item.metadata.tenantId, [...(byTenant.get(item.metadata.tenantId) ?? []), item]);
      await Promise.all([...byTenant].map(([tenant, batch]) => stub(tenant).upsert(batch)));
    },
    async purge(filter: PurgeFilter): Promise<number> {
      return stub(filter.tenantId).purge(filter);
    },
  };
}
