/**
 * /v1/graphql: analytics over GraphQL (docs/graphql.md). POST takes the usual JSON body
 * `{query, variables, operationName, extensions}`; GET takes the same as query parameters
 * (variables and extensions as JSON text), which with a persisted-query hash makes a short,
 * repeatable URL. Who may call it is in auth/route-policies.ts (the roles that read usage);
 * what each field shows is decided by the same domain functions and masking as REST.
 */
import { Hono, type Context } from "hono";
import { GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";
import { parseWith, readJsonBody } from "../http/read-json-body";
import { GraphQLRequestSchema, runQuery, type GraphQLRequest, type GraphQLResponse } from "../graphql/run-query";

function jsonParam(url: URL, name: string): unknown {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new GatewayError("invalid_request", `${name}: not valid JSON.`, { param: name });
  }
}

function fromQueryString(c: Context<AppEnv>): GraphQLRequest {
  const url = new URL(c.req.url);
  return parseWith(GraphQLRequestSchema, {
    query: url.searchParams.get("query") ?? undefined,
    operationName: url.searchParams.get("operationName") ?? undefined,
    variables: jsonParam(url, "variables"),
    extensions: jsonParam(url, "extensions"),
  });
}

async function answer(c: Context<AppEnv>, req: GraphQLRequest): Promise<Response> {
  const res: GraphQLResponse = await runQuery(req, { auth: c.get("auth"), env: c.env }, c.get("requestId"));
  // Per-key answers: never stored by a shared cache.
  return c.json(res.body, res.status, { "cache-control": "private, no-store" });
}

export const graphqlRoutes = new Hono<AppEnv>()
  .get("/v1/graphql", (c) => answer(c, fromQueryString(c)))
  .post("/v1/graphql", async (c) => answer(c, await readJsonBody(c, GraphQLRequestSchema)));
