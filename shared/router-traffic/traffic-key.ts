/**
 * KV keys of the routed-traffic summaries: the evaluator's hourly job writes them
 * (workers/evaluator/src/router-traffic/), the gateway reads them (router/quality-target/traffic-store.ts).
 */

/** The tenant's whole traffic (every feature, and none). */
export const ALL_SCOPE = "all";
/** One feature's traffic; requests without a feature are the scope "none" (the ledger stores them as ''). */
export const featureScope = (feature: string | null): string => (feature === null || feature === "" ? "none" : `f:${feature}`);
export const trafficKey = (tenantId: string, scope: string): string => `router-traffic:v1:${tenantId}:${scope}`;
