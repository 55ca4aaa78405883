import type { Context } from "hono";
import { describe, expect, it, vi } from "vitest";
import { unitDraw } from "../../../../shared/hash/unit-draw";
import { RouterSettingsSchema } from "../router/settings";
import { UsageEventSchema } from "../../../../shared/schemas/usage-event";
import { isSampled } from "../../../evaluator/src/judge/config";
import { buildChatEvent, type ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import { DEFAULT_OUTPUT_TOKENS } from "../limits/estimate";
import { SHADOW_SKIPPED, SHADOW_SKIPPED_STATUS, planShadows, runShadow, shadowAfterServed, shadowBudget, shadowEstimateUsd, shadowRate, shadowRequest, type ShadowAdmission, type ShadowPlan, type ShadowPlans } from "./shadow-tier";
import { exchange, keep, registry, run, upstream } from "./testing/shadow-fixtures";

const settings = (extra: Record<string, unknown> = {}) => RouterSettingsSchema.parse(extra);
const limits = { models: null, tiers: null };
const auto = { kind: "auto" } as const;
// These tests are about the call, not its budget (shadow-tier-budget.test.ts): every shadow is admitted.
const granted: ShadowAdmission = async () => ({ ok: true, settle: async () => undefined });

const small = registry.model("small-sim") ?? null;
const targeted = (extra: Record<string, unknown> = {}) => settings({ shadowSmallRate: 1, qualityTarget: 0.95, ...extra });
const plansOf = (ex: ChatExchange, s: ReturnType<typeof settings>, lim: typeof limits | { models: null; tiers: string[] } = limits) =>
  planShadows(ex, auto, s, undefined, registry, lim);

describe("shadow calls: who gets one", () => {
  it("draws like the evaluator's judge sampling, so at a judge rate >= the shadow rate every shadow is judged", () => {
    const sampling = { default: 0.3, rules: [] };
    for (const id of ["req_a", "req_b", "3f0c9a", "req_shadow_1"]) {
      const drawn = planShadows(exchange(id), auto, settings({ shadowSmallRate: 0.3 }), undefined, registry, limits) !== null;
      expect(drawn).toBe(isSampled(sampling, id, "ten_a", "support"));
      expect(drawn).toBe(unitDraw(id) < 0.3);
    }
  });

  it("takes the tenant's rate over the deployment's, 0 opting out; an unset or bad var means off", () => {
    expect(shadowRate(settings(), "0.02")).toBe(0.02);
    expect(shadowRate(settings({ shadowSmallRate: 0 }), "0.02")).toBe(0);
    expect(shadowRate(settings({ shadowSmallRate: 0.5 }), undefined)).toBe(0.5);
    expect(shadowRate(settings(), undefined)).toBe(0);
    expect(shadowRate(settings(), "lots")).toBe(0);
    expect(() => settings({ shadowSmallRate: 1.5 })).toThrow();
  });

  it("plans the small shadow only for drawn, router-decided requests a key may send there", () => {
    const ex = exchange();
    const plans = plansOf(ex, settings({ shadowSmallRate: 1 }));
    expect(plans?.small?.tier).toBe("small");
    expect(plans?.small?.attempts.every((a) => a.tier === "small")).toBe(true);
    expect(planShadows(ex, auto, settings({ shadowSmallRate: 0 }), "1", registry, limits)).toBeNull();
    expect(plansOf(ex, settings({ shadowSmallRate: 1, enabled: false }))).toBeNull();
    expect(planShadows(ex, { kind: "tier", tier: "frontier" }, settings({ shadowSmallRate: 1 }), undefined, registry, limits)).toBeNull();
    expect(plansOf(ex, settings({ shadowSmallRate: 1 }), { models: null, tiers: ["frontier"] })).toBeNull();
    // A rate below the request's draw leaves it alone.
    expect(plansOf(ex, settings({ shadowSmallRate: unitDraw(ex.requestId) }))).toBeNull();
  });

  it("plans the frontier shadow only under a quality target, on the same draw, unless the tenant opts out", () => {
    const ex = exchange();
    expect(plansOf(ex, targeted())?.frontier?.tier).toBe("frontier");
    expect(plansOf(ex, targeted())?.frontier?.attempts.every((a) => a.tier === "frontier")).toBe(true);
    // No target: nothing reads the pair, so no frontier call is paid for.
    expect(plansOf(ex, settings({ shadowSmallRate: 1 }))?.frontier).toBeNull();
    expect(plansOf(ex, targeted({ qualityTarget: null }))?.frontier).toBeNull();
    // A target set for this feature only counts; another feature's does not.
    expect(plansOf(ex, settings({ shadowSmallRate: 1, perFeature: { support: { qualityTarget: 0.9 } } }))?.frontier?.tier).toBe("frontier");
    expect(plansOf(ex, settings({ shadowSmallRate: 1, perFeature: { billing: { qualityTarget: 0.9 } } }))?.frontier).toBeNull();
    expect(plansOf(ex, targeted({ shadowFrontier: false }))?.frontier).toBeNull();
    expect(plansOf(ex, targeted({ shadowFrontier: false }))?.small?.tier).toBe("small");
    // Same draw and rate as the small shadow: both or neither.
    expect(plansOf(ex, targeted({ shadowSmallRate: unitDraw(ex.requestId) }))).toBeNull();
    expect(plansOf(ex, targeted({ shadowSmallRate: 0 }))).toBeNull();
    // A key that may not use the frontier gets no frontier shadow.
    expect(plansOf(ex, targeted(), { models: null, tiers: ["small"] })).toMatchObject({ frontier: null, small: { tier: "small" } });
  });

  it("starts after the served answer was published, on the tier that did not serve, once; never for a failed answer or a cache hit", () => {
    const plans = { cheapest: "small", small: { tier: "small", attempts: [] }, frontier: { tier: "frontier", attempts: [] } } satisfies ShadowPlans;
    const log: string[] = [];
    const ok: ExchangeResult = { status: 200, errorCode: null, usage: null, costUsd: 0.01, completedAt: 2_000, ttftMs: null, answer: "Done." };
    const served = (ex: ChatExchange, p: ShadowPlans | null, r: ExchangeResult): void =>
      shadowAfterServed(ex, p, () => log.push("published"), (plan) => log.push(`shadow:${plan.tier}`))(r);
    served(exchange(), plans, ok);
    expect(log).toEqual(["published", "shadow:small"]);
    log.length = 0;
    served({ ...exchange(), answeredBy: small }, plans, ok);
    expect(log).toEqual(["published", "shadow:frontier"]);
    log.length = 0;
    served({ ...exchange(), answeredBy: small }, { ...plans, frontier: null }, ok);
    served(exchange(), { ...plans, small: null }, ok);
    served(exchange(), plans, { ...ok, status: 502, answer: null });
    served({ ...exchange(), cache: "hit-exact" }, plans, ok);
    served(exchange(), null, ok);
    expect(log).toEqual(["published", "published", "published", "published", "published"]);
  });

  it("lets a shadow write twice what the served answer wrote (at least the estimate's figure), so long answers are not cut off", () => {
    const plans = { cheapest: "small", small: { tier: "small", attempts: [] }, frontier: { tier: "frontier", attempts: [] } } satisfies ShadowPlans;
    const caps: Array<number | undefined> = [];
    const usage = (output: number) => ({ input: { total: 50, cached: 0 }, output: { total: output, reasoning: 0 }, source: "upstream" as const });
    const ok = (output: number | null): ExchangeResult => ({ status: 200, errorCode: null, usage: output === null ? null : usage(output), costUsd: 0.01, completedAt: 2_000, ttftMs: null, answer: "Done." });
    for (const output of [1_500, 40, null]) shadowAfterServed({ ...exchange(), answeredBy: small }, plans, () => undefined, (plan) => caps.push(plan.outputCap))(ok(output));
    expect(caps).toEqual([3_000, DEFAULT_OUTPUT_TOKENS, DEFAULT_OUTPUT_TOKENS]);
    const ex = exchange();
    expect(shadowRequest(ex.request, 3_000)).toMatchObject({ max_completion_tokens: 3_000 });
    expect(shadowRequest({ ...ex.request, max_tokens: 40 }, 3_000)).not.toHaveProperty("max_completion_tokens");
  });
});

describe("shadow calls: the call", () => {
  it("asks the small tier the redacted request, whole, and publishes a billed <id>:shadow event pointing at its request", async () => {
    const ex = exchange();
    const plan = plansOf(ex, settings({ shadowSmallRate: 1 }))?.small as ShadowPlan;
    const up = upstream("I will send <EMAIL_ADDRESS_1> the policy.");
    const out: Array<{ shadowEx: ChatExchange; r: ExchangeResult }> = [];
    await runShadow(ex, plan, registry, run(up.fetch), (shadowEx, r) => out.push({ shadowEx, r }), granted, keep, () => 5_000);
    expect(JSON.stringify(up.calls)).not.toContain("ana.lopez");
    expect(up.calls[0]).toMatchObject({ messages: [{ role: "user", content: "Mail <EMAIL_ADDRESS_1> the refund policy." }], stream: false });
    expect(up.calls[0]).not.toHaveProperty("stream_options");
    expect(out).toHaveLength(1);
    const event = buildChatEvent(out[0]!.shadowEx, out[0]!.r);
    expect(event).toMatchObject({ requestId: "req_shadow_1:shadow", tenantId: "ten_a", feature: "support", tier: "small", status: 200, stream: false, decisions: { shadowOf: "req_shadow_1" } });
    expect(event.costUsd).toBeGreaterThan(0);
    expect(event.content?.response).toBe("I will send <EMAIL_ADDRESS_1> the policy.");
    expect(JSON.stringify(event)).not.toContain("ana.lopez");
    // The served request's trace facts stay its own.
    expect(ex.decisions).toEqual({ route: { tier: "frontier", complexity: 0.6 } });
  });

  it("asks the frontier for a small-served answer and bills that call, at the frontier's price, to the request", async () => {
    const ex: ChatExchange = { ...exchange("req_small_1"), answeredBy: small, decisions: { route: { tier: "small", complexity: 0.1 } } };
    const plans = plansOf(ex, targeted());
    const up = upstream("I will send <EMAIL_ADDRESS_1> the refund policy today.");
    const out: Array<{ shadowEx: ChatExchange; r: ExchangeResult }> = [];
    await runShadow(ex, plans!.frontier!, registry, run(up.fetch), (shadowEx, r) => out.push({ shadowEx, r }), granted, keep, () => 5_000);
    expect(up.calls).toHaveLength(1);
    expect(JSON.stringify(up.calls)).not.toContain("ana.lopez");
    const event = buildChatEvent(out[0]!.shadowEx, out[0]!.r);
    expect(event).toMatchObject({ requestId: "req_small_1:shadow", tier: "frontier", model: "frontier-sim", decisions: { shadowOf: "req_small_1" } });
    // The same usage priced on the small tier costs less: the event carries the frontier's price.
    const smallOut: Array<{ shadowEx: ChatExchange; r: ExchangeResult }> = [];
    await runShadow(exchange("req_small_2"), plans!.small!, registry, run(upstream("I will send <EMAIL_ADDRESS_1> the refund policy today.").fetch), (shadowEx, r) => smallOut.push({ shadowEx, r }), granted, keep);
    expect(event.costUsd).toBeGreaterThan(buildChatEvent(smallOut[0]!.shadowEx, smallOut[0]!.r).costUsd);
  });

  it("caps an uncapped shadow at the output its budget estimate assumed; a client's cap is kept", async () => {
    const ex = exchange();
    const plan = plansOf(ex, settings({ shadowSmallRate: 1 }))?.small as ShadowPlan;
    const up = upstream("Sent.");
    await runShadow(ex, plan, registry, run(up.fetch), () => undefined, granted, keep);
    expect(up.calls[0]).toMatchObject({ max_completion_tokens: DEFAULT_OUTPUT_TOKENS });
    // The reservation is priced on that very cap: the same figure as an explicit cap of that size.
    const uncapped = shadowEstimateUsd(registry, ex.auth, plan, shadowRequest(ex.request));
    expect(uncapped).toBe(shadowEstimateUsd(registry, ex.auth, plan, shadowRequest({ ...ex.request, max_completion_tokens: DEFAULT_OUTPUT_TOKENS })));
    expect(uncapped).toBeLessThan(shadowEstimateUsd(registry, ex.auth, plan, shadowRequest({ ...ex.request, max_tokens: 4 * DEFAULT_OUTPUT_TOKENS })));
    expect(shadowRequest({ ...ex.request, max_tokens: 40 })).toMatchObject({ max_tokens: 40 });
    expect(shadowRequest({ ...ex.request, max_tokens: 40 })).not.toHaveProperty("max_completion_tokens");
  });

  it("never throws: an admission (or its estimate) that throws before it returns is a skipped shadow", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const ex = exchange();
    const plan = plansOf(ex, settings({ shadowSmallRate: 1 }))?.small as ShadowPlan;
    const up = upstream("Sent.");
    const throwing: ShadowAdmission = () => {
      throw new Error("estimate failed");
    };
    await expect(runShadow(ex, plan, registry, run(up.fetch), () => undefined, throwing, keep)).resolves.toBeUndefined();
    expect(up.calls).toEqual([]);
    // shadowBudget's own estimate failing is a rejected promise, not a throw.
    const broken = new Proxy(registry, { get: () => { throw new Error("registry unreadable"); } });
    const admit = shadowBudget({} as Context, ex, broken);
    let pending: Promise<unknown> | null = null;
    expect(() => (pending = admit(plan, shadowRequest(ex.request)))).not.toThrow();
    await expect(pending).rejects.toThrow("registry unreadable");
    expect(warn.mock.calls.map((c) => JSON.parse(String(c[0])) as { msg: string; reason: string })).toEqual([expect.objectContaining({ msg: "shadow skipped", reason: "budget_unavailable" })]);
    warn.mockRestore();
  });

  it("publishes a skip marker when the small tier fails: <id>:shadow with no answer, nothing billed, the attempt on record", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const ex = exchange();
    const plan = plansOf(ex, settings({ shadowSmallRate: 1 }))?.small as ShadowPlan;
    const out: Array<{ shadowEx: ChatExchange; r: ExchangeResult }> = [];
    await expect(runShadow(ex, plan, registry, run(upstream(null).fetch), (shadowEx, r) => out.push({ shadowEx, r }), granted, keep, () => 7_000)).resolves.toBeUndefined();
    expect(out).toHaveLength(1);
    const event = UsageEventSchema.parse(buildChatEvent(out[0]!.shadowEx, out[0]!.r));
    expect(event).toMatchObject({
      requestId: "req_shadow_1:shadow", tier: "small", status: SHADOW_SKIPPED_STATUS, errorCode: SHADOW_SKIPPED, costUsd: 0, completedAt: 7_000,
      usage: { source: "none" }, decisions: { shadowOf: "req_shadow_1", shadowSkipped: "call_failed" },
    });
    expect(event).not.toHaveProperty("content");
    expect(event.attempts.length).toBeGreaterThan(0);
    vi.restoreAllMocks();
  });

  it("never records a shadow that ran as a skip: a failure to publish it after the call is logged, the call settled at its cost (review s12-a finding 7)", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ex = exchange();
    const plan = plansOf(ex, settings({ shadowSmallRate: 1 }))?.small as ShadowPlan;
    const settled: number[] = [];
    const admit: ShadowAdmission = async () => ({ ok: true, settle: async (usd: number) => void settled.push(usd) });
    const seen: ExchangeResult[] = [];
    // Publishing throws after the call answered: the one event seen is the real one, no marker follows.
    const up = upstream("Sent.");
    const throwing = (_: ChatExchange, r: ExchangeResult): void => {
      seen.push(r);
      throw new Error("queue full");
    };
    await expect(runShadow(ex, plan, registry, run(up.fetch), throwing, admit, keep)).resolves.toBeUndefined();
    expect(up.calls).toHaveLength(1);
    expect(seen.map((r) => r.status)).toEqual([200]);
    expect(settled).toEqual([seen[0]!.costUsd]);
    expect(settled[0]).toBeGreaterThan(0);
    expect(error).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });

  it("publishes a skip marker for a frontier shadow its admission refused, without calling anyone", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const ex: ChatExchange = { ...exchange("req_small_3"), answeredBy: small, decisions: { route: { tier: "small", complexity: 0.1 } } };
    const up = upstream("Sent.");
    const refused: ShadowAdmission = async () => ({ ok: false, reason: "budget_exceeded", budget: "tenant" });
    const out: ExchangeResult[] = [];
    const events: ReturnType<typeof buildChatEvent>[] = [];
    await runShadow(ex, plansOf(ex, targeted())!.frontier!, registry, run(up.fetch), (shadowEx, r) => void (out.push(r), events.push(buildChatEvent(shadowEx, r))), refused, keep, () => 9_000);
    expect(up.calls).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ requestId: "req_small_3:shadow", tier: "frontier", status: SHADOW_SKIPPED_STATUS, costUsd: 0, attempts: [], decisions: { shadowOf: "req_small_3", shadowSkipped: "budget_exceeded" } })]);
    expect(out[0]!.answer).toBeNull();
    vi.restoreAllMocks();
  });

  it("never throws when a skip marker's own publish fails, after a failed call or a refused admission (review s12-c)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ex = exchange();
    const plan = planShadows(ex, auto, settings({ shadowSmallRate: 1 }), undefined, registry, limits)?.small as ShadowPlan;
    const throwing = (): void => {
      throw new Error("queue full");
    };
    const refused: ShadowAdmission = async () => ({ ok: false, reason: "budget_exceeded", budget: "tenant" });
    await expect(runShadow(ex, plan, registry, run(upstream(null).fetch), throwing, granted, keep)).resolves.toBeUndefined();
    await expect(runShadow(ex, plan, registry, run(upstream("unused").fetch), throwing, refused, keep)).resolves.toBeUndefined();
    expect(logged.mock.calls.filter(([line]) => String(line).includes("shadow marker not published"))).toHaveLength(2);
    vi.restoreAllMocks();
  });
});
