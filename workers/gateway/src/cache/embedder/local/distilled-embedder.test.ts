import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cosine } from "../embedder";
import { decodeArtifact, encodeArtifact } from "./artifact-format";
import { LocalEmbedder } from "./local-embedder";
import { SHIPPED_EMBEDDER_ID } from "./shipped-embedder-id";

const artifact = (name: string): Buffer => readFileSync(resolve(import.meta.dirname, name));

describe("the distilled embedder (usedistil-int8.bin, built but not the cache's default)", () => {
  const distilled = new LocalEmbedder(artifact("usedistil-int8.bin"));
  const sim = (a: string, b: string): number => cosine(distilled.embedOne(a), distilled.embedOne(b));

  it("has its own id, apart from the shipped GloVe embedder's", () => {
    const glove = new LocalEmbedder(artifact("glove-sif-int8.bin"));
    expect(distilled.id).toBe("local-usedistil72-avg-v28000");
    expect(glove.id).toBe(SHIPPED_EMBEDDER_ID);
    expect(distilled.id).not.toBe(glove.id);
    // Same vocabulary, other vectors.
    expect(decodeArtifact(artifact("usedistil-int8.bin")).words).toEqual(decodeArtifact(artifact("glove-sif-int8.bin")).words);
  });

  it("scores a paraphrase above a question on another subject in the same words' frame", () => {
    const cases: [string, string, string][] = [
      ["How do I change the email address on my account?", "How can I update the email linked to my account?", "How do I change the tyres on my bike?"],
      ["My parcel has not arrived yet.", "The package I ordered still hasn't been delivered.", "My sister has not called yet."],
      ["Which plan includes phone support?", "What subscription gives me support by telephone?", "Which train goes to the airport?"],
    ];
    for (const [q, para, other] of cases) expect(sim(q, para)).toBeGreaterThan(sim(q, other));
  });

  it("keeps the artifact kind in the header (older files read as GloVe)", () => {
    const table = decodeArtifact(artifact("usedistil-int8.bin"));
    expect(table.kind).toBe("usedistil");
    expect(decodeArtifact(artifact("glove-sif-int8.bin")).kind).toBe("glove");
    expect(decodeArtifact(encodeArtifact({ ...table, kind: "glove" })).kind).toBe("glove");
    const bytes = encodeArtifact(table);
    new DataView(bytes.buffer).setUint32(20, 7, true);
    expect(() => decodeArtifact(bytes)).toThrow(/unknown kind/);
  });
});
