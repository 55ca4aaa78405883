/**
 * The one table of who may call what. Every route the app registers must have a row here
 * (route-policies.test.ts enumerates the app's routes and fails otherwise); the `authorize()`
 * middleware consults only this table, so a route cannot forget its check.
 *
 * Roles: service keys call models; developer keys also read their tenant's usage and traces
 * (content redacted unless `content:read`); viewer keys read usage and trace metadata, never
 * content; admin keys manage tenants, keys, budgets and limits (and read usage), but do not
 * call models: least privilege keeps a leaked admin key from spending, and vice versa.
 * `scope` additionally requires that scope on the key (e.g. operator-only `tenants:manage`).
 */
import type { Role } from "../app-env";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RoutePolicy {
  method: HttpMethod;
  /** Hono-style pattern, `:name` matches one segment. */
  path: string;
  /** "public" = no key needed (health checks). */
  roles: readonly Role[] | "public";
  scope?: string;
}

const MODEL_CALLERS: readonly Role[] = ["service", "developer"];
const USAGE_READERS: readonly Role[] = ["developer", "viewer", "admin"];
const ADMIN: readonly Role[] = ["admin"];
/** RAG collections (docs/rag.md): written like the cache is purged; searched by model callers. */
const COLLECTION_WRITERS: readonly Role[] = ["developer", "admin"];
const COLLECTION_READERS: readonly Role[] = ["service", "developer", "viewer", "admin"];
/** Prompt templates are authored by developer and admin keys; viewers read them (docs/prompts.md). */
const PROMPT_WRITERS: readonly Role[] = ["developer", "admin"];
export const OPERATOR_SCOPE = "tenants:manage";
/** Same string as CONTENT_READ_SCOPE in content-access.ts (kept import-free here). */
const CONTENT_READ = "content:read";

export const ROUTE_POLICIES: readonly RoutePolicy[] = [
  { method: "GET", path: "/healthz", roles: "public" },
  // Or the METRICS_TOKEN bearer a scraper presents (routes/metrics.ts); operators see every tenant.
  { method: "GET", path: "/metrics", roles: ADMIN },
  // The API description (routes/openapi.ts says why it is public).
  { method: "GET", path: "/openapi.json", roles: "public" },
  { method: "POST", path: "/v1/chat/completions", roles: MODEL_CALLERS },
  { method: "POST", path: "/v1/embeddings", roles: MODEL_CALLERS },
  { method: "GET", path: "/v1/models", roles: ["service", "developer", "viewer", "admin"] },
  { method: "POST", path: "/v1/route", roles: MODEL_CALLERS },
  { method: "POST", path: "/v1/guardrails/check", roles: MODEL_CALLERS },
  { method: "GET", path: "/v1/usage", roles: USAGE_READERS },
  { method: "GET", path: "/v1/usage.csv", roles: USAGE_READERS },
  { method: "GET", path: "/v1/usage/latency", roles: USAGE_READERS },
  { method: "GET", path: "/v1/requests/:id", roles: USAGE_READERS },
  { method: "GET", path: "/v1/router/rollout", roles: USAGE_READERS },
  { method: "GET", path: "/v1/drift", roles: USAGE_READERS },
  { method: "DELETE", path: "/v1/cache", roles: ["developer", "admin"] },
  { method: "GET", path: "/v1/cache/quality", roles: USAGE_READERS },
  { method: "POST", path: "/v1/prompts", roles: PROMPT_WRITERS },
  { method: "GET", path: "/v1/prompts", roles: USAGE_READERS },
  { method: "GET", path: "/v1/prompts/:id", roles: USAGE_READERS },
  { method: "POST", path: "/v1/prompts/:id/versions", roles: PROMPT_WRITERS },
  { method: "GET", path: "/v1/prompts/:id/versions", roles: USAGE_READERS },
  { method: "GET", path: "/v1/prompts/:id/versions/:version", roles: USAGE_READERS },
  { method: "POST", path: "/v1/prompts/:id/labels/:label", roles: PROMPT_WRITERS },
  { method: "POST", path: "/v1/prompts/:id/render", roles: PROMPT_WRITERS },
  { method: "GET", path: "/v1/prompts/:id/compare", roles: USAGE_READERS },
  { method: "GET", path: "/v1/requests", roles: USAGE_READERS },
  { method: "GET", path: "/v1/evaluations", roles: USAGE_READERS },
  // Read-only analytics over the same domain functions (and masking) as the REST reads.
  { method: "GET", path: "/v1/graphql", roles: USAGE_READERS },
  { method: "POST", path: "/v1/graphql", roles: USAGE_READERS },
  // Reports on the caller's own tenant's semantic cache hits (cache/feedback).
  { method: "POST", path: "/v1/feedback", roles: MODEL_CALLERS },
  { method: "POST", path: "/v1/collections", roles: COLLECTION_WRITERS },
  { method: "GET", path: "/v1/collections", roles: COLLECTION_READERS },
  { method: "GET", path: "/v1/collections/:id", roles: COLLECTION_READERS },
  { method: "DELETE", path: "/v1/collections/:id", roles: COLLECTION_WRITERS },
  { method: "POST", path: "/v1/collections/:id/documents", roles: COLLECTION_WRITERS },
  { method: "GET", path: "/v1/collections/:id/documents", roles: COLLECTION_READERS },
  { method: "GET", path: "/v1/collections/:id/documents/:doc", roles: COLLECTION_READERS },
  { method: "DELETE", path: "/v1/collections/:id/documents/:doc", roles: COLLECTION_WRITERS },
  // Returns chunk text: model callers only (viewers never read content).
  { method: "POST", path: "/v1/collections/:id/search", roles: MODEL_CALLERS },
  { method: "POST", path: "/admin/v1/tenants", roles: ADMIN, scope: OPERATOR_SCOPE },
  { method: "GET", path: "/admin/v1/tenants", roles: ADMIN, scope: OPERATOR_SCOPE },
  { method: "POST", path: "/admin/v1/tenants/:id/keys", roles: ADMIN },
  { method: "GET", path: "/admin/v1/tenants/:id/keys", roles: ADMIN },
  { method: "DELETE", path: "/admin/v1/keys/:id", roles: ADMIN },
  { method: "POST", path: "/admin/v1/keys/:id/rotate", roles: ADMIN },
  { method: "GET", path: "/admin/v1/tenants/:id/budget", roles: ADMIN },
  { method: "PUT", path: "/admin/v1/tenants/:id/budget", roles: ADMIN },
  { method: "GET", path: "/admin/v1/tenants/:id/limits", roles: ADMIN },
  { method: "PUT", path: "/admin/v1/tenants/:id/limits", roles: ADMIN },
  { method: "GET", path: "/admin/v1/audit/verify", roles: ADMIN, scope: OPERATOR_SCOPE },
  { method: "GET", path: "/admin/v1/tenants/:id/settings", roles: ADMIN },
  { method: "PUT", path: "/admin/v1/tenants/:id/settings", roles: ADMIN },
  { method: "GET", path: "/admin/v1/tenants/:id/alerts", roles: ADMIN },
  { method: "POST", path: "/admin/v1/tenants/:id/alerts", roles: ADMIN },
  { method: "DELETE", path: "/admin/v1/tenants/:id/alerts/:rule", roles: ADMIN },
  // Exports decrypted exchanges: content access, not just admin.
  { method: "GET", path: "/admin/v1/datasets/retraining", roles: ADMIN, scope: CONTENT_READ },
  { method: "GET", path: "/admin/v1/datasets/fine-tuning", roles: ADMIN, scope: CONTENT_READ },
  // Archived rows (R2) of the admin's own tenant; traces stay sealed there, so no content:read.
  { method: "GET", path: "/admin/v1/tenants/:id/archive/:table/:day", roles: ADMIN },
];

/** Normalizes `:id{[0-9]+}` / `:id?` style params to `:` so patterns compare structurally. */
export function normalizePattern(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return trimmed.replace(/:[^/]+/g, ":");
}

function segmentsMatch(pattern: string[], actual: string[]): boolean {
  if (pattern.length !== actual.length) return false;
  return pattern.every((p, i) => p === ":" ? (actual[i] ?? "") !== "" : p === actual[i]);
}

const COMPILED = ROUTE_POLICIES.map((p) => ({ policy: p, segments: normalizePattern(p.path).split("/") }));
// Routes without parameters (the hot ones: /v1/chat/completions) resolve with one map lookup.
const STATIC = new Map(COMPILED.filter((c) => !c.segments.includes(":")).map((c) => [`${c.policy.method} ${c.segments.join("/")}`, c.policy]));

/** The policy for a concrete request; HEAD is treated as GET (Hono serves HEAD from GET). */
export function findPolicy(method: string, path: string): RoutePolicy | null {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const exact = STATIC.get(`${m} ${trimmed}`);
  if (exact) return exact;
  const segments = trimmed.split("/");
  for (const { policy, segments: pat } of COMPILED) {
    if (policy.method === m && segmentsMatch(pat, segments)) return policy;
  }
  return null;
}

/** The policy declared for a registered route pattern (used by the coverage test). */
export function policyForPattern(method: string, pattern: string): RoutePolicy | null {
  const norm = normalizePattern(pattern);
  return ROUTE_POLICIES.find((p) => p.method === method.toUpperCase() && normalizePattern(p.path) === norm) ?? null;
}

export type Decision = "allow" | "deny";

export function decide(policy: RoutePolicy, auth: { role: Role; scopes: readonly string[] } | null): Decision {
  if (policy.roles === "public") return "allow";
  if (!auth || !policy.roles.includes(auth.role)) return "deny";
  if (policy.scope && !auth.scopes.includes(policy.scope)) return "deny";
  return "allow";
}
