/**
 * A per-isolate read-through cache for values loaded from D1 or KV (key rows, budgets, tenant
 * settings, cache generations, rollout markers). Three properties every such cache needs:
 *  - bounded: keys can come from clients (a feature name is any `X-Feature` a caller sends), so
 *    at most `maxEntries` are kept, the least recently loaded evicted first;
 *  - single-flight: concurrent misses for one key share one load, so an expiring entry under
 *    load costs one query, not one per in-flight request;
 *  - a failed load is not cached: the next request tries again.
 */
export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: TtlCacheOptions) {}

  /** The cached value for `key`, or `load()`'s (shared by every caller until it settles). */
  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    // `now < at`: a clock that went backwards must not make an entry live forever.
    if (hit && now - hit.at < this.options.ttlMs && now >= hit.at) return hit.value;
    if (hit) this.entries.delete(key);
    else if (this.entries.size >= this.options.maxEntries) this.evictOldest();
    let value: Promise<T>;
    try {
      value = load();
    } catch (err) {
      value = Promise.reject(err);
    }
    const entry: Entry<T> = { at: now, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key the predicate selects (e.g. all of one tenant's features). */
  deleteWhere(select: (key: string) => boolean): void {
    for (const key of this.entries.keys()) if (select(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
