/**
 * GraphQL resolvers: each is its REST route again, minus HTTP. Arguments go through the REST
 * route's own zod schema (so limits, ranges and formats are the same, and a bad value is the
 * same 400, reported as a GraphQL error with its code and param), then the same domain function
 * with the caller's tenant, feature allow-list and content access. Nothing here reads D1 itself.
 */
import type { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { keyringFromEnv } from "../../../../shared/crypto/envelope";
import type { AuthContext, Bindings } from "../app-env";
import { assertFeatureAllowed } from "../auth/allow-lists";
import { contentAccessFor } from "../auth/content-access";
import type { Page } from "../http/page";
import { parseWith } from "../http/read-json-body";
import { compareVersions, CompareQuerySchema } from "../prompts/compare-versions";
import { getPrompt, getVersion, listPrompts, listVersions, type PromptView } from "../prompts/prompt-reads";
import { ListPromptsQuerySchema, ListVersionsQuerySchema } from "../prompts/schemas";
import { servingThreshold } from "../routes/cache-quality";
import { cacheQuality, CacheQualityQuerySchema, getRequestTrace, queryUsage, UsageQuerySchema } from "../usage";
import { listEvaluations, ListEvaluationsQuerySchema } from "../usage/list-evaluations";
import { listRequests, ListRequestsQuerySchema } from "../usage/list-requests";
import { routerRolloutStatus } from "../usage/router-rollout-status";

export interface GraphQLContext {
  auth: AuthContext;
  env: Bindings;
}

type Args = Record<string, unknown>;

/** GraphQL sends explicit nulls; the REST schemas know only absent. */
const defined = (args: Args): Args => Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined));

const parseArgs = <S extends z.ZodType>(schema: S, args: Args): z.infer<S> => parseWith(schema, defined(args));

/** REST lists say has_more/next_cursor; GraphQL fields are camelCase. */
const connection = <T>(page: Page<T>) => ({ data: page.data, hasMore: page.has_more, nextCursor: page.next_cursor });

/** null, not an error, for "no such thing for this key" (GraphQL's way for a nullable lookup). */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof GatewayError && err.kind === "not_found") return null;
    throw err;
  }
}

function checkFeature(ctx: GraphQLContext, feature: unknown): void {
  if (typeof feature === "string") assertFeatureAllowed(ctx.auth, feature);
}

function promptNode(ctx: GraphQLContext, p: PromptView) {
  const { DB } = ctx.env;
  return {
    ...p,
    versions: async (args: Args) => connection(await listVersions(DB, ctx.auth, p.id, parseArgs(ListVersionsQuerySchema, args))),
    version: (args: { version: number }) => orNull(getVersion(DB, ctx.auth, p.id, args.version)),
    comparison: (args: Args) => compareVersions(DB, ctx.auth, p.id, parseArgs(CompareQuerySchema, { ...defined(args), ...(Array.isArray(args["versions"]) ? { versions: args["versions"].map(String) } : {}) })),
  };
}

const CACHE_STATUS: Record<string, string> = { hit_exact: "hit-exact", hit_semantic: "hit-semantic", miss: "miss", bypass: "bypass", off: "off" };

export const rootValue = {
  usage: async (args: Args, ctx: GraphQLContext) => queryUsage(ctx.env.DB, ctx.auth.tenantId, parseArgs(UsageQuerySchema, args), ctx.auth.features),

  requests: async (args: Args, ctx: GraphQLContext) => {
    const { httpStatus, cache, ...rest } = defined(args);
    const query = parseArgs(ListRequestsQuerySchema, {
      ...rest,
      ...(httpStatus !== undefined ? { status: httpStatus } : {}),
      ...(typeof cache === "string" ? { cache: CACHE_STATUS[cache] } : {}),
    });
    checkFeature(ctx, query.feature);
    return connection(await listRequests(ctx.env.DB, ctx.auth.tenantId, query, ctx.auth.features));
  },

  request: async (args: { id: string }, ctx: GraphQLContext) => {
    if (args.id.length === 0 || args.id.length > 128) return null;
    const contentAccess = contentAccessFor(ctx.auth);
    const keyring = contentAccess === "decrypted" ? await keyringFromEnv(ctx.env) : undefined;
    return getRequestTrace(ctx.env.DB, ctx.auth.tenantId, args.id, { contentAccess, features: ctx.auth.features, ...(keyring ? { keyring } : {}) });
  },

  evaluations: async (args: Args, ctx: GraphQLContext) => {
    const query = parseArgs(ListEvaluationsQuerySchema, args);
    checkFeature(ctx, query.feature);
    return connection(await listEvaluations(ctx.env.DB, ctx.auth.tenantId, query, ctx.auth.features));
  },

  prompts: async (args: Args, ctx: GraphQLContext) => {
    const page = await listPrompts(ctx.env.DB, ctx.auth, parseArgs(ListPromptsQuerySchema, args));
    return { ...connection(page), data: page.data.map((p) => promptNode(ctx, p)) };
  },

  prompt: async (args: { id: string }, ctx: GraphQLContext) => {
    const p = await orNull(getPrompt(ctx.env.DB, ctx.auth, args.id));
    return p ? promptNode(ctx, p) : null;
  },

  routerRollout: (_args: Args, ctx: GraphQLContext) => routerRolloutStatus(ctx.env.DB, ctx.auth.tenantId),

  cacheQuality: async (args: Args, ctx: GraphQLContext) => {
    const query = parseArgs(CacheQualityQuerySchema, args);
    checkFeature(ctx, query.feature);
    const { DB } = ctx.env;
    const { tenantId } = ctx.auth;
    return cacheQuality(DB, tenantId, query, { features: ctx.auth.features, currentThreshold: (feature) => servingThreshold(DB, tenantId, feature) });
  },
};
