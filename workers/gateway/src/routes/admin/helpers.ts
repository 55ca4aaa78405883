/** Shared plumbing of the admin handlers: body parsing, tenant access, audit anchoring. */
import type { Context } from "hono";
import type { z } from "zod";
import { GatewayError } from "../../../../../shared/errors";
import { runInBackground, type AccessEnv } from "../../auth/access-env";
import type { Grantor, Violation } from "../../auth/grants";
import { OPERATOR_SCOPE } from "../../auth/route-policies";
import { getKey, getTenant, type TenantRow } from "../../auth/repository";
import { anchorAuditHead } from "../../../../../shared/audit/anchor";
import { TenantIdSchema } from "./schemas";

type Ctx = Context<AccessEnv>;

export async function parseBody<S extends z.ZodType>(c: Ctx, schema: S, optional = false): Promise<z.infer<S>> {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim() !== "" || !optional) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayError("invalid_json", "The request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue && issue.path.length > 0 ? issue.path.join(".") : null;
    throw new GatewayError("invalid_request", issue?.message ?? "Invalid request body.", { param });
  }
  return parsed.data;
}

export const isOperator = (c: Ctx): boolean => c.get("auth").scopes.includes(OPERATOR_SCOPE);

/** The calling key as auth/grants.ts sees it. */
export const grantorOf = (c: Ctx): Grantor => ({ auth: c.get("auth"), operator: isOperator(c) });

/** The same, with the calling key's expiry: for routes that mint or manage keys. */
export async function keyGrantorOf(c: Ctx): Promise<Grantor> {
  const own = await getKey(c.env.DB, c.get("auth").tenantId, c.get("auth").keyId);
  return { ...grantorOf(c), expiresAt: own?.expires_at ?? null };
}

/** A grant rule's refusal as the wire's 403 (nothing has been written yet). */
export function refuse(v: Violation | null, param?: string): void {
  if (v) throw new GatewayError("forbidden", v.message, { param: param ?? v.param });
}

/**
 * Admin keys manage their own tenant; operators (`tenants:manage`) any tenant. Another
 * tenant's resources answer 404, not 403, so admins cannot probe which tenants exist.
 */
export async function requireTenant(c: Ctx, rawId: string | undefined): Promise<TenantRow> {
  const id = TenantIdSchema.safeParse(rawId);
  if (!id.success || (!isOperator(c) && id.data !== c.get("auth").tenantId)) throw new GatewayError("not_found", "Tenant not found.");
  const tenant = await getTenant(c.env.DB, id.data);
  if (!tenant) throw new GatewayError("not_found", "Tenant not found.");
  return tenant;
}

export function assertTenantAccess(c: Ctx, tenantId: string | null): asserts tenantId is string {
  if (tenantId === null || (!isOperator(c) && tenantId !== c.get("auth").tenantId)) throw new GatewayError("not_found", "Key not found.");
}

export const actorOf = (c: Ctx): string => c.get("auth").keyId;

/** Moves the KV anchor after a write, off the response path. */
export function anchorLater(c: Ctx, now: number): void {
  if (c.env.KEYS_KV) runInBackground(c, anchorAuditHead(c.env.DB, c.env.KEYS_KV, now));
}

/** The `<env>` part of new keys: "live" in production, else the ENVIRONMENT var (e.g. "local"). */
export function keyEnvOf(c: Ctx): string {
  const env = String(c.env.ENVIRONMENT ?? "dev");
  return env === "production" ? "live" : env;
}
