import { describe, expect, it } from "vitest";
import { SHIPPED_EMBEDDER_ID } from "../embedder/local/shipped-embedder-id";
import { DEFAULT_LEXICAL_WEIGHT } from "../settings";
import { testEmbedder } from "../testing/test-embedder";
import { coldThresholdFor, MEASURED_COLD_THRESHOLDS, scorerId } from "./scorer";

describe("calibration scorers", () => {
  it("knows the shipped embedder's id without decoding it", () => {
    expect(testEmbedder().id).toBe(SHIPPED_EMBEDDER_ID);
  });

  it("measured a cold threshold for the shipped scorer only", () => {
    const shipped = scorerId(SHIPPED_EMBEDDER_ID, DEFAULT_LEXICAL_WEIGHT);
    expect(coldThresholdFor("auto", shipped)).toBe(MEASURED_COLD_THRESHOLDS.get(shipped));
    // Another lexical weight changes the score's scale: not measured, so exact hits only.
    expect(coldThresholdFor("auto", scorerId(SHIPPED_EMBEDDER_ID, 0.3))).toBeNull();
    expect(coldThresholdFor("auto", scorerId("workers-ai:@cf/baai/bge-base-en-v1.5", DEFAULT_LEXICAL_WEIGHT))).toBeNull();
    expect(coldThresholdFor("exact", shipped)).toBeNull();
    expect(coldThresholdFor(0.9, "anything")).toBe(0.9);
  });
});
