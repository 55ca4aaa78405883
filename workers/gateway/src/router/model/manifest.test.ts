import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEATURE_DIM } from "../features/featurize";
import manifestJson from "./manifest.json";
import { featureSpecHash, RouterManifestSchema } from "./manifest";
import { winProbability } from "../quality-target/win-curve";

describe("shipped router model", () => {
  it("has a manifest that matches the file and the feature code", async () => {
    const m = RouterManifestSchema.parse(manifestJson);
    const bytes = readFileSync(new URL("./router.onnx", import.meta.url));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(m.onnxSha256);
    expect(bytes.byteLength).toBe(m.sizeBytes);
    expect(bytes.byteLength).toBeLessThanOrEqual(1_000_000);
    expect(m.featureSpecHash).toBe(await featureSpecHash());
    expect(m.featureDim).toBe(FEATURE_DIM);
    expect(m.training.corpusSha256).toBe(createHash("sha256").update(readFileSync("data/router/corpus.jsonl")).digest("hex"));
  });

  it("carries the win curve the quality target's net loss credits, below complexity wherever traffic sits", () => {
    const m = RouterManifestSchema.parse(manifestJson);
    expect(m.winCurve).toBeDefined();
    for (const c of [0.05, 0.1, 0.2, 0.3, 0.5]) {
      const w = winProbability(m.winCurve!, c);
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThan(c);
    }
  });
});
