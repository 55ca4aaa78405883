/**
 * Deterministic audit sampling: the same request id always gets the same answer (retries and
 * replays agree), and ids spread evenly over [0, 1) via FNV-1a so the rate holds.
 */
import { fmix32, fnv1a } from "../../../../shared/hash/fnv1a";

export function shouldAudit(rate: number, requestId: string): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  // The finaliser spreads ids differing only in their last characters.
  return fmix32(fnv1a(requestId)) / 4294967296 < rate;
}
