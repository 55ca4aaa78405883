/** Nearest-neighbour storage for the semantic cache; vectors are unit-length, score = cosine. */
export interface VectorMetadata {
  tenantId: string;
  feature: string;
  fingerprint: string;
  /** KV key of the cache entry this vector stands for. */
  entryKey: string;
}

export interface VectorItem {
  id: string;
  namespace: string;
  vector: Float32Array;
  metadata: VectorMetadata;
  /** Epoch ms after which the entry it points at has expired; the local index prunes by it. */
  expiresAt?: number;
}

export interface Match {
  id: string;
  score: number;
  metadata: VectorMetadata;
}

export interface VectorQuery {
  topK: number;
  namespace: string;
  /** Routes to the tenant's partition and is re-checked on every match. */
  tenantId: string;
  /** Matches below this may be skipped (lets an index prune); never required for correctness. */
  minScore?: number;
}

export interface PurgeFilter {
  tenantId: string;
  feature?: string | null;
}

export interface VectorStore {
  query(vector: Float32Array, options: VectorQuery): Promise<Match[]>;
  upsert(items: VectorItem[]): Promise<void>;
  /** Physical deletion where the backend supports it; returns rows removed (-1: unknown). */
  purge(filter: PurgeFilter): Promise<number>;
}
