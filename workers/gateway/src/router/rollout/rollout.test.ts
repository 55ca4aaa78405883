import { describe, expect, it } from "vitest";
import { buildRouter } from "../router";
import { rollbackDecision, RolloutConfigSchema, type RolloutConfig } from "../../../../../shared/router-rollout/rollback";
import { assignArm, enforceRollback, routeWithRollout } from "./rollout";

const fixed = (complexity: number) => async () => ({ intentProbs: Float32Array.from([0.9, ...new Array(11).fill(0.1 / 11)]), complexity });
const control = buildRouter({ backend: fixed(0.6), modelVersion: "v1" });
const candidateSameModel = buildRouter({ backend: fixed(0.6), modelVersion: "v1" }, { bands: [{ below: 0.7, tier: "small" }] });
const req = { messages: [{ role: "user" as const, content: "hello" }] };

describe("canary assignment", () => {
  it("is deterministic per request id and close to the configured share", () => {
    const cfg = RolloutConfigSchema.parse({ mode: "canary", percent: 20 });
    expect(assignArm("req-42", cfg)).toBe(assignArm("req-42", cfg));
    const n = 5000;
    const hits = Array.from({ length: n }, (_, i) => assignArm(`req-${i}`, cfg)).filter((a) => a === "candidate").length;
    expect(hits / n).toBeGreaterThan(0.17);
    expect(hits / n).toBeLessThan(0.23);
    expect(assignArm("req-42", RolloutConfigSchema.parse({ mode: "shadow", percent: 100 }))).toBe("control");
  });
});

describe("routeWithRollout", () => {
  it("serves control and reports the candidate in shadow mode", async () => {
    const r = await routeWithRollout("r1", req, {}, control, candidateSameModel, RolloutConfigSchema.parse({ mode: "shadow" }));
    expect(r.decision.tier).toBe("frontier");
    expect(r.shadow?.tier).toBe("small");
    expect(r.arm).toBe("control");
  });

  it("serves the candidate for canary requests", async () => {
    const r = await routeWithRollout("r1", req, {}, control, candidateSameModel, RolloutConfigSchema.parse({ mode: "canary", percent: 100 }));
    expect(r).toMatchObject({ arm: "candidate", decision: { tier: "small" }, shadow: { tier: "frontier" } });
  });
});

describe("rollbackDecision", () => {
  const bounds = RolloutConfigSchema.parse({}).bounds;
  const base = { version: "v1", samples: 1000, meanJudgeScore: 0.8, meanCostUsd: 0.01 };
  it("waits for enough samples", () => {
    expect(rollbackDecision(base, { ...base, version: "v2", samples: 10, meanJudgeScore: 0.1 }, bounds).status).toBe("insufficient_data");
  });
  it("rolls back on a quality drop or a cost rise beyond the bounds, and not otherwise", () => {
    expect(rollbackDecision(base, { ...base, version: "v2", meanJudgeScore: 0.75 }, bounds).status).toBe("rollback");
    expect(rollbackDecision(base, { ...base, version: "v2", meanCostUsd: 0.012 }, bounds).status).toBe("rollback");
    expect(rollbackDecision(base, { ...base, version: "v2", meanJudgeScore: 0.79, meanCostUsd: 0.007 }, bounds)).toMatchObject({ status: "healthy", reasons: [] });
  });
  it("turns the candidate off in the state store", async () => {
    let state: RolloutConfig = RolloutConfigSchema.parse({ mode: "canary", percent: 10 });
    const store = { get: async () => state, put: async (c: RolloutConfig) => void (state = c) };
    await enforceRollback(store, rollbackDecision(base, { ...base, version: "v2", meanJudgeScore: 0.5 }, bounds));
    expect(state.mode).toBe("off");
  });
});

