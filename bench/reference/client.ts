/**
 * bench:reference's clients: the same traffic sent through the gateway for one tenant,
 * `concurrency` requests in flight, timed on the client side. Each answer is kept with what the
 * gateway said about it (tier, cache, cascade) so its correctness can be read off the row's labels.
 */
import type { SingleBar } from "cli-progress";
import { bearer } from "../../test/harness/seed";
import type { Stack } from "../../test/harness/stack";
import { bandOf, type Tenant } from "../replay/tenants";
import type { ServedAnswer } from "./escapes";
import type { Request } from "./traffic";

export interface Served extends ServedAnswer {
  latencyMs: number;
  requestId: string;
  /** x-cache: hit-exact, hit-semantic, miss, bypass. */
  cache: string | null;
  /** x-cascade, when the tenant drafts on the small tier. */
  cascade: string | null;
  /** The routing reason (x-route-reason before the band), e.g. low_confidence. */
  reason: string | null;
  /** x-route-complexity: the router's calibrated P(small answer worse than the frontier's). */
  complexity: number | null;
  /** The band the decision used and where it came from (static, quality_target, cold_start), from x-route-reason. */
  band: { below: number; source: string } | null;
}

interface ChatBody {
  model?: string;
  choices?: Array<{ message?: { content?: string | null } }>;
}

const tierOf = (model: string | undefined): Served["tier"] => (model === "small-sim" ? "small" : model === "frontier-sim" ? "frontier" : null);

const complexityOf = (v: string | null): number | null => (v === null || v === "" || Number.isNaN(Number(v)) ? null : Number(v));

async function ask(stack: Stack, tenant: Tenant, prompt: string, useCache: boolean): Promise<Served> {
  const extra: Record<string, string> = { "x-feature": "support-assistant" };
  if (!useCache) extra["cache-control"] = "no-cache, no-store";
  const started = performance.now();
  const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(tenant.service, extra), body: JSON.stringify({ model: tenant.model, messages: [{ role: "user", content: prompt }] }) });
  const body = (await res.json()) as ChatBody;
  return {
    status: res.status,
    content: body.choices?.[0]?.message?.content ?? "",
    tier: tierOf(body.model),
    latencyMs: performance.now() - started,
    requestId: res.headers.get("x-request-id") ?? "",
    cache: res.headers.get("x-cache"),
    cascade: res.headers.get("x-cascade"),
    reason: res.headers.get("x-route-reason")?.split(";")[0] ?? null,
    complexity: complexityOf(res.headers.get("x-route-complexity")),
    band: bandOf(res.headers.get("x-route-reason")),
  };
}

/** Every request in order of the traffic (results in the same order). */
export async function sendTraffic<T extends { prompt: string }>(stack: Stack, tenant: Tenant, traffic: ReadonlyArray<Request<T>>, o: { concurrency: number; useCache: boolean; bar: SingleBar }): Promise<Served[]> {
  const out = new Array<Served>(traffic.length);
  let next = 0;
  const lane = async () => {
    while (next < traffic.length) {
      const i = next++;
      out[i] = await ask(stack, tenant, traffic[i]!.row.prompt, o.useCache);
      o.bar.increment();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  return out;
}
