/**
 * The admin API, mounted by the app at /admin/v1 behind auth() + authorize(): every route here
 * has a row in auth/route-policies.ts (admin role; tenant creation/listing and audit
 * verification also need the operator scope `tenants:manage`). Every write is one D1 batch
 * with its audit row. See docs/access-control.md for curl examples.
 */
import { Hono } from "hono";
import type { AccessEnv } from "../../auth/access-env";
import { registerAuditRoutes } from "./audit";
import { registerKeyRoutes } from "./keys";
import { registerSettingsRoutes } from "./settings";
import { registerTenantRoutes } from "./tenants";

export const ADMIN_MOUNT = "/admin/v1";

export const adminRoutes = new Hono<AccessEnv>();
registerTenantRoutes(adminRoutes);
registerKeyRoutes(adminRoutes);
registerSettingsRoutes(adminRoutes);
registerAuditRoutes(adminRoutes);
