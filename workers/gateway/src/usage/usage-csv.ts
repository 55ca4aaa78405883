/** GET /v1/usage.csv: the same report as CSV (RFC 4180 quoting) for spreadsheets and billing. */
import type { FeatureScope } from "./feature-scope";
import { queryUsage, type UsageQuery, type UsageRow } from "./query-usage";

export { UsageQuerySchema as UsageCsvQuerySchema } from "./query-usage";

const METRICS: (keyof UsageRow)[] = [
  "requests", "errors", "cacheHits", "promptTokens", "completionTokens", "cachedTokens", "reasoningTokens",
  "costUsd", "inferenceCostUsd", "costAvoidedUsd", "costAvoidedCacheUsd", "costAvoidedRoutingUsd", "shadowCostUsd", "draftCostUsd", "judgeCalls", "judgeCostUsd", "judgeShare", "judgeEligible", "judged",
  "judgeEscalated", "judgeEscalationsSkipped", "judgeChecksOnly", "judgeChecksFailed", "judgeCoverage", "avgLatencyMs",
];

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
  const lines = [columns.join(","), ...report.rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
