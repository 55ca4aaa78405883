/**
 * Storage arithmetic from measured bytes per request: what D1 holds at steady state under a
 * retention setting, what R2 gains per day, and what it costs. Pure, so the numbers in
 * docs/benchmarks/evaluator-storage.md follow from the measured row sizes by these formulas only.
 *
 * A row stays in D1 for its retention (never less than the redelivery horizon), plus the rest of
 * its UTC day: the archive moves whole days. At steady state D1 holds up to (keep + 1) days.
 */
import { ARCHIVE_TABLES, type ArchiveTable } from "../../shared/archive/layout";
import type { Retention } from "../../shared/schemas/retention";

export interface TableCost {
  /** D1 bytes a request adds to the table (rows and their indexes). */
  d1Bytes: number;
  /** gzip NDJSON bytes a request adds to R2 once archived. */
  r2Bytes: number;
  /** Rows a request adds to the table. */
  rows: number;
  /** D1 rows written per request by the inserts (table and index rows). */
  rowsWritten: number;
}

export type PerRequest = Partial<Record<ArchiveTable, TableCost>>;

export interface Scenario {
  name: string;
  retention: Retention;
  horizonHours: number;
  /** Share of a table's rows kept in D1 (TRACE_SAMPLING for traces, EVALUATION_SAMPLING for evaluations: sampledShare); the rest go to R2 directly. */
  d1Share?: Partial<Record<ArchiveTable, number>>;
}

/**
 * The D1 share of a sampled table: the drawn `rate`, plus the rows kept whatever the draw (for
 * evaluations, pending escalations: `keptAnyway` of all rows) among the rest.
 */
export const sampledShare = (rate: number, keptAnyway = 0): number => rate + (1 - rate) * keptAnyway;

export const PRICES = { d1RowWrittenUsd: 1e-6, r2GbMonthUsd: 0.015, r2ClassAUsd: 4.5e-6, d1DatabaseBytes: 10e9 } as const;
const DAY_S = 86_400;

/** Days a table's rows stay in D1 at most under a scenario. */
export function keepDays(s: Scenario, table: ArchiveTable): number {
  const spec: { retention: keyof Retention; keepAtLeast?: keyof Retention } = ARCHIVE_TABLES[table];
  const days = Math.max(s.retention[spec.retention], spec.keepAtLeast ? s.retention[spec.keepAtLeast] : 0);
  return Math.max(days, s.horizonHours / 24) + 1;
}

export interface Projection {
  /** D1 bytes held at steady state, per request/s of sustained traffic. */
  d1BytesPerReqPerS: number;
  /** D1 bytes written per million requests (before any archive). */
  d1BytesPerMillion: number;
  r2BytesPerMillion: number;
  /** D1 rows written per request: inserts plus the archive's deletes. */
  rowsWrittenPerRequest: number;
  /** Sustained requests/s whose per-request rows fit in `budgetBytes` of one database. */
  maxRate: (budgetBytes: number) => number;
}

export function project(per: PerRequest, s: Scenario): Projection {
  let held = 0;
  let d1 = 0;
  let r2 = 0;
  let written = 0;
  for (const [table, c] of Object.entries(per) as Array<[ArchiveTable, TableCost]>) {
    const share = s.d1Share?.[table] ?? 1;
    held += c.d1Bytes * share * keepDays(s, table) * DAY_S;
    d1 += c.d1Bytes * share * 1e6;
    r2 += c.r2Bytes * 1e6;
    // The archive's delete writes the row and its index rows again.
    written += c.rowsWritten * share * 2;
  }
  return { d1BytesPerReqPerS: held, d1BytesPerMillion: d1, r2BytesPerMillion: r2, rowsWrittenPerRequest: written, maxRate: (budget) => budget / held };
}

export interface RateLine {
  rate: number;
  requestsPerDay: number;
  d1HeldBytes: number;
  databases: number;
  d1WritesUsdPerDay: number;
  r2BytesPerDay: number;
  r2StorageUsdPerMonthAfterYear: number;
  r2PutsUsdPerMonth: number;
}

/** One traffic rate under a scenario: D1 held, databases needed, R2 growth and the bills. */
export function atRate(p: Projection, rate: number, chunkRows = 1000, rowsPerRequest = 4): RateLine {
  const perDay = rate * DAY_S;
  const r2PerDay = (p.r2BytesPerMillion / 1e6) * perDay;
  return {
    rate,
    requestsPerDay: perDay,
    d1HeldBytes: p.d1BytesPerReqPerS * rate,
    databases: Math.ceil((p.d1BytesPerReqPerS * rate) / PRICES.d1DatabaseBytes),
    d1WritesUsdPerDay: p.rowsWrittenPerRequest * perDay * PRICES.d1RowWrittenUsd,
    r2BytesPerDay: r2PerDay,
    r2StorageUsdPerMonthAfterYear: ((r2PerDay * 365) / 1e9) * PRICES.r2GbMonthUsd,
    r2PutsUsdPerMonth: ((rowsPerRequest * perDay) / chunkRows) * 30 * PRICES.r2ClassAUsd,
  };
}
