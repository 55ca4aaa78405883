import { describe, expect, it } from "vitest";
import { SHIPPED_EMBEDDER_ID } from "../embedder/local/shipped-embedder-id";
import { DEFAULT_LEXICAL_WEIGHT } from "../settings";
import { testEmbedder } from "../testing/test-embedder";
import { coldThresholdFor, MEASURED_COLD_THRESHOLDS, scorerId } from "./scorer";

describe("calibration scorers", () => {
  it("knows the shipped embedder's id without decoding it", () => {
    expect(testEmbedder().id).toBe(SHIPPED_EMBEDDER_ID);
  });

  it("starts the shipped scorer with exact hits only; a measured scorer keeps its threshold", () => {
    const shipped = scorerId(SHIPPED_EMBEDDER_ID, DEFAULT_LEXICAL_WEIGHT);
    expect(coldThresholdFor("auto", shipped)).toBeNull();
    expect(coldThresholdFor("auto", scorerId("local-glove72-avg-v28000", 0.45))).toBe(0.775);
    // Another lexical weight changes the score's scale: not measured, so exact hits only.
    expect(coldThresholdFor("auto", scorerId("local-glove72-avg-v28000", 0.3))).toBeNull();
    expect(coldThresholdFor("auto", scorerId("workers-ai:@cf/baai/bge-base-en-v1.5", DEFAULT_LEXICAL_WEIGHT))).toBeNull();
    expect(coldThresholdFor("exact", shipped)).toBeNull();
    expect(coldThresholdFor(0.9, "anything")).toBe(0.9);
    expect(MEASURED_COLD_THRESHOLDS.has(shipped)).toBe(false);
  });
});
