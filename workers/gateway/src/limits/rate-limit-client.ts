/**
 * How the middleware talks to the limiter: over RPC to the tenant's Durable Object in the
 * Worker, or to an in-process core in unit tests and benchmarks.
 */
import { TenantLimiterCore, type AdmitRequest, type AdmitResult, type SettleAdmission } from "./tenant-limiter-core";

export interface RateLimiterClient {
  admit(tenantId: string, req: AdmitRequest): Promise<AdmitResult>;
  settle(tenantId: string, req: SettleAdmission): Promise<void>;
}

interface LimiterStub {
  admit(req: AdmitRequest): Promise<AdmitResult>;
  settle(req: SettleAdmission): Promise<void>;
}

/** RPC client over the RATE_LIMITER namespace (structurally typed: every generated Env shape fits). */
export interface LimiterNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): unknown;
}

export function durableObjectClient(ns: LimiterNamespace): RateLimiterClient {
  const stub = (tenantId: string) => ns.get(ns.idFromName(tenantId)) as unknown as LimiterStub;
  return {
    admit: (tenantId, req) => stub(tenantId).admit(req),
    settle: (tenantId, req) => stub(tenantId).settle(req),
  };
}

/** The tenant limiter of a request's Worker environment. */
export const defaultLimiterClient = (c: { env: { RATE_LIMITER: LimiterNamespace } }): RateLimiterClient => durableObjectClient(c.env.RATE_LIMITER);

export function inMemoryClient(clock: () => number = Date.now): RateLimiterClient & { cores: Map<string, TenantLimiterCore> } {
  const cores = new Map<string, TenantLimiterCore>();
  const core = (t: string) => cores.get(t) ?? cores.set(t, new TenantLimiterCore()).get(t)!;
  return {
    cores,
    admit: async (t, req) => core(t).admit(req, clock()),
    settle: async (t, req) => core(t).settle(req, clock()),
  };
}
