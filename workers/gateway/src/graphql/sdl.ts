/**
 * The analytics schema of /v1/graphql (docs/graphql.md), schema-first. Read-only: every field
 * resolves through the same domain function as its REST twin (resolvers.ts), with the same
 * tenant, feature scope and content masking. Lists page like REST: `limit` (1-100, default
 * 20) and `cursor`, answering `{ data, hasMore, nextCursor }`. Free-form parts of a trace
 * (stages, attempts, decisions, judge detail, content) are JSON, as REST returns them.
 */
export const SDL = /* GraphQL */ `
"""Any JSON value, passed through as REST returns it."""
scalar JSON

enum UsageGroup { hour day feature model tier key }
enum RequestStatus { ok error }
enum CacheStatus { hit_exact hit_semantic miss bypass off }

type Query {
  "GET /v1/usage: totals from the hourly rollups."
  usage(from: String, to: String, groupBy: [UsageGroup!]): UsageReport!
  "GET /v1/requests: the trace explorer's search, newest first (metadata only)."
  requests(limit: Int, cursor: String, from: String, to: String, feature: String, status: RequestStatus, httpStatus: Int, model: String, tier: String, cache: CacheStatus, promptId: String): RequestPage!
  "GET /v1/requests/{id}: one request's trace; content masked by the key's role. null when unknown to this key."
  request(id: ID!): RequestTrace
  "GET /v1/evaluations: judge verdicts, newest first."
  evaluations(limit: Int, cursor: String, from: String, to: String, feature: String, model: String, maxScore: Float): EvaluationPage!
  "GET /v1/prompts"
  prompts(limit: Int, cursor: String, feature: String): PromptPage!
  "GET /v1/prompts/{id}; null when unknown to this key."
  prompt(id: ID!): Prompt
  "GET /v1/router/rollout"
  routerRollout: RouterRollout!
  "GET /v1/cache/quality"
  cacheQuality(feature: String, since: String, targetPrecision: Float, minSamples: Int): CacheQuality!
}

type UsageReport { tenantId: String! from: String! to: String! groupBy: [UsageGroup!]! costAvoidedNet: Boolean! rows: [UsageRow!]! }
type UsageRow {
  hour: String day: String feature: String model: String tier: String key: String
  requests: Int! errors: Int! cacheHits: Int!
  promptTokens: Float! completionTokens: Float! cachedTokens: Float! reasoningTokens: Float!
  costUsd: Float! inferenceCostUsd: Float! costAvoidedUsd: Float! costAvoidedCacheUsd: Float! costAvoidedRoutingUsd: Float! shadowCostUsd: Float! draftCostUsd: Float! judgeCalls: Int! judgeCostUsd: Float! judgeShare: Float
  judgeEligible: Int! judged: Int! judgeEscalated: Int! judgeEscalationsSkipped: Int! judgeChecksOnly: Int! judgeChecksFailed: Int! judgeCoverage: Float
  avgLatencyMs: Float
}

type RequestPage { data: [RequestSummary!]! hasMore: Boolean! nextCursor: String }
type PromptRef { id: String! version: Int! }
type EvaluationBrief { status: String! scoreMean: Float }
type RequestSummary {
  requestId: ID! receivedAt: String! completedAt: String! keyId: String! feature: String model: String tier: String
  status: Int! errorCode: String cacheStatus: String! promptTokens: Float! completionTokens: Float! costUsd: Float!
  latencyMs: Float! ttftMs: Float prompt: PromptRef evaluation: EvaluationBrief
}

type Tokens { prompt: Float! completion: Float! cached: Float! reasoning: Float! }
type TraceCost { usd: Float! priceSource: String! counterfactualUsd: Float avoidedUsd: Float! judgeUsd: Float! draftUsd: Float! shadowUsd: Float! }
type RequestTrace {
  requestId: ID! receivedAt: Float completedAt: Float status: Int! errorCode: String keyId: String! feature: String endUser: String
  model: String tier: String upstream: String latencyMs: Float! ttftMs: Float
  stages: JSON! attempts: JSON! decisions: JSON! cache: JSON! tokens: Tokens! cost: TraceCost!
  "Judges' verdict with per-judge detail, or null."
  evaluation: JSON
  "Absent (null) for viewer keys; shape only for developer/admin; the decrypted exchange with content:read."
  content: JSON
  ledgerIngestedAt: Float!
}

type EvaluationPage { data: [EvaluationSummary!]! hasMore: Boolean! nextCursor: String }
type Escalation { reasons: [String!]! state: String }
type EvaluationSummary {
  requestId: ID! feature: String model: String tier: String status: String! scoreMean: Float disagreement: Boolean!
  judgeCostUsd: Float! panelVersion: String! escalation: Escalation completedAt: String! evaluatedAt: String!
}

type PromptPage { data: [Prompt!]! hasMore: Boolean! nextCursor: String }
type PromptLabel { label: String! version: Int! previousVersion: Int updatedAt: String! updatedBy: String! }
type Prompt {
  id: ID! description: String! feature: String latestVersion: Int! labels: [PromptLabel!]!
  createdAt: String! createdBy: String! updatedAt: String!
  versions(limit: Int, cursor: String): PromptVersionPage!
  version(version: Int!): PromptVersion
  "GET /v1/prompts/{id}/compare: the versions side by side over a time range (default the last 7 days)."
  comparison(from: String, to: String, versions: [Int!]): PromptComparison!
}
type PromptVersionPage { data: [PromptVersion!]! hasMore: Boolean! nextCursor: String }
type PromptMessage { role: String! content: String! }
type PromptVariable { name: String! type: String! description: String values: [String!] maxLength: Int required: Boolean! default: JSON }
type PromptVersion {
  promptId: String! version: Int! note: String! messages: [PromptMessage!]! variables: [PromptVariable!]! labels: [String!]!
  createdAt: String! createdBy: String!
}
type LatencyStats { mean: Float p50: Float p95: Float }
type VersionStats {
  version: Int! requests: Int! errors: Int! errorRate: Float cacheHits: Int! costUsd: Float! costPerRequestUsd: Float judgeCostUsd: Float!
  latencyMs: LatencyStats! ttftMsMean: Float judged: Int! judgeScoreMean: Float escalated: Int! escalationRate: Float
}
type PromptComparison { promptId: String! from: String! to: String! versions: [VersionStats!]! }

type RolloutVerdict { candidateVersion: String! status: String! reasons: [String!]! stats: JSON decidedAt: String! }
type RouterRollout { configured: JSON! effectiveMode: String! verdicts: [RolloutVerdict!]! }

type CacheQualityGroup { feature: String audited: Int! correct: Int! errors: Int! precision: Float suggestedThreshold: Float suggestion: JSON! currentThreshold: Float }
type CacheQuality {
  tenantId: String! feature: String since: String! targetPrecision: Float!
  audited: Int! correct: Int! errors: Int! precision: Float suggestedThreshold: Float suggestion: JSON! currentThreshold: Float
  byFeature: [CacheQualityGroup!]!
}
`;

/** Fields that read D1 (cost more in the complexity budget); the rest read what those returned. */
export const LOADER_FIELDS: ReadonlySet<string> = new Set([
  "Query.usage", "Query.requests", "Query.request", "Query.evaluations", "Query.prompts", "Query.prompt",
  "Query.routerRollout", "Query.cacheQuality", "Prompt.versions", "Prompt.version", "Prompt.comparison",
]);
