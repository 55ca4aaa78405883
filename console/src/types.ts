/**
 * The API answers the console reads (the gateway's REST shapes; see README's API table). Most
 * mirror interfaces of workers/gateway/src: those modules use the Workers runtime's types, which
 * cannot be loaded beside the DOM's, so only runtime-free shapes (shared/schemas) are imported.
 */
export type { DriftReport, DriftSnapshot } from "../../shared/schemas/drift-report";
export type { LatencySummary, PercentileEstimate } from "../../shared/latency-histogram";
export interface UsageRow {
  hour?: string;
  day?: string;
  feature?: string | null;
  model?: string;
  tier?: string;
  key?: string;
  requests: number;
  errors: number;
  cacheHits: number;
  costUsd: number;
  inferenceCostUsd: number;
  costAvoidedUsd: number;
  /** The part of costAvoidedUsd from cache hits. */
  costAvoidedCacheUsd: number;
  /** Routing's part, net of escalated cascade drafts. */
  costAvoidedRoutingUsd: number;
  /** Shadow calls (router monitoring): netted from costAvoidedUsd = cache + routing - shadows. */
  shadowCostUsd: number;
  /** Escalated cascade drafts (inside inferenceCostUsd; netted from costAvoidedRoutingUsd when costAvoidedNet). */
  draftCostUsd: number;
  judgeCalls: number;
  judgeCostUsd: number;
  avgLatencyMs: number | null;
}

export interface UsageReport {
  tenantId: string;
  from: string;
  to: string;
  /** costAvoidedUsd is net of drafts and shadows only when grouped by day, feature or key (or not at all). */
  costAvoidedNet: boolean;
  rows: UsageRow[];
}

export interface RequestSummary {
  requestId: string;
  receivedAt: string;
  completedAt: string;
  keyId: string;
  feature: string | null;
  model: string | null;
  tier: string | null;
  status: number;
  errorCode: string | null;
  cacheStatus: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  prompt: { id: string; version: number } | null;
  evaluation: { status: string; scoreMean: number | null } | null;
}

export interface StageTiming {
  name: string;
  durationMs: number;
  startMs?: number;
}

export interface TraceContent {
  access: "redacted" | "decrypted";
  meta: unknown;
  available?: boolean;
  messages?: { role: string; content: string }[];
  response?: string;
}

export interface RequestTrace {
  requestId: string;
  receivedAt: string | number | null;
  status: number;
  errorCode: string | null;
  keyId: string;
  feature: string | null;
  endUser: string | null;
  model: string | null;
  tier: string | null;
  upstream: string | null;
  latencyMs: number;
  ttftMs: number | null;
  stages: StageTiming[];
  attempts: Record<string, unknown>[];
  decisions: Record<string, unknown>;
  cache: Record<string, unknown>;
  tokens: { prompt: number; completion: number; cached: number; reasoning: number };
  cost: { usd: number; priceSource: string; counterfactualUsd: number | null; avoidedUsd: number; judgeUsd: number; draftUsd: number; shadowUsd: number };
  evaluation: ({ status: string; scoreMean?: number | null; judges?: unknown; checks?: unknown; reason?: string } & Record<string, unknown>) | null;
  content?: TraceContent;
}

export interface CacheQualityGroup {
  audited: number;
  correct: number;
  errors: number;
  precision: number | null;
  suggestedThreshold: number | null;
  currentThreshold?: number;
}

export interface CacheQualityReport extends CacheQualityGroup {
  feature: string | null;
  since: string;
  targetPrecision: number;
  byFeature: (CacheQualityGroup & { feature: string | null })[];
}

export interface RolloutVerdict {
  candidateVersion: string;
  status: "insufficient_data" | "healthy" | "rolled_back";
  reasons: string[];
  stats: unknown;
  decidedAt: string;
}

export interface RouterRolloutStatus {
  configured: { mode: string; candidateVersion?: string; candidate?: Record<string, unknown> } & Record<string, unknown>;
  effectiveMode: string;
  verdicts: RolloutVerdict[];
}

export interface PromptLabel {
  label: string;
  version: number;
  previousVersion: number | null;
  updatedAt: string;
  updatedBy: string;
}

export interface Prompt {
  id: string;
  description: string | null;
  feature: string | null;
  latestVersion: number;
  labels: PromptLabel[];
  createdAt: string;
  updatedAt: string;
}

export interface PromptVersion {
  promptId: string;
  version: number;
  note: string | null;
  messages: { role: string; content: string }[];
  variables: { name: string; type?: string }[];
  labels: string[];
  createdAt: string;
  createdBy: string;
}

export interface VersionComparison {
  version: number;
  requests: number;
  errors: number;
  errorRate: number | null;
  costUsd: number;
  costPerRequestUsd: number | null;
  judgeCostUsd: number;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null };
  ttftMsMean: number | null;
  judged: number;
  judgeScoreMean: number | null;
  escalated: number;
  escalationRate: number | null;
}

export interface KeyView {
  id: string;
  prefix: string;
  name: string | null;
  role: string;
  scopes: string[];
  features: string[] | null;
  created_at: number | string;
  expires_at: number | string | null;
  revoked_at?: number | string | null;
}

export interface BudgetView {
  scope: string;
  scope_id: string | null;
  monthly_usd: number;
  policy: string;
  ceiling_usd: number | null;
}

