/**
 * A per-isolate read-through cache for values loaded from D1 or KV (key rows, budgets, tenant
 * settings, cache generations, rollout markers). Three properties every such cache needs:
 *  - bounded: keys can come from clients (a feature name is any `X-Feature` a caller sends), so
 *    at most `maxEntries` are kept, the least recently loaded evicted first;
 *  - single-flight: concurrent misses for one key share one load, so an expiring entry under
 *    load costs one query, not one per in-flight request;
 *  - a failed load is not cached: the next request tries again.
 * A request that joins another request's load waits for it at most `joinWaitMs` before loading
 * itself: in workerd a load belongs to the request that started it, and if that request is torn
 * down mid-load its promise may never settle, which would otherwise hang every joiner.
 */
export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** How long a request waits for another request's load before loading itself (default 2 s). */
  joinWaitMs?: number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
  settled: boolean;
}

const JOIN_WAIT_MS = 2_000;

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: TtlCacheOptions) {}

  /** The cached value for `key`, or `load()`'s (shared by every caller until it settles). */
  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    // `now < at`: a clock that went backwards must not make an entry live forever.
    if (hit && now - hit.at < this.options.ttlMs && now >= hit.at) return hit.settled ? hit.value : this.join(key, hit, now, load);
    if (hit) this.entries.delete(key);
    else if (this.entries.size >= this.options.maxEntries) this.evictOldest();
    return this.start(key, now, load).value;
  }

  private start(key: string, now: number, load: () => Promise<T>): Entry<T> {
    let value: Promise<T>;
    try {
      value = load();
    } catch (err) {
      value = Promise.reject(err);
    }
    const entry: Entry<T> = { at: now, value, settled: false };
    this.entries.set(key, entry);
    value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  /** Another request's load, or this request's own if that one has not settled in time. */
  private join(key: string, pending: Entry<T>, now: number, load: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ownLoad = new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => {
        // Still the same stalled load: replace it, so later requests join this one instead; if
        // another joiner already replaced it, share that load.
        const current = this.entries.get(key);
        const entry = current === pending ? (pending.settled ? pending : this.start(key, now, load)) : current;
        (entry ? entry.value : load()).then(resolve, reject);
      }, this.options.joinWaitMs ?? JOIN_WAIT_MS);
    });
    return Promise.race([pending.value, ownLoad]).finally(() => clearTimeout(timer));
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
