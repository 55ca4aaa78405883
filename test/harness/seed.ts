/** Seeds tenants and keys into a running stack's D1 through the gateway's own seeding code. */
import { seedTenant, type SeedTenantInput } from "../../workers/gateway/src/auth/seed-tenant";
import type { Stack } from "./stack";

export async function seedKey(stack: Stack, input: Partial<SeedTenantInput> & { tenantId?: string } = {}) {
  return seedTenant(stack.db, { name: input.name ?? "test-tenant", role: input.role ?? "service", ...input });
}

export const bearer = (key: string, extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${key}`,
  "content-type": "application/json",
  ...extra,
});
