/** VectorStore over in-process FlatIndexes, one map per tenant like the Durable Object. */
import { FlatIndex } from "../vector-store/local/flat-index";
import type { Match, PurgeFilter, VectorItem, VectorQuery, VectorStore } from "../vector-store/vector-store";

export class MemoryVectorStore implements VectorStore {
  readonly tenants = new Map<string, Map<string, FlatIndex>>();

  async query(vector: Float32Array, o: VectorQuery): Promise<Match[]> {
    const index = this.tenants.get(o.tenantId)?.get(o.namespace);
    return index ? index.query(vector, o.topK, o.minScore) : [];
  }

  async upsert(items: VectorItem[]): Promise<void> {
    for (const item of items) {
      const spaces = this.tenants.get(item.metadata.tenantId) ?? new Map<string, FlatIndex>();
      this.tenants.set(item.metadata.tenantId, spaces);
      const index = spaces.get(item.namespace) ?? new FlatIndex(item.vector.length);
      spaces.set(item.namespace, index);
      index.upsert(item.id, item.vector, item.metadata);
    }
  }

  async purge(filter: PurgeFilter): Promise<number> {
    const n = [...(this.tenants.get(filter.tenantId)?.values() ?? [])].reduce((s, i) => s + i.size, 0);
    this.tenants.delete(filter.tenantId);
    return n;
  }
}
