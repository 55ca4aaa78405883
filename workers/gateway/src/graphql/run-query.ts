/**
 * One GraphQL request, from its wire parameters to the response body and status. Request
 * errors (a body or parameter that is not a GraphQL request, syntax, validation, limits, a
 * persisted-query hash that does not match its text, bad variables) are 400s; field errors are
 * reported in `errors` next to the data that did resolve, with the REST error's code, status
 * and param in `extensions`. A 400 also carries the OpenAI-style `error` object every other
 * route answers with, so either kind of client can read it. Unexpected errors never leak their
 * message: they become `internal_error` with the request id.
 */
import { buildSchema, execute, getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import { limitViolation, MAX_QUERY_TOKENS, sizeViolation } from "./limits";
import { lookupPersisted, MAX_QUERY_CHARS, PersistedQuerySchema, registerPersisted, sha256Hex } from "./persisted";
import { rootValue, type GraphQLContext } from "./resolvers";
import { SDL } from "./sdl";

export const GraphQLRequestSchema = z.object({
  query: z.string().max(MAX_QUERY_CHARS).nullish(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().max(256).nullish(),
  extensions: z.object({ persistedQuery: PersistedQuerySchema.optional() }).passthrough().nullish(),
});
export type GraphQLRequest = z.output<typeof GraphQLRequestSchema>;

export interface WireError {
  message: string;
  path?: readonly (string | number)[];
  extensions: { code: string; status?: number; param?: string | null };
}

export interface GraphQLResponse {
  status: 200 | 400;
  body: { data?: unknown; errors?: WireError[]; error?: { message: string; type: string; code: string; param: string | null; request_id: string } };
}

let schema: GraphQLSchema | null = null;
/** Built on first use, so routes that never see GraphQL do not pay for parsing the SDL. */
export const graphqlSchema = (): GraphQLSchema => (schema ??= buildSchema(SDL));

function requestError(code: string, message: string, requestId: string): GraphQLResponse {
  return { status: 400, body: { errors: [{ message, extensions: { code } }], error: { message, type: "invalid_request_error", code, param: null, request_id: requestId } } };
}

function fieldError(err: GraphQLError, requestId: string): WireError {
  const original = err.originalError;
  const path = err.path ? { path: err.path } : {};
  if (original instanceof GatewayError) return { message: original.message, ...path, extensions: { code: original.code, status: original.status, param: original.param } };
  if (original && !(original instanceof GraphQLError)) {
    console.error(JSON.stringify({ level: "error", msg: "graphql resolver failed", requestId, error: original.name }));
    return { message: `Internal error; quote request id ${requestId} when reporting it.`, ...path, extensions: { code: "internal_error", status: 500 } };
  }
  return { message: err.message, ...path, extensions: { code: "invalid_request" } };
}

/** The query text: sent, or looked up by its persisted hash (and registered when both are sent). */
async function queryText(req: GraphQLRequest, ctx: GraphQLContext): Promise<{ text: string; register: string | null } | { missing: true } | { mismatch: true }> {
  const hash = req.extensions?.persistedQuery?.sha256Hash;
  if (req.query) {
    if (hash === undefined) return { text: req.query, register: null };
    return (await sha256Hex(req.query)) === hash ? { text: req.query, register: hash } : { mismatch: true };
  }
  if (hash === undefined) return { missing: true };
  const stored = await lookupPersisted(ctx.env.CACHE_KV, ctx.auth.tenantId, hash);
  return stored === null ? { missing: true } : { text: stored, register: null };
}

export async function runQuery(req: GraphQLRequest, ctx: GraphQLContext, requestId: string): Promise<GraphQLResponse> {
  const resolved = await queryText(req, ctx);
  if ("mismatch" in resolved) return requestError("PERSISTED_QUERY_HASH_MISMATCH", "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text.", requestId);
  if ("missing" in resolved) {
    if (req.extensions?.persistedQuery) return { status: 200, body: { errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] } };
    return requestError("invalid_request", "Send a GraphQL query (query=...) or a persisted query hash (extensions.persistedQuery).", requestId);
  }
  let document: DocumentNode;
  try {
    document = parse(resolved.text, { maxTokens: MAX_QUERY_TOKENS, noLocation: true });
  } catch (err) {
    return requestError("GRAPHQL_PARSE_FAILED", err instanceof GraphQLError ? err.message : "The query does not parse.", requestId);
  }
  const tooBig = sizeViolation(document);
  if (tooBig) return requestError("QUERY_TOO_COMPLEX", tooBig, requestId);
  const s = graphqlSchema();
  const invalid = validate(s, document, specifiedRules, { maxErrors: 10 });
  if (invalid.length > 0) return requestError("GRAPHQL_VALIDATION_FAILED", invalid.map((e) => e.message).join(" "), requestId);
  const op = getOperationAST(document, req.operationName ?? undefined);
  if (!op) return requestError("GRAPHQL_VALIDATION_FAILED", req.operationName ? `No operation named ${JSON.stringify(req.operationName)}.` : "Several operations: name one with operationName.", requestId);
  // The schema has no mutations; this also keeps a GET (a link, a prefetch) from ever writing.
  if (op.operation !== "query") return requestError("GRAPHQL_VALIDATION_FAILED", "Only queries are served.", requestId);
  const over = limitViolation(s, document, op, req.variables ?? {});
  if (over) return requestError("QUERY_TOO_COMPLEX", over, requestId);
  if (resolved.register) await registerPersisted(ctx.env.CACHE_KV, ctx.auth.tenantId, resolved.register, resolved.text);

  const result = await execute({ schema: s, document, rootValue, contextValue: ctx, variableValues: req.variables ?? {}, operationName: req.operationName ?? undefined });
  const errors = result.errors?.map((e) => fieldError(e, requestId));
  // No data at all = the request itself was refused (e.g. variables of the wrong type).
  if (!("data" in result) || result.data === undefined) return requestError(errors?.[0]?.extensions.code ?? "invalid_request", errors?.map((e) => e.message).join(" ") ?? "The request could not be executed.", requestId);
  return { status: 200, body: { data: result.data, ...(errors?.length ? { errors } : {}) } };
}
