/** In-memory stand-in for the part of KVNamespace the cache uses (get text/json, put with TTL). */
export class MemoryKv {
  readonly data = new Map<string, { value: string; expiresAt: number | null }>();
  now = (): number => Date.now();

  async get(key: string, type?: "text" | "json"): Promise<unknown> {
    const item = this.data.get(key);
    if (!item || (item.expiresAt !== null && item.expiresAt <= this.now())) return null;
    return type === "json" ? JSON.parse(item.value) : item.value;
  }

  async put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void> {
    const ttl = options?.expirationTtl;
    this.data.set(key, { value, expiresAt: ttl ? this.now() + ttl * 1000 : null });
  }

  asKv(): KVNamespace {
    return this as unknown as KVNamespace;
  }
}
