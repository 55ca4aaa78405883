/**
 * The OpenAPI 3.1 document, generated from the catalogue's zod schemas with zod 4's own
 * `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Input shapes
 * (`io: "input"`): what a client may send, before defaults and transforms. Who may call each
 * operation comes from the route policies (`x-roles`, `x-required-scope`). Built once per
 * isolate, on the first request for it.
 */
import { z } from "zod";
import { ERROR_KINDS } from "../../../../shared/errors";
import { policyForPattern } from "../auth/route-policies";
import { OPERATIONS, type Operation } from "./catalogue";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
};

/** OpenAI's error envelope, as shared/errors.ts builds it. */
const ErrorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.enum([...new Set(Object.values(ERROR_KINDS).map((k) => k.type))] as [string, ...string[]]),
    code: z.string().nullable(),
    param: z.string().nullable(),
  }),
});

export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function parameters(op: Operation): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [name, schema] of Object.entries(op.params ?? {})) out.push({ name, in: "path", required: true, schema: toSchema(schema) });
  if (op.query) {
    const q = toSchema(op.query);
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties as Record<string, JsonSchema> | undefined) ?? {})) out.push({ name, in: "query", required: required.has(name), schema });
  }
  return out;
}

function operation(op: Operation): JsonSchema {
  const policy = policyForPattern(op.method, op.path);
  const isPublic = policy?.roles === "public" || op.path === "/openapi.json";
  const type = op.responseType ?? "application/json";
  const success = { description: "OK", content: { [type]: op.response ? { schema: toSchema(op.response) } : {} } };
  const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
  return {
    operationId: `${op.method.toLowerCase()}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: op.summary,
    tags: [op.tag],
    ...(isPublic ? { security: [] } : {}),
    ...(policy && policy.roles !== "public" ? { "x-roles": policy.roles } : {}),
    ...(policy?.scope ? { "x-required-scope": policy.scope } : {}),
    ...(op.params || op.query ? { parameters: parameters(op) } : {}),
    ...(op.body ? { requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: toSchema(op.body) } } } } : {}),
    responses: {
      [String(op.status ?? 200)]: success,
      "400": error("Invalid request"),
      ...(isPublic ? {} : { "401": error("Missing or invalid API key"), "403": error("This key may not call this operation") }),
      "429": error("Rate limit or budget exceeded"),
      default: error("Error (OpenAI shape)"),
    },
  };
}

export function buildOpenApi(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Edge LLM gateway",
      version: "0.1.0",
      description: "OpenAI-compatible gateway: PII redaction, injection screening, exact/semantic cache, learned routing, evaluation. Admin API under /admin/v1.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    tags: [{ name: "OpenAI-compatible" }, { name: "Gateway" }, { name: "Admin" }, { name: "Operations" }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A gateway API key (gw_...); /metrics also takes the METRICS_TOKEN." } },
      schemas: { Error: toSchema(ErrorBodySchema) },
    },
  };
}

let cached: string | null = null;

/** The document as JSON text (built on first use; the catalogue is static). */
export function openApiJson(): string {
  cached ??= JSON.stringify(buildOpenApi());
  return cached;
}
