/** What bench:soak samples besides the clients' view: workerd's resident memory, and the ledger. */
import { readFileSync } from "node:fs";
import type { Stack } from "../../test/harness/stack";

/** Current resident memory (VmRSS, MB) of the given processes, summed; exited ones count 0. */
export function rssMb(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}

export async function ledgerCount(stack: Stack, tenantId: string): Promise<number> {
  const row = await stack.db.prepare("SELECT COUNT(*) AS n FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request'").bind(tenantId).first<{ n: number }>();
  return row?.n ?? 0;
}

export interface LedgerView {
  ids: Set<string>;
  /** ingested_at − completed_at per row, ms. */
  delaysMs: number[];
  /** request ids with more than one row (must be none: the primary key forbids it). */
  duplicates: number;
}

export async function ledgerView(stack: Stack, tenantId: string): Promise<LedgerView> {
  const { results } = await stack.db
    .prepare("SELECT request_id, ingested_at - completed_at AS delay FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request'")
    .bind(tenantId)
    .all<{ request_id: string; delay: number }>();
  const ids = new Set(results.map((r) => r.request_id));
  return { ids, delaysMs: results.map((r) => r.delay), duplicates: results.length - ids.size };
}
