/**
 * The circuit breaker under injected faults, through the gateway in workerd (issue: a breaker
 * that opened on 5 consecutive calls turned a 50%-error upstream into an outage).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Transition } from "../../workers/gateway/src/router/attempts/circuit-breaker-state";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

let stack: Stack;
let key: string;

beforeAll(async () => {
  // Production's backoff (100 ms base) would make these hundreds of retries sleep real seconds;
  // the breaker counts calls, not time between them, so a 2 ms base asserts the same behaviour.
  stack = await startStack({ vars: { RETRY_BACKOFF_BASE_MS: "2" } });
  let tenantId: string;
  ({ key, tenantId } = await seedKey(stack));
  // The subject is the breaker, not the router: this tenant's auto requests all start on the
  // small tier, so an outage there is what auto traffic meets first.
  const { key: admin } = await seedKey(stack, { role: "admin", tenantId });
  const settings = { router: { bands: [{ below: 0.99, tier: "small" }], confidenceThreshold: 0 } };
  const put = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify(settings) });
  expect(put.status).toBe(200);
});
afterAll(async () => stack?.close());
afterEach(() => {
  stack.sim.setFaults({ model: "small-sim", reset: true });
  stack.sim.setFaults({ model: "frontier-sim", reset: true });
});

const chat = (model: string, content = "breaker probe") =>
  stack.fetch("/v1/chat/completions", {
    method: "POST",
    headers: bearer(key, { "cache-control": "no-cache, no-store" }),
    body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: "user", content }] }),
  });

async function statuses(n: number, concurrency: number, model: string): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < n) {
      const res = await chat(model, `breaker probe ${next}`);
      await res.arrayBuffer();
      out.push(res.status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

async function transitions(model: string): Promise<Transition[]> {
  const ns = await stack.mf.getDurableObjectNamespace("CIRCUIT_BREAKER", "llm-gateway");
  const stub = ns.get(ns.idFromName(model)) as unknown as { transitions(): Promise<Transition[]> };
  return stub.transitions();
}

const share = (xs: number[]) => xs.filter((s) => s === 200).length / xs.length;

// The simulator draws its errors at random: thresholds sit several standard deviations below
// the expected share (87.5% for three tries at 50%; ~98% with a second tier to fall back on).
describe("circuit breaker under a flaky upstream", () => {
  it("keeps explicit small-sim requests at what retries give when it fails half its calls", async () => {
    stack.sim.setFaults({ model: "small-sim", errorRate: 0.5, errorStatus: 503 });
    const got = await statuses(40, 1, "small-sim");
    expect(share(got)).toBeGreaterThanOrEqual(0.6);
    expect(await transitions("small-sim")).toEqual([]);
  });

  it("keeps auto requests answered when every tier fails half its calls", async () => {
    stack.sim.setFaults({ model: "small-sim", errorRate: 0.5, errorStatus: 500 });
    stack.sim.setFaults({ model: "frontier-sim", errorRate: 0.5, errorStatus: 500 });
    const got = await statuses(60, 6, "auto");
    expect(share(got)).toBeGreaterThanOrEqual(0.85);
  });

  it("opens on an outage, skips the model while open, and never fails a request with nowhere else to go", { timeout: 60_000 }, async () => {
    stack.sim.setFaults({ model: "small-sim", failNext: 10_000, failStatus: 503 });
    const smallCalls = () => stack.sim.requests().filter((r) => (r.body as { model?: string }).model === "small-sim").length;
    // Earlier tests' successes are still in the window: the share of failures has to catch up, or
    // those outcomes leave the breaker's 10 s window (bounded by time, not by count: with the
    // short test backoff requests are fast, and how many it takes depends on the earlier tests).
    const sent: number[] = [];
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await transitions("small-sim")).at(-1)?.to !== "open") sent.push(...(await statuses(5, 1, "auto")));
    expect(share(sent)).toBe(1);
    expect((await transitions("small-sim")).at(-1)).toMatchObject({ from: "closed", to: "open" });
    // The simulator keeps only its last 100 requests: start counting from an empty log.
    await fetch(`${stack.sim.url}/_sim/requests`, { method: "DELETE" });
    const before = smallCalls();
    const res = await chat("auto");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-upstream")).toBe("openai-compatible:frontier-sim");
    expect(smallCalls()).toBe(before);
    // The outage ends while the circuit is still open: a request that may only use small-sim
    // gets one call (no retries) instead of a 503 from a breaker with nothing to fall back to.
    stack.sim.setFaults({ model: "small-sim", reset: true });
    const explicit = await chat("small-sim");
    expect(explicit.status).toBe(200);
    expect(smallCalls()).toBe(before + 1);
  });
});
