/**
 * The API's operations for the OpenAPI document, each pointing at the zod schema its handler
 * parses with (the single source of truth: the document is generated from these, never
 * written by hand). Who may call each comes from auth/route-policies.ts. openapi.test.ts
 * fails when a registered route is missing here or a listed one is not registered.
 */
import { z } from "zod";
import { ArchiveDaySchema, ArchiveTableSchema } from "../../../../shared/archive/layout";
import { ChatCompletionResponseSchema } from "../../../../shared/schemas/openai-chat";
import { EmbeddingsRequestSchema, EmbeddingsResponseSchema } from "../../../../shared/schemas/openai-embeddings";
import { CreateKeyInputSchema, RotateKeyInputSchema } from "../auth/key-service";
import { GuardrailCheckRequestSchema } from "../guardrails/check";
import { RouteDryRunBodySchema } from "../router/dry-run";
import { FeedbackRequestSchema } from "../cache/feedback/record-feedback";
import { KeyIdSchema, CreateTenantSchema, PutBudgetSchema, PutLimitsSchema, TenantIdSchema } from "../routes/admin/schemas";
import { FeatureQuerySchema } from "../routes/admin-operations";
import { PurgeQuerySchema } from "../routes/cache-purge";
import { CollectionParamsSchema, CreateCollectionSchema, DocumentParamsSchema, IngestBodySchema, ListQuerySchema, SearchBodySchema } from "../rag/schemas";
import { TenantSettingsInputSchema } from "../settings/tenant-settings";
import { ChatBodyWireSchema } from "../prompts/chat-prompt";
import { CompareQuerySchema } from "../prompts/compare-versions";
import { CreatePromptSchema, CreateVersionSchema, LabelSchema, ListPromptsQuerySchema, ListVersionsQuerySchema, MoveLabelSchema, PromptIdSchema, RenderBodySchema, VersionSchema } from "../prompts/schemas";
import { GraphQLRequestSchema } from "../graphql/run-query";
import { ListEvaluationsQuerySchema } from "../usage/list-evaluations";
import { ListRequestsQuerySchema } from "../usage/list-requests";
import { DriftQuerySchema } from "../usage/drift-alarms";
import { LatencyQuerySchema } from "../usage/latency-summary";
import { AlertRuleInputSchema, CacheQualityQuerySchema, FineTuningQuerySchema, RequestTraceParamsSchema, RetrainingQuerySchema, UsageQuerySchema } from "../usage";

export interface Operation {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Hono pattern (`:id`); the document spells it `{id}`. */
  path: string;
  summary: string;
  tag: "OpenAI-compatible" | "Gateway" | "Admin" | "Operations";
  body?: z.ZodType;
  /** The body may be empty (key rotation). */
  bodyOptional?: boolean;
  query?: z.ZodType;
  params?: Record<string, z.ZodType>;
  /** The success response's schema when the handler's output has one; else a plain description. */
  response?: z.ZodType;
  responseType?: "application/json" | "text/csv" | "application/x-ndjson" | "text/plain" | "text/event-stream";
  /** Success status when not 200. */
  status?: number;
}

const tenant = { id: TenantIdSchema };

export const OPERATIONS: readonly Operation[] = [
  { method: "GET", path: "/healthz", summary: "Liveness and registry check (load balancers).", tag: "Operations" },
  { method: "GET", path: "/metrics", summary: "Prometheus metrics: a METRICS_TOKEN bearer or an admin key (docs/observability.md).", tag: "Operations", responseType: "text/plain" },
  { method: "GET", path: "/openapi.json", summary: "This document (OpenAPI 3.1).", tag: "Operations" },
  { method: "POST", path: "/v1/chat/completions", summary: "OpenAI Chat Completions; `model: auto` lets the router choose. `stream: true` answers with SSE. `prompt` (docs/prompts.md) renders a stored template before, or instead of, `messages`.", tag: "OpenAI-compatible", body: ChatBodyWireSchema, response: ChatCompletionResponseSchema },
  { method: "POST", path: "/v1/embeddings", summary: "OpenAI Embeddings.", tag: "OpenAI-compatible", body: EmbeddingsRequestSchema, response: EmbeddingsResponseSchema },
  { method: "GET", path: "/v1/models", summary: "Models and routable names (auto, tiers) this key may use.", tag: "OpenAI-compatible" },
  { method: "POST", path: "/v1/route", summary: "Dry-run routing decision (no model call).", tag: "Gateway", body: RouteDryRunBodySchema },
  { method: "POST", path: "/v1/guardrails/check", summary: "PII findings, redacted text and injection score for a text.", tag: "Gateway", body: GuardrailCheckRequestSchema },
  { method: "GET", path: "/v1/usage", summary: "The tenant's totals from the hourly rollups (`group_by` is accepted for `groupBy`).", tag: "Gateway", query: UsageQuerySchema },
  { method: "GET", path: "/v1/usage.csv", summary: "The same totals as CSV.", tag: "Gateway", query: UsageQuerySchema, responseType: "text/csv" },
  { method: "GET", path: "/v1/usage/latency", summary: "Latency and TTFT p50/p95/p99 over the whole range, estimated from hourly histograms (1.25x buckets, interpolated), and the mean judge score.", tag: "Gateway", query: LatencyQuerySchema },
  { method: "GET", path: "/v1/requests/:id", summary: "One request's trace; content masked by role.", tag: "Gateway", params: { id: RequestTraceParamsSchema.shape.id } },
  { method: "POST", path: "/v1/feedback", summary: "Report whether an answer served from the semantic cache was right (`wrong` tightens the false-hit bound; once per request; docs/semantic-cache.md).", tag: "Gateway", body: FeedbackRequestSchema },
  { method: "GET", path: "/v1/router/rollout", summary: "Shadow/canary router rollout status and verdicts.", tag: "Gateway" },
  { method: "GET", path: "/v1/drift", summary: "Drift snapshots (PSI, KL per metric and window) and alarms of the tenant, newest first.", tag: "Gateway", query: DriftQuerySchema },
  { method: "DELETE", path: "/v1/cache", summary: "Purge the tenant's cache (optionally one feature).", tag: "Gateway", query: PurgeQuerySchema },
  { method: "GET", path: "/v1/cache/quality", summary: "Audited semantic-hit precision and a threshold suggestion.", tag: "Gateway", query: CacheQualityQuerySchema },
  { method: "POST", path: "/v1/collections", summary: "Create a RAG collection (docs/rag.md).", tag: "Gateway", body: CreateCollectionSchema, status: 201 },
  { method: "GET", path: "/v1/collections", summary: "List the tenant's collections.", tag: "Gateway", query: ListQuerySchema },
  { method: "GET", path: "/v1/collections/:id", summary: "One collection with document and chunk counts.", tag: "Gateway", params: CollectionParamsSchema.shape },
  { method: "DELETE", path: "/v1/collections/:id", summary: "Delete a collection and every chunk from both indexes.", tag: "Gateway", params: CollectionParamsSchema.shape },
  { method: "POST", path: "/v1/collections/:id/documents", summary: "Ingest documents (PII policy, chunking, idempotent by content hash); large ones are queued (202).", tag: "Gateway", params: CollectionParamsSchema.shape, body: IngestBodySchema },
  { method: "GET", path: "/v1/collections/:id/documents", summary: "List documents with status and progress.", tag: "Gateway", params: CollectionParamsSchema.shape, query: ListQuerySchema },
  { method: "GET", path: "/v1/collections/:id/documents/:doc", summary: "One document's status and ingestion progress.", tag: "Gateway", params: DocumentParamsSchema.shape },
  { method: "DELETE", path: "/v1/collections/:id/documents/:doc", summary: "Delete a document's chunks from both indexes.", tag: "Gateway", params: DocumentParamsSchema.shape },
  { method: "POST", path: "/v1/collections/:id/search", summary: "Hybrid search (BM25 + dense, RRF, rerank) with each retriever's score.", tag: "Gateway", params: CollectionParamsSchema.shape, body: SearchBodySchema },
  { method: "GET", path: "/v1/requests", summary: "Search requests (trace explorer), newest first; metadata only.", tag: "Gateway", query: ListRequestsQuerySchema },
  { method: "GET", path: "/v1/evaluations", summary: "Judge verdicts, newest first.", tag: "Gateway", query: ListEvaluationsQuerySchema },
  { method: "POST", path: "/v1/prompts", summary: "Create a prompt template with version 1 (docs/prompts.md).", tag: "Gateway", body: CreatePromptSchema, status: 201 },
  { method: "GET", path: "/v1/prompts", summary: "List prompts (paged).", tag: "Gateway", query: ListPromptsQuerySchema },
  { method: "GET", path: "/v1/prompts/:id", summary: "One prompt with its labels.", tag: "Gateway", params: { id: PromptIdSchema } },
  { method: "POST", path: "/v1/prompts/:id/versions", summary: "Add an immutable version (optionally labelled).", tag: "Gateway", params: { id: PromptIdSchema }, body: CreateVersionSchema, status: 201 },
  { method: "GET", path: "/v1/prompts/:id/versions", summary: "List versions, newest first (paged).", tag: "Gateway", params: { id: PromptIdSchema }, query: ListVersionsQuerySchema },
  { method: "GET", path: "/v1/prompts/:id/versions/:version", summary: "One version: messages, variables, labels.", tag: "Gateway", params: { id: PromptIdSchema, version: VersionSchema } },
  { method: "POST", path: "/v1/prompts/:id/labels/:label", summary: "Move a label to a version (release or rollback; audited).", tag: "Gateway", params: { id: PromptIdSchema, label: LabelSchema }, body: MoveLabelSchema },
  { method: "POST", path: "/v1/prompts/:id/render", summary: "Render a version or label with variables (no model call).", tag: "Gateway", params: { id: PromptIdSchema }, body: RenderBodySchema },
  { method: "GET", path: "/v1/prompts/:id/compare", summary: "Versions side by side: cost, latency, judge score, escalation rate.", tag: "Gateway", params: { id: PromptIdSchema }, query: CompareQuerySchema },
  { method: "GET", path: "/v1/graphql", summary: "GraphQL analytics (query, variables, operationName, extensions as parameters; docs/graphql.md).", tag: "Gateway" },
  { method: "POST", path: "/v1/graphql", summary: "GraphQL analytics (docs/graphql.md).", tag: "Gateway", body: GraphQLRequestSchema },
  { method: "POST", path: "/admin/v1/tenants", summary: "Create a tenant (operator).", tag: "Admin", body: CreateTenantSchema, status: 201 },
  { method: "GET", path: "/admin/v1/tenants", summary: "List tenants (operator).", tag: "Admin" },
  { method: "POST", path: "/admin/v1/tenants/:id/keys", summary: "Create an API key; the key is shown once.", tag: "Admin", params: tenant, body: CreateKeyInputSchema, status: 201 },
  { method: "GET", path: "/admin/v1/tenants/:id/keys", summary: "List the tenant's keys (prefixes only).", tag: "Admin", params: tenant },
  { method: "DELETE", path: "/admin/v1/keys/:id", summary: "Revoke a key.", tag: "Admin", params: { id: KeyIdSchema } },
  { method: "POST", path: "/admin/v1/keys/:id/rotate", summary: "Rotate a key (the old one lives `grace_seconds` more).", tag: "Admin", params: { id: KeyIdSchema }, body: RotateKeyInputSchema, bodyOptional: true, status: 201 },
  { method: "GET", path: "/admin/v1/tenants/:id/budget", summary: "Read the tenant's monthly budgets.", tag: "Admin", params: tenant },
  { method: "PUT", path: "/admin/v1/tenants/:id/budget", summary: "Set monthly budgets (block or downgrade).", tag: "Admin", params: tenant, body: PutBudgetSchema },
  { method: "GET", path: "/admin/v1/tenants/:id/limits", summary: "Read rate limits.", tag: "Admin", params: tenant },
  { method: "PUT", path: "/admin/v1/tenants/:id/limits", summary: "Set rate limits.", tag: "Admin", params: tenant, body: PutLimitsSchema },
  { method: "GET", path: "/admin/v1/audit/verify", summary: "Verify the audit hash chain (operator).", tag: "Admin" },
  { method: "GET", path: "/admin/v1/tenants/:id/settings", summary: "Read request-path settings (tenant-wide or ?feature=).", tag: "Admin", params: tenant, query: FeatureQuerySchema },
  { method: "PUT", path: "/admin/v1/tenants/:id/settings", summary: "Set guardrails, cache, router, retention and telemetry settings.", tag: "Admin", params: tenant, query: FeatureQuerySchema, body: TenantSettingsInputSchema },
  { method: "GET", path: "/admin/v1/tenants/:id/alerts", summary: "List alert rules.", tag: "Admin", params: tenant },
  { method: "POST", path: "/admin/v1/tenants/:id/alerts", summary: "Create an alert rule (signed webhook).", tag: "Admin", params: tenant, body: AlertRuleInputSchema, status: 201 },
  { method: "DELETE", path: "/admin/v1/tenants/:id/alerts/:rule", summary: "Delete an alert rule.", tag: "Admin", params: { ...tenant, rule: z.string().min(1).max(128) } },
  { method: "GET", path: "/admin/v1/datasets/retraining", summary: "Router retraining export (JSONL; needs content:read).", tag: "Admin", query: RetrainingQuerySchema, responseType: "application/x-ndjson" },
  { method: "GET", path: "/admin/v1/datasets/fine-tuning", summary: "Fine-tuning export (JSONL; needs content:read).", tag: "Admin", query: FineTuningQuerySchema, responseType: "application/x-ndjson" },
  { method: "GET", path: "/admin/v1/tenants/:id/archive/:table/:day", summary: "One archived day of a table (R2).", tag: "Admin", params: { ...tenant, table: ArchiveTableSchema, day: ArchiveDaySchema }, responseType: "application/x-ndjson" },
];
