import { afterEach, describe, expect, it } from "vitest";
import { DRAFT_FEATURES, DRAFT_FEATURES_VERSION } from "./draft-features";
import { parseVerifierModel, pWrong, setVerifierSource, shippedVerifier, topSignals, verifierFor, type VerifierModel } from "./verifier-model";

const model = (weights: number[], bias = 0): VerifierModel =>
  parseVerifierModel({ name: "cascade-verifier", version: "t", featuresVersion: DRAFT_FEATURES_VERSION, features: [...DRAFT_FEATURES], bias, weights, threshold: 0.4 });

afterEach(() => setVerifierSource(null));

describe("verifier model", () => {
  it("ships a model trained on this code's features, with a threshold in (0, 1)", () => {
    const m = shippedVerifier();
    expect(m.features).toEqual([...DRAFT_FEATURES]);
    expect(m.threshold).toBeGreaterThan(0);
    expect(m.threshold).toBeLessThan(1);
    // The router's prior enters as an offset for drafts the verifier cannot read.
    expect(m.weights[DRAFT_FEATURES.indexOf("other_prior_logit")]).toBe(1);
  });

  it("rejects a file trained on other features", () => {
    expect(() => parseVerifierModel({ ...shippedVerifier(), featuresVersion: "draft-features-0" })).toThrow(/cascade:train/);
    expect(() => parseVerifierModel({ ...shippedVerifier(), weights: [1, 2] })).toThrow();
  });

  it("scores by the logistic of the weighted signals and names the strongest", () => {
    const w = DRAFT_FEATURES.map((f) => (f === "arith_wrong" ? 3 : f === "hedging" ? 0.5 : 0));
    const x = DRAFT_FEATURES.map((f) => (f === "arith_wrong" || f === "hedging" ? 1 : 0));
    expect(pWrong(model(w, -1), x)).toBeCloseTo(1 / (1 + Math.exp(-2.5)));
    expect(topSignals(model(w), x)).toEqual(["arith_wrong", "hedging"]);
  });

  it("serves the shipped model unless a bench build installs a per-prompt source", () => {
    expect(verifierFor("any prompt")).toBe(shippedVerifier());
    const other = model(DRAFT_FEATURES.map(() => 0));
    setVerifierSource((prompt) => (prompt === "mine" ? other : shippedVerifier()));
    expect(verifierFor("mine")).toBe(other);
    expect(verifierFor("yours")).toBe(shippedVerifier());
  });
});
