/**
 * Reads and validates a JSON request body: enforced size limit while streaming (a missing or
 * lying Content-Length cannot bypass it), strict UTF-8, JSON syntax, then the route's zod
 * schema. Each failure is a distinct, explained 4xx; nothing downstream sees a partial body.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { GatewayError } from "../../../../shared/errors";
import type { AppEnv } from "../app-env";

const DEFAULT_LIMIT = 4 * 1024 * 1024;
/**
 * JSON nested deeper than this is refused. No API body needs it, schemas pass unknown fields
 * through untouched, and recursive code downstream (canonical JSON for cache keys,
 * JSON.stringify for the upstream call) would overflow the stack on a 100,000-deep array.
 */
export const MAX_JSON_DEPTH = 64;
// Stateless between calls (no `stream: true`), so one decoder serves every request.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function bodyLimitBytes(env: { MAX_BODY_BYTES?: string }): number {
  const n = Number(env.MAX_BODY_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_LIMIT;
}

export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const header = request.headers.get("content-length");
  const declared = header === null ? NaN : Number(header);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  // A declared length within the limit is enforced by the runtime (a body cannot exceed its
  // Content-Length), so one native read suffices; only chunked bodies are counted as they come.
  if (Number.isFinite(declared)) return new Uint8Array(await request.arrayBuffer());
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader);
      throw tooLarge(limit);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Reads and drops the rest of an over-limit body before the 413 goes out. workerd closes a
 * keep-alive connection whose request body was cancelled half-read without telling the client
 * (no `Connection: close`; setting that header does not help), so the client's next request on
 * it fails: a reset, or under `wrangler dev` a plain-text 503 "worker restarted mid-request".
 * Reading after the response is sent is refused by the runtime, hence before. Bounded: past
 * DRAIN_MAX_BYTES or DRAIN_MAX_MS (a client that keeps sending) it is cancelled after all.
 */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((ok) => {
    timer = setTimeout(() => ok(null), DRAIN_MAX_MS);
  });
  try {
    for (let drained = 0; drained <= DRAIN_MAX_BYTES; ) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === null) break;
      if (next.done) return;
      drained += next.value.byteLength;
    }
    await reader.cancel().catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
}

export async function readJsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type");
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new GatewayError("unsupported_media_type", "Send the request body as JSON with Content-Type: application/json.");
  }
  // The body-limit middleware has already read and size-checked the bytes into Hono's cache.
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new GatewayError("invalid_request", "The request body is not valid UTF-8.", { code: "invalid_encoding" });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError("invalid_json", "The request body is not valid JSON.");
  }
  if (deeperThan(json, MAX_JSON_DEPTH)) {
    throw new GatewayError("invalid_request", `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`, { code: "too_deep" });
  }
  return parseWith(schema, json);
}

/** Iterative (a recursive walk would itself overflow on the bodies this exists to refuse). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[object, number]> = value !== null && typeof value === "object" ? [[value, 1]] : [];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child as object, depth + 1]);
    }
  }
  return false;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue && issue.path.length ? issue.path.map(String).join(".") : null;
  const message = issue ? `${param ? `${param}: ` : ""}${issue.message}` : "Invalid request body.";
  throw new GatewayError("invalid_request", message, { param });
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError("payload_too_large", `The request body exceeds the ${limit}-byte limit.`);
}
