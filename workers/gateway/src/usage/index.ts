/** Usage, trace, export and alert-rule functions the gateway routes mount (see docs/evaluator.md). */
export { queryUsage, UsageQuerySchema, USAGE_GROUPS, type UsageQuery, type UsageReport, type UsageRow } from "./query-usage";
export { usageCsv, UsageCsvQuerySchema } from "./usage-csv";
export { getRequestTrace, RequestTraceParamsSchema, ContentAccessSchema, type ContentAccess, type TraceOptions } from "./request-trace";
export { streamRetrainingJsonl, RetrainingQuerySchema, type RetrainingOptions } from "./retraining-export";
export { streamFineTuningJsonl, FineTuningQuerySchema, type FineTuningOptions } from "./fine-tuning-export";
export * from "./alert-rules";
export {
  cacheQuality,
  CacheQualityQuerySchema,
  type CacheQualityQuery,
  type CacheQualityReport,
  type CacheQualityGroup,
  type CacheQualityOptions,
} from "./cache-quality";
export { suggestThreshold, wilsonLowerBound, type AuditBucket, type ThresholdSuggestion } from "./threshold-suggestion";
