/**
 * The real RateLimiter Durable Object inside workerd (Miniflare): two separate Workers (think
 * two isolates or colos) share one tenant's counters, because both reach the same object.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ENTRY = `
export { RateLimiter } from "./rate-limiter";
import { durableObjectClient } from "./rate-limit-client";
export default {
  async fetch(request, env) {
    const { tenant, req, settle } = await request.json();
    const client = durableObjectClient(env.RATE_LIMITER);
    if (settle) { await client.settle(tenant, settle); return Response.json({ ok: true }); }
    const admitted = await client.admit(tenant, req);
    return Response.json(req.budget ? admitted.budget : admitted.rate);
  },
};`;

let mf: Miniflare;

beforeAll(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: import.meta.dirname, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external: ["cloudflare:workers"],
    write: false,
  });
  const script = out.outputFiles[0]!.text;
  const common = { modules: true, script, compatibilityDate: "2026-04-01" };
  mf = new Miniflare({
    workers: [
      { ...common, name: "limiter", durableObjects: { RATE_LIMITER: "RateLimiter" } },
      { ...common, name: "isolate-a", durableObjects: { RATE_LIMITER: { className: "RateLimiter", scriptName: "limiter" } } },
      { ...common, name: "isolate-b", durableObjects: { RATE_LIMITER: { className: "RateLimiter", scriptName: "limiter" } } },
    ],
  });
  await mf.ready;
});
afterAll(() => mf?.dispose());

async function consume(worker: string, tenant: string, limit: number): Promise<{ ok: boolean; retryAfterSeconds?: number }> {
  const w = await mf.getWorker(worker);
  const res = await w.fetch("http://x/", { method: "POST", body: JSON.stringify({ tenant, req: { rate: { checks: [{ id: "tenant:req", limitPerMinute: limit, cost: 1 }] } } }) });
  return (await res.json()) as { ok: boolean; retryAfterSeconds?: number };
}

describe("RateLimiter Durable Object (workerd)", () => {
  it("enforces one tenant limit across two Workers and keeps tenants apart", async () => {
    const results: boolean[] = [];
    for (const w of ["isolate-a", "isolate-b", "isolate-a", "isolate-b", "isolate-a"]) results.push((await consume(w, "ten_x", 5)).ok);
    expect(results).toEqual([true, true, true, true, true]);
    expect(await consume("isolate-b", "ten_x", 5)).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
    expect(await consume("isolate-a", "ten_x", 5)).toMatchObject({ ok: false });
    expect((await consume("isolate-b", "ten_y", 5)).ok).toBe(true);
  });

  it("rejects malformed RPC input instead of corrupting state", async () => {
    const w = await mf.getWorker("isolate-a");
    const bad = JSON.stringify({ tenant: "t", req: { rate: { checks: [{ id: "", limitPerMinute: -1, cost: 1 }] } } });
    // Miniflare surfaces the Worker's uncaught ZodError either as a rejection or a 500.
    const status = await w.fetch("http://x/", { method: "POST", body: bad }).then((r) => r.status, () => 500);
    expect(status).toBe(500);
    expect((await consume("isolate-a", "t", 1)).ok).toBe(true);
  });
});
