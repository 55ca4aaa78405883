/**
 * At most one audit row per key and interval (per isolate) for repeated refusals: a flood of the
 * same blocked request (budget, guardrail) must not become a flood of writes to the one
 * hash-chained log that admin actions, such as revoking the offending key, also append to. Every
 * refusal is still in the usage ledger with its error code. Bounded: cleared past `maxKeys`.
 */
export interface AuditThrottle {
  /** True (and remembered) when `key` was not audited within the interval. */
  allow(key: string, now: number): boolean;
  clear(): void;
}

export function auditThrottle(intervalMs = 60_000, maxKeys = 10_000): AuditThrottle {
  const last = new Map<string, number>();
  return {
    allow(key, now) {
      if (now - (last.get(key) ?? -Infinity) < intervalMs) return false;
      if (last.size >= maxKeys) last.clear();
      last.set(key, now);
      return true;
    },
    clear: () => last.clear(),
  };
}
