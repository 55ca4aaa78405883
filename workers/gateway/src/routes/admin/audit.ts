import type { Hono } from "hono";
import type { AccessEnv } from "../../auth/access-env";
import { readAnchor } from "../../../../../shared/audit/anchor";
import { verifyAuditChain } from "../../../../../shared/audit/verify";

export function registerAuditRoutes(app: Hono<AccessEnv>): void {
  // 200 with ok:false on a broken chain: the check itself succeeded; the report says what broke.
  app.get("/audit/verify", async (c) => {
    const anchor = c.env.KEYS_KV ? await readAnchor(c.env.KEYS_KV) : null;
    return c.json(await verifyAuditChain(c.env.DB, anchor));
  });
}
