/**
 * Test scaffolding: a Hono app with the same error contract as the lead's error handler
 * (GatewayError -> OpenAI JSON, anything else -> bare 500), an in-memory KV, and env bindings.
 */
import { Hono } from "hono";
import { errorBody, internalErrorBody, isGatewayError } from "../../../../../shared/errors";
import type { AccessEnv } from "../access-env";
import { createTestDb } from "./sqlite-d1";

export class MemoryKV {
  readonly data = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.data.get(key) ?? null;
  }
  async put(key: string, value: string): Promise<void> {
    this.data.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

export function createTestApp(): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  app.onError((err, c) => {
    if (isGatewayError(err)) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
      return c.json(errorBody(err, "req_test"), err.status as 400);
    }
    return c.json(internalErrorBody("req_test"), 500);
  });
  return app;
}

export function createTestEnv(extra: Record<string, unknown> = {}) {
  const { db, raw } = createTestDb();
  const kv = new MemoryKV();
  const env = { DB: db, KEYS_KV: kv as unknown as KVNamespace, ENVIRONMENT: "local", ...extra };
  return { db, raw, kv, env };
}
