/**
 * How the middleware talks to the limiter: over RPC to the tenant's Durable Object in the
 * Worker, or to an in-process core in unit tests and benchmarks.
 */
import { RateLimiterCore, type ConsumeRequest, type ConsumeResult, type SettleRequest } from "./rate-limiter-core";

export interface RateLimiterClient {
  consume(tenantId: string, req: ConsumeRequest): Promise<ConsumeResult>;
  settle(tenantId: string, req: SettleRequest): Promise<void>;
}

interface LimiterStub {
  consume(req: ConsumeRequest): Promise<ConsumeResult>;
  settle(req: SettleRequest): Promise<void>;
}

/** RPC client over the RATE_LIMITER namespace (structurally typed: every generated Env shape fits). */
export interface LimiterNamespace {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): unknown;
}

export function durableObjectClient(ns: LimiterNamespace): RateLimiterClient {
  const stub = (tenantId: string) => ns.get(ns.idFromName(tenantId)) as unknown as LimiterStub;
  return {
    consume: (tenantId, req) => stub(tenantId).consume(req),
    settle: (tenantId, req) => stub(tenantId).settle(req),
  };
}

export function inMemoryClient(clock: () => number = Date.now): RateLimiterClient & { cores: Map<string, RateLimiterCore> } {
  const cores = new Map<string, RateLimiterCore>();
  const core = (t: string) => cores.get(t) ?? cores.set(t, new RateLimiterCore()).get(t)!;
  return {
    cores,
    consume: async (t, req) => core(t).consume(req, clock()),
    settle: async (t, req) => core(t).settle(req, clock()),
  };
}
