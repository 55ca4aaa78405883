/** GET /v1/usage.csv: the same report as CSV (RFC 4180 quoting) for spreadsheets and billing. */
import type { FeatureScope } from "./feature-scope";
import { queryUsage, type UsageQuery, type UsageRow } from "./query-usage";

export { UsageQuerySchema as UsageCsvQuerySchema } from "./query-usage";

// Columns added later go at the end, so a spreadsheet that reads columns by position keeps working.
const METRICS: (keyof UsageRow)[] = [
  "requests", "errors", "cacheHits", "promptTokens", "completionTokens", "cachedTokens", "reasoningTokens",
  "costUsd", "inferenceCostUsd", "costAvoidedUsd", "costAvoidedCacheUsd", "costAvoidedRoutingUsd", "judgeCalls", "judgeCostUsd", "judgeShare", "judgeEligible", "judged",
  "judgeEscalated", "judgeEscalationsSkipped", "judgeChecksOnly", "judgeChecksFailed", "judgeCoverage", "avgLatencyMs",
  "shadowCostUsd", "draftCostUsd",
];
/**
 * Whether the cost-avoided columns are net of drafts and shadows (grouped by nothing, day, feature
 * or key) or gross with the spend on its own columns (grouped by tier, model or hour): the JSON
 * report's costAvoidedNet, repeated on every row because a CSV has no place for report-level facts.
 */
const NET_COLUMN = "costAvoidedNet";

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // Leading =,+,-,@ would be evaluated as a formula by spreadsheet apps (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function usageCsv(db: D1Database, tenantId: string, query: UsageQuery, features: FeatureScope): Promise<string> {
  const report = await queryUsage(db, tenantId, query, features);
  const columns: (keyof UsageRow)[] = [...report.groupBy, ...METRICS];
  const net = csvCell(report.costAvoidedNet);
  const lines = [[...columns, NET_COLUMN].join(","), ...report.rows.map((r) => [...columns.map((c) => csvCell(r[c])), net].join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
